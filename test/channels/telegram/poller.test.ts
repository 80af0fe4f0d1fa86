import { describe, expect, it } from "vitest";
import { ChannelHealth } from "../../../src/channels/health.js";
import { TelegramPoller, type GetUpdatesParams } from "../../../src/channels/telegram/poller.js";

describe("TelegramPoller", () => {
  it("should poll again while an update is still being handled, and confirm the offset on stop", async () => {
    const polls: GetUpdatesParams[] = [];
    const batches = [[{ update_id: 10 }, { update_id: 11 }], [{ update_id: 12 }]];
    let finishFirst!: () => void;
    const handled: number[] = [];
    const health = new ChannelHealth();
    const poller = new TelegramPoller<{ update_id: number }>({
      allowedUpdates: ["message"], health,
      getUpdates: async (params, signal) => {
        polls.push(params);
        const next = batches.shift();
        if (next) return next;
        if (params.timeout === 0) return [];
        await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
        throw Object.assign(new Error("aborted"), { name: "AbortError" });
      },
      dispatch: async (u) => {
        if (u.update_id === 10) await new Promise<void>((r) => (finishFirst = r));
        handled.push(u.update_id);
      },
    });
    poller.start();
    while (!handled.includes(12)) await new Promise((r) => setImmediate(r));
    // 11 and 12 were handled while 10 still waits: polling did not wait for the batch.
    expect(handled).toEqual([11, 12]);
    expect(polls.map((p) => p.offset)).toEqual([0, 12, 13]);
    expect(polls[0]!.timeout).toBe(0); // the first poll answers at once, so `polling` shows early
    expect(health.get("telegram")?.state).toBe("polling");
    const stopped = poller.stop();
    finishFirst();
    await stopped;
    expect(handled).toEqual([11, 12, 10]);
    expect(polls.at(-1)).toMatchObject({ offset: 13, timeout: 0, limit: 1 });
    expect(health.get("telegram")?.state).toBe("stopped");
  });

  it("should back off longer after each failed poll and wait a 429's retry_after", async () => {
    const answers: unknown[] = [
      { response: { error_code: 502, description: "Bad Gateway" } },
      Object.assign(new Error("connect ECONNREFUSED"), { name: "FetchError", code: "ECONNREFUSED" }),
      { response: { error_code: 409, description: "Conflict" } },
      { response: { error_code: 429, description: "Too Many Requests", parameters: { retry_after: 7 } } },
    ];
    const pauses: number[] = [];
    const health = new ChannelHealth();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const poller = new TelegramPoller<{ update_id: number }>({
      allowedUpdates: ["message"], health, backoff: { random: () => 0.999 },
      getUpdates: async (_p, signal) => {
        const a = answers.shift();
        if (a) throw a;
        resolveDone();
        await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
        return [];
      },
      dispatch: async () => undefined,
      sleep: async (ms) => {
        pauses.push(ms);
        expect(health.get("telegram")).toMatchObject({ state: "failing", failures: pauses.length });
      },
    });
    poller.start();
    await done;
    expect(pauses).toHaveLength(4);
    expect(pauses[0]).toBeLessThanOrEqual(1000);
    expect(pauses[1]).toBeGreaterThan(pauses[0]!);
    expect(pauses[2]).toBeGreaterThan(pauses[1]!);
    expect(pauses[3]).toBeGreaterThanOrEqual(7000);
    await poller.stop();
  });
});
