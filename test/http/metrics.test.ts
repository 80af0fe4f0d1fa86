import { afterAll, describe, expect, it } from "vitest";
import { casesByState } from "../../src/cases/index.js";
import { ChannelHealth } from "../../src/channels/health.js";
import { Metrics, registerMetricsRoute } from "../../src/http/metrics.js";
import { readiness } from "../../src/http/ready.js";
import { createHttpServer } from "../../src/http/server.js";
import { pipeline } from "../../src/chat/index.js";
import { harness, loadTexts } from "../helpers.js";
import { webClient } from "./web-client.js";

const TOKEN = "metrics-token-0123456789";
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe("GET /metrics", () => {
  it("should count messages, cases by state, deliveries and classifier latency, for the admin token only", async () => {
    const h = await harness();
    const metrics = new Metrics({ casesByState: () => casesByState(h.db), defaults: false });
    const app = createHttpServer({ engine: pipeline(metrics.measure, h.engine), texts: await loadTexts() });
    registerMetricsRoute(app, metrics, TOKEN);
    cleanups.push(() => app.close(), () => h.close());
    const browser = webClient(app);
    for (const text of ["村口那条路全是坑，在青山镇石桥村", "对", "上个月", "尽快修路", "王先生", "13800001234", "确认"]) {
      const res = await browser.chat({ text });
      expect(res.statusCode).toBe(200);
    }
    metrics.time(() => 1);
    const send = metrics.deliverer("telegram", async () => "failed");
    await send("1", { text: "x", buttons: [], expects: null, caseNo: null }, "private");
    metrics.queueDepth = async () => 7;

    expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer wrong-token-0123456789" } })).statusCode).toBe(401);
    const res = await app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toMatch(/petition_messages_total\{channel="web",outcome="ok"\} 7/);
    expect(res.body).toMatch(/petition_message_seconds_count\{channel="web"\} 7/);
    expect(res.body).toMatch(/petition_cases\{state="assigned"\} 1/);
    expect(res.body).toMatch(/petition_delivery_failures_total\{channel="telegram"\} 1/);
    expect(res.body).toMatch(/petition_queue_depth 7/);
    expect(res.body).toMatch(/petition_classifier_seconds_count 1/);
  });

  it("should not exist without ADMIN_TOKEN", async () => {
    const h = await harness();
    const app = createHttpServer({ engine: h.engine, texts: await loadTexts() });
    registerMetricsRoute(app, new Metrics({ defaults: false }), undefined);
    cleanups.push(() => app.close(), () => h.close());
    expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
  });
});

describe("GET /readyz", () => {
  it("should name the dependency that is down", async () => {
    const h = await harness();
    let redisUp = true;
    const ready = readiness({ database: () => h.db.$queryRawUnsafe("SELECT 1"), redis: async () => { if (!redisUp) throw new Error("ECONNREFUSED"); } });
    const app = createHttpServer({ engine: h.engine, texts: await loadTexts(), ready });
    cleanups.push(() => app.close());
    expect((await app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ ok: true });
    redisUp = false;
    const down = await app.inject({ method: "GET", url: "/readyz" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ ok: false, error: "redis unavailable" });
    await h.close();
    redisUp = true;
    const noDb = readiness({ database: () => Promise.reject(new Error("connection refused")) });
    await expect(noDb()).rejects.toThrow("database unavailable");
  });
});

describe("channel state metrics", () => {
  it("should show 1 for each channel's current state and the time it entered it", async () => {
    let now = new Date("2026-12-03T08:00:00Z");
    const health = new ChannelHealth(() => now);
    const metrics = new Metrics({ defaults: false, channels: () => health.snapshot() });
    health.set("telegram", "failing", { failures: 1, error: "Conflict" });
    now = new Date("2026-12-03T08:00:30Z");
    health.set("telegram", "failing", { failures: 2, error: "Conflict" }); // still failing since the first
    health.set("wechat", "logged_out");
    metrics.sendFailures.inc({ channel: "telegram", code: "CHANNEL.PERMANENT" });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/petition_channel_state\{channel="telegram",state="failing"\} 1/);
    expect(text).toMatch(/petition_channel_state\{channel="telegram",state="polling"\} 0/);
    expect(text).toMatch(/petition_channel_state\{channel="wechat",state="logged_out"\} 1/);
    const since = Date.parse("2026-12-03T08:00:00Z") / 1000;
    expect(text).toContain(`petition_channel_state_since_seconds{channel="telegram"} ${since}`);
    expect(text).toMatch(/petition_channel_send_failures_total\{channel="telegram",code="CHANNEL.PERMANENT"\} 1/);
  });
});
