import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChannelStore } from "../../../src/cases/index.js";
import { TelegramSender } from "../../../src/channels/telegram/sender.js";

/** An in-memory ChannelStore for the sender's own tests. */
function memoryStore(): ChannelStore & { blocked: Set<string> } {
  const blocked = new Set<string>();
  const seen = new Set<string>();
  return {
    blocked,
    firstDelivery: async (k) => (seen.has(k) ? false : (seen.add(k), true)),
    forgetDelivery: async (k) => void seen.delete(k),
    pruneDeliveries: async () => 0,
    block: async (c, id) => void blocked.add(`${c}:${id}`),
    unblock: async (c, id) => void blocked.delete(`${c}:${id}`),
    isBlocked: async (c, id) => blocked.has(`${c}:${id}`),
    queueOutbound: async () => undefined,
    pendingOutbound: async () => [],
    markOutboundSent: async () => undefined,
  };
}

describe("TelegramSender failures", () => {
  it("should report a failure, not crash, when the block list cannot be read", async () => {
    const store = memoryStore();
    store.isBlocked = async () => { throw new Error("database down"); };
    const sender = new TelegramSender({ call: async () => undefined, store });
    expect(await sender.sendReplies("1", [{ text: "x", buttons: [], expects: null, caseNo: null }])).toEqual(["failed"]);
    await sender.send("1", "editMessageReplyMarkup", {}); // fire-and-forget path resolves too
  });
});

describe("TelegramSender rate limits", () => {
  it("should let a burst of 3 through to one chat, then space messages about 1 s apart", async () => {
    const waits: number[] = [];
    const sent: string[] = [];
    const sender = new TelegramSender({
      call: async (_m, p) => void sent.push(String(p.text)),
      store: memoryStore(),
      sleep: async (ms) => void waits.push(ms),
    });
    for (let i = 0; i < 6; i++) await sender.sendReplies("1", [{ text: `m${i}`, buttons: [], expects: null, caseNo: null }]);
    expect(sent).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
    expect(waits.length).toBeGreaterThanOrEqual(3);
    for (const w of waits) expect(w).toBeGreaterThan(500);
  });

  it("should allow about 20 a minute to a group", async () => {
    const waits: number[] = [];
    const sender = new TelegramSender({ call: async () => undefined, store: memoryStore(), sleep: async (ms) => void waits.push(ms) });
    for (let i = 0; i < 5; i++) await sender.sendReplies("-100", [{ text: "x", buttons: [], expects: null, caseNo: null }], { group: true });
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...waits)).toBeGreaterThan(2500); // 60 s / 20
  });

  it("should keep messages to one chat in order when sent concurrently", async () => {
    const sent: string[] = [];
    const sender = new TelegramSender({ call: async (_m, p) => { await new Promise((r) => setTimeout(r, Math.random() * 5)); sent.push(String(p.text)); }, store: memoryStore(), perChatPerSecond: 1000 });
    await Promise.all([0, 1, 2, 3, 4].map((i) => sender.sendReplies("9", [{ text: `n${i}`, buttons: [], expects: null, caseNo: null }])));
    expect(sent).toEqual(["n0", "n1", "n2", "n3", "n4"]);
  });

  it("should give up after repeated 429s without looping forever", async () => {
    let calls = 0;
    const sender = new TelegramSender({
      call: async () => { calls++; throw { response: { error_code: 429, description: "Too Many Requests", parameters: { retry_after: 1 } } }; },
      store: memoryStore(), sleep: async () => undefined, maxRetries: 3,
    });
    expect(await sender.sendReplies("1", [{ text: "x", buttons: [], expects: null, caseNo: null }])).toEqual(["failed"]);
    expect(calls).toBe(4);
  });

  it("should refuse a button id over 64 bytes", async () => {
    const sender = new TelegramSender({ call: async () => undefined, store: memoryStore() });
    await expect(sender.sendReplies("1", [{ text: "x", buttons: [{ id: "分类".repeat(20), label: "x" }], expects: null, caseNo: null }])).rejects.toThrow(/64 bytes/);
  });
});

const text = (t: string) => ({ text: t, buttons: [], expects: null, caseNo: null });
const tooMany = (seconds: number) =>
  ({ response: { error_code: 429, description: "Too Many Requests", parameters: { retry_after: seconds } } });

describe("TelegramSender transient and permanent errors", () => {
  it("should send the receipt again after a 502 and after a network error, with growing jittered pauses", async () => {
    const answers: unknown[] = [
      { response: { error_code: 502, description: "Bad Gateway" } },
      Object.assign(new Error("socket hang up"), { name: "FetchError", code: "ECONNRESET" }),
      { response: { error_code: 503, description: "Service Unavailable" } },
    ];
    const sent: string[] = [];
    const waits: number[] = [];
    const sender = new TelegramSender({
      call: async (_m, p) => { const a = answers.shift(); if (a) throw a; sent.push(String(p.text)); },
      store: memoryStore(), sleep: async (ms) => void waits.push(ms), backoff: { baseMs: 500, random: () => 0.999 },
      perChatPerSecond: 1000,
    });
    expect(await sender.sendReplies("1", [text("回执 XF-1")])).toEqual(["sent"]);
    expect(sent).toEqual(["回执 XF-1"]);
    // The fake sleep takes no time, so the chat's own bucket adds waits of a few ms; the rest are backoffs.
    const pauses = waits.filter((w) => w > 10);
    expect(pauses).toHaveLength(3);
    // Full jitter under a doubling ceiling: at most 500, 1000, 2000 ms; pinned near the top here.
    expect(pauses[0]).toBeLessThanOrEqual(500);
    expect(pauses[1]).toBeGreaterThan(pauses[0]!);
    expect(pauses[2]).toBeGreaterThan(pauses[1]!);
    expect(pauses[2]).toBeLessThanOrEqual(2000);
  });

  it("should deliver a message after seven 429s in a row, waiting each retry_after", async () => {
    let calls = 0;
    const waits: number[] = [];
    const sender = new TelegramSender({
      call: async () => { if (++calls <= 7) throw tooMany(3); },
      store: memoryStore(), sleep: async (ms) => void waits.push(ms), perChatPerSecond: 1000,
    });
    expect(await sender.sendReplies("1", [text("回执")])).toEqual(["sent"]);
    expect(calls).toBe(8);
    // The fake sleep takes no time, so the chat's own bucket adds waits of a few ms; the rest are the 429s.
    const retryWaits = waits.filter((w) => w >= 1000);
    expect(retryWaits).toHaveLength(7);
    for (const w of retryWaits) expect(w).toBeGreaterThanOrEqual(3000);
    for (const w of retryWaits) expect(w).toBeLessThan(3250); // retry_after plus at most 250 ms of jitter
  });

  it("should not repeat a 400, and report it once through onFailure", async () => {
    let calls = 0;
    const failures: string[] = [];
    const sender = new TelegramSender({
      call: async () => {
        calls++;
        throw { response: { error_code: 400, description: "Bad Request: can't parse entities" } };
      },
      store: memoryStore(), sleep: async () => undefined,
      onFailure: (chatId, method, err) => failures.push(`${chatId} ${method} ${err.code} ${err.status}`),
    });
    expect(await sender.sendReplies("1", [text("x")])).toEqual(["failed"]);
    expect(calls).toBe(1);
    expect(failures).toEqual(["1 sendMessage CHANNEL.PERMANENT 400"]);
  });

  it("should record a 403 as a block with Telegram's own description", async () => {
    const store = memoryStore();
    const reasons: string[] = [];
    store.block = async (c, id, reason) => { store.blocked.add(`${c}:${id}`); reasons.push(String(reason)); };
    const failures: string[] = [];
    const sender = new TelegramSender({
      call: async () => {
        throw { response: { error_code: 403, description: "Forbidden: bot was blocked by the user" } };
      },
      store, onFailure: (_c, _m, err) => failures.push(err.code),
    });
    expect(await sender.sendReplies("5", [text("x"), text("y")])).toEqual(["blocked"]);
    expect(reasons).toEqual(["Forbidden: bot was blocked by the user"]);
    expect(failures).toEqual(["CHANNEL.CHAT_BLOCKED"]);
  });
});

describe("TelegramSender per-chat queues", () => {
  afterEach(() => void vi.useRealTimers());

  it("should answer resident B while resident A waits out retry_after=10", async () => {
    vi.useFakeTimers({ now: 0 });
    const calls: string[] = [];
    let aRefused = false;
    const sender = new TelegramSender({
      call: async (_m, p) => {
        calls.push(String(p.chat_id));
        if (p.chat_id === "A" && !aRefused) { aRefused = true; throw tooMany(10); }
      },
      store: memoryStore(),
    });
    const a = sender.sendReplies("A", [text("receipt A")]);
    await vi.advanceTimersByTimeAsync(500); // B writes 0.5 s later
    const b = sender.sendReplies("B", [text("answer B")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(await b).toEqual(["sent"]);
    expect(calls).toEqual(["A", "B"]); // B went out while A is still waiting
    await vi.advanceTimersByTimeAsync(10_500);
    expect(await a).toEqual(["sent"]);
    expect(calls).toEqual(["A", "B", "A"]);
  });

  it("should keep the overall 30 a second while one chat waits out a 429", async () => {
    vi.useFakeTimers({ now: 0 });
    const at: Array<{ chat: string; t: number }> = [];
    let refused = false;
    const sender = new TelegramSender({
      call: async (_m, p) => {
        at.push({ chat: String(p.chat_id), t: Date.now() });
        if (p.chat_id === "A" && !refused) { refused = true; throw tooMany(2); }
      },
      store: memoryStore(),
    });
    const all = [sender.sendReplies("A", [text("a")])];
    for (let i = 0; i < 89; i++) all.push(sender.sendReplies(`B${i}`, [text("b")]));
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await Promise.all(all)).flat().every((o) => o === "sent")).toBe(true);
    expect(at).toHaveLength(91);
    // A token bucket of 30 at 30 a second: call k (from 0) goes out no earlier than (k + 1 - 30) / 30 s.
    at.forEach(({ t }, k) => expect(t).toBeGreaterThanOrEqual(Math.floor(((k + 1 - 30) * 1000) / 30)));
    const retry = at.findIndex((c, i) => c.chat === "A" && i > 0);
    expect(retry).toBeGreaterThan(30); // A's retry came after B's, not before
    expect(at[retry]!.t).toBeGreaterThanOrEqual(2000);
  });

  it("should keep 20 a minute to a group while private chats are answered", async () => {
    vi.useFakeTimers({ now: 0 });
    const at: Array<{ chat: string; t: number }> = [];
    const sender = new TelegramSender({
      call: async (_m, p) => void at.push({ chat: String(p.chat_id), t: Date.now() }), store: memoryStore(),
    });
    const toGroup = (i: number) => sender.sendReplies("-100", [text(`g${i}`)], { group: true });
    const group = Promise.all(Array.from({ length: 30 }, (_, i) => toGroup(i)));
    const privates = Promise.all(Array.from({ length: 10 }, (_, i) => sender.sendReplies(`p${i}`, [text("p")])));
    await vi.advanceTimersByTimeAsync(0);
    expect(await privates).toHaveLength(10); // none waited for the group's queue
    await vi.advanceTimersByTimeAsync(120_000);
    await group;
    const times = at.filter((c) => c.chat === "-100").map((c) => c.t);
    expect(times).toHaveLength(30);
    // A burst of 3, then one every 3 s: message k (from 0) no earlier than (k + 1 - 3) × 3 s.
    times.forEach((t, k) => expect(t).toBeGreaterThanOrEqual((k + 1 - 3) * 3000));
  });
});
