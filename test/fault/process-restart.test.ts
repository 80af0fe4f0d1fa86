import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { Reply } from "../../src/chat/message.js";
import { freshSqliteUrl } from "../helpers.js";
import { PrivatePostgres, spawnServe, until, type ServeProcess } from "./services.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Each test resident's session cookie ("name=value"), as a browser keeps it across bot processes. */
const cookies = new Map<string, string>();

async function chat(bot: ServeProcess, userId: string, body: { text?: string; buttonId?: string }): Promise<{ status: number; replies: Reply[]; message?: string }> {
  const cookie = cookies.get(userId);
  const headers: Record<string, string> = { "content-type": "application/json", ...(cookie ? { cookie } : {}) };
  const res = await fetch(`${bot.url}/api/chat`, { method: "POST", headers, body: JSON.stringify(body) });
  const set = res.headers.getSetCookie().find((c) => c.startsWith("petition_session="));
  if (set) cookies.set(userId, set.split(";")[0]!);
  const json = (await res.json()) as { replies?: Reply[]; message?: string };
  return { status: res.status, replies: json.replies ?? [], message: json.message };
}

const lastOf = (r: { replies: Reply[] }) => r.replies[r.replies.length - 1]!;

describe("a bot process killed in the middle of a form", () => {
  it("should let the resident continue where they were after a restart", async () => {
    const DATABASE_URL = freshSqliteUrl();
    const user = "resident-kill-0001";
    const first = await spawnServe([], { DATABASE_URL, LOG_LEVEL: "debug" });
    cleanups.push(() => first.kill("SIGKILL"));
    expect(lastOf(await chat(first, user, { text: "村口那条路全是坑，下雨天没法走，在青山镇石桥村" })).expects).toBe("category");
    expect(lastOf(await chat(first, user, { text: "对" })).expects).toBe("occurredAt");
    expect(lastOf(await chat(first, user, { text: "上个月" })).expects).toBe("demands");
    // kill -9: no shutdown hook runs; only what was stored survives.
    await first.kill("SIGKILL");

    const second = await spawnServe([], { DATABASE_URL, LOG_LEVEL: "debug" });
    cleanups.push(() => second.kill("SIGKILL"));
    const resumed = await chat(second, user, { buttonId: "resume" });
    expect(resumed.replies[0]!.text).toMatch(/欢迎回来/);
    expect(lastOf(resumed).expects).toBe("demands");
    await chat(second, user, { text: "尽快修路" });
    await chat(second, user, { text: "王先生" });
    const summary = await chat(second, user, { text: "13800001234" });
    expect(lastOf(summary).text).toContain("青山镇石桥村");
    expect(lastOf(summary).text).toContain("上个月");
    const receipt = await chat(second, user, { buttonId: "confirm" });
    expect(lastOf(receipt).caseNo).toMatch(/^XF-\d{6}-\d{4}-\d$/);
    // The debug logs of both processes never carry the full phone number.
    expect(first.output() + second.output()).not.toContain("13800001234");
    expect(await second.kill("SIGTERM")).toBe(0);
  }, 120_000);
});

describe("PostgreSQL restarted under a running bot", () => {
  it("should answer with a clear message while the database is down and recover without a restart", async () => {
    const cluster = await PrivatePostgres.withDatabase("petition");
    cleanups.push(() => cluster.destroy());
    const bot = await spawnServe([], { DATABASE_URL: cluster.url("petition") });
    cleanups.push(() => bot.kill("SIGKILL"));
    const user = "resident-pg-00001";
    expect(lastOf(await chat(bot, user, { text: "青山镇东街的路灯坏了半个月，晚上出门很危险" })).expects).toBe("category");
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);

    await cluster.down();
    const during = await chat(bot, user, { text: "对" });
    expect(during.status).toBe(503);
    expect(during.message).toMatch(/temporarily unavailable; your answers so far are kept/);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, error: "database unavailable" });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200); // alive, not ready: a balancer routes around it

    await cluster.up();
    await until("the bot to be ready again", async () => (await fetch(`${bot.url}/readyz`)).status === 200, 30_000, 200);
    // The answer given while the database was down was not taken; the form is where it was.
    const after = await chat(bot, user, { text: "对" });
    expect(after.status).toBe(200);
    expect(lastOf(after).expects).toBe("occurredAt"); // the place came with the description
    expect(bot.child.exitCode).toBeNull();
  }, 120_000);
});

describe("graceful shutdown", () => {
  it("should finish a message in flight on SIGTERM, store its answer and exit 0", async () => {
    const cluster = await PrivatePostgres.withDatabase("petition");
    cleanups.push(() => cluster.destroy());
    const bot = await spawnServe([], { DATABASE_URL: cluster.url("petition") });
    cleanups.push(() => bot.kill("SIGKILL"));
    const user = "resident-term-0001";
    await chat(bot, user, { text: "青山镇东街的路灯坏了半个月，晚上出门很危险" });

    // Hold the dialog table so that the next message is certainly in flight when SIGTERM comes.
    const lock = new pg.Client({ connectionString: cluster.url("petition") });
    await lock.connect();
    cleanups.push(() => lock.end().catch(() => undefined));
    await lock.query("BEGIN");
    await lock.query(`LOCK TABLE "DialogSession" IN ACCESS EXCLUSIVE MODE`);
    const inFlight = chat(bot, user, { text: "对" });
    await until("the message to wait for the lock", async () => (await lock.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`)).rows[0].n > 0, 10_000);
    const exited = bot.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.child.exitCode).toBeNull(); // still finishing
    await lock.query("COMMIT");

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(lastOf(answered).expects).toBe("occurredAt");
    // The answered request's keep-alive connection must not hold the exit back until the
    // server's keepAliveTimeout (72 s): a supervisor would SIGKILL first (Kubernetes: 30 s).
    const answeredAt = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - answeredAt).toBeLessThan(30_000);
    // The web identity is the server's session id, not a name the client chose: this cluster's only web session.
    const stored = await lock.query(`SELECT "state" FROM "DialogSession" WHERE "key" LIKE 'web:%'`);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].state.step).toBe("occurredAt");
  }, 120_000);
});

