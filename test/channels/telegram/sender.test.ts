import { describe, expect, it } from "vitest";
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
