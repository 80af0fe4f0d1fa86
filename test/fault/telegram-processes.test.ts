import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../channels/telegram/fake-bot-api.js";
import { freshPostgresUrl, harness, type Harness } from "../helpers.js";
import { PrivateRedis, spawnServe, until, type ServeProcess } from "./services.js";

const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SECRET = "fault-secret-0123456789";
const GROUP = "-100777";

let redis: PrivateRedis;
let database: { url: string; drop(): Promise<void> };
let h: Harness;
let api: FakeBotApi;
let apiRoot: string;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  redis = await PrivateRedis.start();
  database = await freshPostgresUrl();
  h = await harness({ url: database.url }); // loads the units; files cases from this test process
  api = new FakeBotApi();
  apiRoot = await api.start();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  await h?.close();
  await api?.stop();
  await redis?.stop();
  await database?.drop();
});

const env = () => ({ DATABASE_URL: database.url, REDIS_URL: redis.url, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, OUTBOX_LEASE_SECONDS: "5", DIGEST_HOUR: "24" });
// DIGEST_HOUR=24: from 08:00 local a starting worker also sends the daily digest to the groups;
// the held sendMessage must be the new case's.

async function start(role: "bot" | "worker", extra: Record<string, string> = {}): Promise<ServeProcess> {
  const p = await spawnServe(["--role", role], { ...env(), ...extra });
  cleanups.push(() => p.kill("SIGKILL"));
  return p;
}

describe("a worker killed while delivering", () => {
  it("should have the notification delivered once, by another worker after the lease", async () => {
    await h.db.unit.updateMany({ data: { chatTargets: [{ channel: "telegram", chatId: GROUP }] } });
    api.hold("sendMessage"); // the first send to Telegram hangs: the worker is mid-delivery
    const first = await start("worker");
    const receipt = await h.cases.submit({ key: `kill-${Date.now()}`, channel: "web", userId: "resident-w-0001", chatId: "resident-w-0001", locale: "zh-CN", receivedAt: new Date(), form: { description: "青山镇东街的路灯坏了半个月", category: "transport", location: "青山镇东街", phone: "13800001234" } });
    await until("the worker to start sending", () => api.sent("sendMessage", GROUP).length === 1, 30_000);
    const row = await h.db.outboxMessage.findFirstOrThrow({ where: { chatId: GROUP, kind: "cadre.new_case" } });
    expect(row.status).toBe("sending");

    await first.kill("SIGKILL");
    await until("the held call to be dropped", () => api.sent("sendMessage", GROUP)[0]!.aborted === true, 10_000);
    await start("worker");
    await until("a delivered notification", () => api.sent("sendMessage", GROUP).some((c) => !c.aborted), 60_000, 200);
    await new Promise((r) => setTimeout(r, 2000)); // a late double would show up here

    const delivered = api.sent("sendMessage", GROUP).filter((c) => !c.aborted);
    expect(delivered).toHaveLength(1);
    expect(String(delivered[0]!.payload.text)).toContain(receipt.caseNo);
    const after = await h.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.status).toBe("sent");
    expect(after.attempts).toBe(2);
  }, 120_000);
});

describe("two bot processes behind a load balancer (Telegram webhook mode)", () => {
  it("should carry one conversation across both and file one case when both get the same update", async () => {
    const bots = [await start("bot", { TELEGRAM_WEBHOOK_URL: "https://bot.example/telegram/webhook", TELEGRAM_WEBHOOK_SECRET: SECRET }), await start("bot", { TELEGRAM_WEBHOOK_URL: "https://bot.example/telegram/webhook", TELEGRAM_WEBHOOK_SECRET: SECRET })];
    const USER = 4242;
    let updateId = 50_000;
    const post = (bot: ServeProcess, update: Record<string, unknown>) =>
      fetch(`${bot.url}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(update) });
    const lastKeyboard = () => api.sent("sendMessage", USER).at(-1)!.payload.reply_markup?.inline_keyboard?.flat() as Array<{ callback_data: string }> | undefined;
    const replies = () => api.sent("sendMessage", USER).length;

    // The load balancer sends each update to either process: the dialog state is in the database.
    const steps: Array<() => Record<string, unknown>> = [
      () => api.message(USER, "村口那条路全是坑，下雨天没法走，在青山镇石桥村"),
      () => api.pressUpdate(USER, lastKeyboard()![0]!.callback_data),
      () => api.message(USER, "上个月"),
      () => api.message(USER, "尽快修路"),
      () => api.message(USER, "王先生"),
      () => api.message(USER, "13800001234"),
    ];
    for (const [i, step] of steps.entries()) {
      const before = replies();
      expect((await post(bots[i % 2]!, { update_id: updateId++, ...step() })).status).toBe(200);
      await until("the bot's answer", () => replies() > before, 15_000);
    }
    expect(lastKeyboard()!.map((b) => b.callback_data)).toContain("confirm");

    // Telegram retries the confirm, and the balancer hands it to both processes at once: it is
    // handled once (its update_id is recorded in the shared database) — one case, one receipt.
    const confirm = { update_id: updateId++, ...api.pressUpdate(USER, "confirm") };
    const answers = await Promise.all([post(bots[0]!, confirm), post(bots[1]!, confirm), post(bots[1]!, confirm)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const isReceipt = (c: { payload: Record<string, unknown> }) => /XF-\d{6}-\d{4}-\d/.test(String(c.payload.text));
    await until("the receipt", () => api.sent("sendMessage", USER).some(isReceipt), 15_000);
    await new Promise((r) => setTimeout(r, 1500)); // a second handling would show up here
    expect(api.sent("sendMessage", USER).filter(isReceipt)).toHaveLength(1);
    // A late second tap (a new update) on the other process files nothing more.
    const before = replies();
    await post(bots[1]!, { update_id: updateId++, ...api.pressUpdate(USER, "confirm") });
    await until("the answer to the late tap", () => replies() > before, 15_000);

    const cases = await h.db.case.findMany({ where: { channel: "telegram", chatId: String(USER) } });
    expect(cases).toHaveLength(1);
    expect(String(api.sent("sendMessage", USER).filter(isReceipt)[0]!.payload.text)).toContain(cases[0]!.caseNo);
    // Graceful shutdown of a bot process: exit code 0.
    expect(await bots[0]!.kill("SIGTERM")).toBe(0);
  }, 120_000);
});
