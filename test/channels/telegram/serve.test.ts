import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PrismaChannelStore } from "../../../src/cases/index.js";
import { createTelegramChannel } from "../../../src/channels/telegram/telegraf.js";
import { PROJECT_ROOT } from "../../../src/db/database.js";
import { createHttpServer } from "../../../src/http/server.js";
import { freshSqliteUrl, harness, loadTexts } from "../../helpers.js";
import { FakeBotApi } from "./fake-bot-api.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe("Telegram webhook mode", () => {
  it("should accept updates only with Telegram's secret token", async () => {
    const api = new FakeBotApi();
    const root = await api.start();
    const h = await harness();
    const channel = createTelegramChannel({ token: "123:TEST", apiRoot: root, engine: h.engine, texts: await loadTexts(), store: new PrismaChannelStore(h.db), sender: { perChatPerSecond: 1000 } });
    const app = createHttpServer({ engine: h.engine, texts: await loadTexts(), telegram: { secret: "s3cret-s3cret-s3cret", handle: (u) => channel.handleUpdate(u as never) } });
    cleanups.push(() => api.stop(), () => h.close(), () => app.close());
    const update = { update_id: 9001, ...api.message(31337, "村里的路灯全坏了，晚上出门很危险") };
    const denied = await app.inject({ method: "POST", url: "/telegram/webhook", payload: update, headers: { "x-telegram-bot-api-secret-token": "wrong" } });
    expect(denied.statusCode).toBe(401);
    expect(api.sent("sendMessage")).toHaveLength(0);
    const ok = await app.inject({ method: "POST", url: "/telegram/webhook", payload: update, headers: { "x-telegram-bot-api-secret-token": "s3cret-s3cret-s3cret" } });
    expect(ok.statusCode).toBe(200);
    expect(api.sent("sendMessage", 31337).length).toBeGreaterThan(0);
    // Telegram retrying the same update (e.g. after a timeout) changes nothing.
    const before = api.sent("sendMessage").length;
    await app.inject({ method: "POST", url: "/telegram/webhook", payload: update, headers: { "x-telegram-bot-api-secret-token": "s3cret-s3cret-s3cret" } });
    expect(api.sent("sendMessage").length).toBe(before);
  });
});

describe("petition-bot serve with TELEGRAM_BOT_TOKEN", () => {
  it("should poll the Bot API and answer a resident", async () => {
    const api = new FakeBotApi();
    const root = await api.start();
    const child: ChildProcess = spawn(process.execPath, [join(PROJECT_ROOT, "bin", "petition-bot.js"), "serve", "--port", "0"], {
      env: { ...process.env, DATABASE_URL: freshSqliteUrl(), TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", TELEGRAM_API_ROOT: root, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    cleanups.push(() => api.stop(), () => { child.kill("SIGTERM"); });
    await api.waitFor((calls) => calls.some((c) => c.method === "getUpdates"), 30_000);
    expect(out).toContain("Telegram long polling started");
    api.push(api.message(5150, "/start"));
    await api.waitFor(() => api.sent("sendMessage", 5150).length >= 2, 15_000);
    expect(String(api.sent("sendMessage", 5150)[0]!.payload.text)).toContain("您好");
  });
});
