import { afterAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { CaseWorkflow } from "../../../src/cases/index.js";
import { frontDesk, CadreDesk, pipeline } from "../../../src/chat/index.js";
import { MemoryHitCounter, RedisHitCounter, failFastRedis, rateLimit } from "../../../src/chat/middleware/rate-limit.js";
import { loadConfig } from "../../../src/config.js";
import { boot } from "../../../src/main.js";
import { calendar, freshSqliteUrl, harness, loadTexts, type Harness } from "../../helpers.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function deskOf(h: Harness) {
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  const cadres = new CadreDesk({ db: h.db, workflow, texts: await loadTexts(), timeZone: "Asia/Shanghai" });
  return frontDesk({ cadres: cadres, residents: h.engine });
}

describe("rateLimit", () => {
  it("should answer a flood of 100 messages in 10 s with one polite slow-down and leave other residents alone", async () => {
    const h = await harness();
    cleanups.push(() => h.close());
    // The flood's own clock: 100 messages 99 ms apart, all inside one 10 s window.
    let now = Date.now();
    const desk = pipeline(rateLimit({ counter: new MemoryHitCounter(() => now), texts: await loadTexts(), limit: 20, windowMs: 10_000 }), await deskOf(h));
    const flood: string[][] = [];
    for (let i = 0; i < 100; i++, now += 99) {
      flood.push((await desk.handle({ channel: "web", userId: "flooder-0001", text: `村口路灯坏了 ${i}` })).map((r) => r.text));
      if (i === 50) {
        // Another resident in the middle of the flood is served as usual.
        const other = await desk.handle({ channel: "web", userId: "neighbour-01", text: "村口那条路全是坑，在青山镇石桥村" });
        expect(other.length).toBeGreaterThan(0);
        expect(other.map((r) => r.text).join("")).not.toMatch(/太快/);
      }
    }
    expect(flood.slice(0, 20).every((r) => r.length > 0)).toBe(true);
    expect(flood[20]).toHaveLength(1);
    expect(flood[20]![0]).toContain("您发送消息太快了");
    expect(flood[20]![0]).toContain("10 秒");
    expect(flood.slice(21).every((r) => r.length === 0)).toBe(true);
    // The form was not disturbed by the refused messages: the stored description is the first one.
    expect((await h.engine.peek("web", "flooder-0001"))?.form.description).toContain("村口路灯坏了");
  });

  it("should slow down in the resident's own language", async () => {
    const h = await harness();
    cleanups.push(() => h.close());
    const desk = pipeline(rateLimit({ counter: new MemoryHitCounter(), texts: await loadTexts(), limit: 2, localeOf: async (m) => (await h.engine.peek(m.channel, m.userId))?.locale }), h.engine);
    await desk.handle({ channel: "web", userId: "english-0001", text: "The street light at the village gate is broken" });
    await desk.handle({ channel: "web", userId: "english-0001", text: "yes" });
    const [r] = await desk.handle({ channel: "web", userId: "english-0001", text: "yes" });
    expect(r!.text).toMatch(/^You are sending messages faster/);
  });

  it("should hold the limit across processes sharing Redis, and let messages through when Redis is unreachable", async () => {
    const texts = await loadTexts();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(() => redis.quit());
    const prefix = `petition:test:rl:${Date.now().toString(36)}${Math.random().toString(36).slice(2)}:`;
    let handled = 0;
    const inner = { handle: async () => (handled++, [{ text: "ok", buttons: [], expects: null, caseNo: null }]) };
    // Two bot processes, each with its own connection, the same counter in Redis.
    const a = pipeline(rateLimit({ counter: new RedisHitCounter(redis, prefix), texts, limit: 5 }), inner);
    const redis2 = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(() => redis2.quit());
    const b = pipeline(rateLimit({ counter: new RedisHitCounter(redis2, prefix), texts, limit: 5 }), inner);
    const replies = [];
    for (let i = 0; i < 10; i++) replies.push(await (i % 2 ? a : b).handle({ channel: "telegram", userId: "42" }));
    expect(handled).toBe(5);
    expect(replies.filter((r) => r[0]?.text.includes("太快"))).toHaveLength(1);
    expect(await redis.pttl(`${prefix}telegram:42`)).toBeGreaterThan(0);
    // Redis down (nothing listens on port 1): the limiter must not stop the service.
    const down = failFastRedis("redis://127.0.0.1:1");
    cleanups.push(() => down.disconnect());
    const c = pipeline(rateLimit({ counter: new RedisHitCounter(down), texts, limit: 1 }), inner);
    handled = 0;
    for (let i = 0; i < 3; i++) await c.handle({ channel: "web", userId: "someone-0001" });
    expect(handled).toBe(3);
  });

  it("should sit in front of every channel in the booted app, and count the refused messages", async () => {
    const app = await boot(loadConfig({ ...process.env, DATABASE_URL: freshSqliteUrl(), RATE_LIMIT_MESSAGES: "3", RATE_LIMIT_WINDOW_SECONDS: "60", LOG_LEVEL: "silent", REDIS_URL: "" }));
    cleanups.push(() => app.close());
    for (const channel of ["telegram", "wechat", "web"]) {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await app.desk.handle({ channel, userId: "same-id-0001", text: "路灯坏了" }));
      expect(answers.slice(0, 3).every((r) => r.length > 0 && !r[0]!.text.includes("太快"))).toBe(true);
      expect(answers[3]![0]!.text).toContain("60 秒");
      expect(answers.slice(4)).toEqual([[], []]);
    }
    expect(await app.metrics.registry.getSingleMetricAsString("petition_rate_limited_total")).toMatch(/channel="wechat"\} 3/);
  }, 60_000);
});
