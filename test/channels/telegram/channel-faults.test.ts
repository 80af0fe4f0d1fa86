import { afterEach, describe, expect, it } from "vitest";
import { ChannelHealth } from "../../../src/channels/health.js";
import { NotReadyError, readiness } from "../../../src/http/ready.js";
import { createHttpServer } from "../../../src/http/server.js";
import { loadTexts } from "../../helpers.js";
import { telegramRig, type TelegramRig } from "./telegram-harness.js";

const open: TelegramRig[] = [];
async function rig(opts: Parameters<typeof telegramRig>[0] = {}) {
  const r = await telegramRig(opts);
  open.push(r);
  return r;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** A sleep whose long waits (≥ `atLeastMs`) are held until `release()`; short ones pass at once. */
function gatedSleep(atLeastMs: number) {
  const held: Array<{ ms: number; go: () => void }> = [];
  return {
    held,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        if (ms < atLeastMs) return void setTimeout(resolve, 1);
        held.push({ ms, go: resolve });
        signal?.addEventListener("abort", () => resolve(), { once: true });
      }),
    release: () => held.splice(0).forEach((h) => h.go()),
  };
}

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > ms) throw new Error(`${what}: not reached in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const A = 510001;
const B = 510002;

describe("Telegram channel faults on the fake Bot API server", () => {
  it("should answer resident B while resident A's reply waits out retry_after=10", async () => {
    const gate = gatedSleep(10_000);
    const r = await rig({ sender: { sleep: gate.sleep } });
    const tooMany = { error_code: 429, description: "Too Many Requests: retry after 10", parameters: { retry_after: 10 } };
    r.api.fail("sendMessage", tooMany);
    r.api.push(r.api.message(A, "小区门口的路灯坏了一个多月，晚上很黑"));
    await until("A's first reply refused", () => r.api.sent("sendMessage", A).length === 1 && gate.held.length === 1);
    expect(gate.held[0]!.ms).toBeGreaterThanOrEqual(10_000);

    const answerB = await r.say(B, "工厂半夜排放刺鼻的黑烟，熏得人头疼");
    expect(answerB.length).toBeGreaterThan(0);
    // B was answered while A's reply is still waiting: A has only the refused attempt so far.
    expect(r.api.sent("sendMessage", A)).toHaveLength(1);
    const firstB = r.api.calls.findIndex((c) => c.method === "sendMessage" && c.payload.chat_id === String(B));

    gate.release();
    await until("A's reply sent again", () => r.api.sent("sendMessage", A).length >= 2);
    const retryA = r.api.calls.findIndex((c, i) =>
      i > firstB && c.method === "sendMessage" && c.payload.chat_id === String(A));
    expect(retryA).toBeGreaterThan(firstB);
    const [refused, again] = r.api.sent("sendMessage", A);
    expect(again!.payload.text).toBe(refused!.payload.text); // the same message, once more
  });

  it("should keep taking intake through repeated 409s, report failing meanwhile, and resume", async () => {
    const health = new ChannelHealth();
    const gate = gatedSleep(0); // every poller pause is held until released
    const r = await rig({ health, poller: { sleep: gate.sleep } });
    const ready = readiness({ database: async () => 1, channels: () => health.snapshot() });
    const http = createHttpServer({ engine: r.h.engine, texts: await loadTexts(), ready });
    try {
      await until("polling", () => health.get("telegram")?.state === "polling");
      expect((await http.inject({ url: "/readyz" })).json())
        .toMatchObject({ ok: true, channels: { telegram: { state: "polling" } } });

      r.api.fail("getUpdates", { error_code: 409, description: "Conflict: terminated by other getUpdates request" }, 3);
      await until("the first 409", () => gate.held.length === 1);
      const failing = health.get("telegram")!;
      expect(failing).toMatchObject({ state: "failing", failures: 1 });
      const res = await http.inject({ url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        ok: false, error: `telegram failing since ${failing.since.toISOString()}`,
        channels: { telegram: { state: "failing", since: failing.since.toISOString(), failures: 1 } },
      });
      await expect(ready()).rejects.toBeInstanceOf(NotReadyError);

      // The second and third 409: still failing, since the first one.
      gate.release();
      await until("the second 409", () => gate.held.length === 1);
      gate.release();
      await until("the third 409", () => gate.held.length === 1);
      expect(health.get("telegram")).toMatchObject({ state: "failing", failures: 3, since: failing.since });
      gate.release();

      // Intake resumes: a resident writing now is answered.
      const answer = await r.say(A, "村口那条路全是坑，电动车摔了好几个人");
      expect(answer.length).toBeGreaterThan(0);
      expect(health.get("telegram")?.state).toBe("polling");
      expect((await http.inject({ url: "/readyz" })).statusCode).toBe(200);
      expect(r.logs.filter((l) => l.includes("409 Conflict"))).toHaveLength(1); // one clear line per streak
      expect(r.logs.filter((l) => l.includes("Telegram polling resumed"))).toHaveLength(1);
    } finally {
      await http.close();
    }
  });

  it("should deliver the receipt after a 502 and after seven 429s on its sendMessage", async () => {
    const fast = gatedSleep(Number.POSITIVE_INFINITY); // every pause of the sender passes at once
    const r = await rig({ sender: { sleep: fast.sleep } });
    const faults = [
      { user: A, error: { error_code: 502, description: "Bad Gateway" }, times: 1 },
      {
        user: B, times: 7,
        error: { error_code: 429, description: "Too Many Requests", parameters: { retry_after: 10 } },
      },
    ];
    for (const { user, error, times } of faults) {
      await toSummary(r, user, user === A ? "村口那条路全是坑，电动车摔了好几个人" : "路灯坏了好多天了，晚上很黑");
      const before = r.api.sent("sendMessage", user).length;
      r.api.fail("sendMessage", error, times);
      const receipt = await r.press(user, "confirm");
      const caseNo = /XF-\d{6}-\d{4,}-\d/.exec(receipt.join("\n"))?.[0];
      expect(caseNo).toBeTruthy();
      // The refused attempts and the one that arrived.
      expect(receipt.filter((t) => t.includes(caseNo!))).toHaveLength(times + 1);
      expect(r.api.sent("sendMessage", user).length - before).toBe(receipt.length);
      expect((await r.h.cases.show(caseNo!, true))?.channel).toBe("telegram");
    }
  });
});

/** Fills the form up to the summary, pressing buttons where there are some. */
async function toSummary(r: TelegramRig, user: number, description: string) {
  await r.say(user, description);
  await r.press(user, r.api.sent("sendMessage", user).at(-1)!.payload.reply_markup.inline_keyboard[0][0].callback_data);
  await r.say(user, "青山镇石桥村三组");
  await r.press(user, "skip");
  await r.say(user, "把路修好");
  await r.press(user, "skip");
  return r.say(user, "13800001234");
}
