import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Reply } from "../../src/chat/message.js";
import { BullmqDispatcher, OutboxRunner, renderOutbox, type DeliveryOptions } from "../../src/notify/index.js";
import { harness, last, loadTexts, type Harness } from "../helpers.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A way of delivering the outbox, driven by the contract below. */
interface Dispatch {
  /** Delivers what is due at `now` and waits until it is done. */
  settle(now: Date): Promise<void>;
  stop(): Promise<void>;
}
type MakeDispatch = (o: DeliveryOptions) => Promise<Dispatch>;

const inProcess: MakeDispatch = async (o) => {
  const runner = new OutboxRunner(o);
  return { settle: async (now) => void (await runner.runOnce(now)), stop: () => runner.stop() };
};

const bullmq: MakeDispatch = async (o) => {
  const d = new BullmqDispatcher({ ...o, redisUrl: REDIS_URL, queueName: `test-outbox-${randomUUID()}`, relayIntervalMs: 3_600_000 });
  await d.start();
  return {
    settle: async (now) => {
      await d.relayOnce(now);
      const start = Date.now();
      for (;;) {
        const busy = await o.db.outboxMessage.count({ where: { status: "queued", channel: { in: [...o.deliverers.keys()] } } });
        if (busy === 0 && (await d.depth()) === 0) return;
        if (Date.now() - start > 15_000) throw new Error("queue did not settle");
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: async () => {
      await d.obliterate();
      await d.stop();
    },
  };
};

/** One contract for every outbox delivery backend (BullMQ's adapter-conformance idea). */
function dispatchConformance(name: string, provider: "sqlite" | "postgresql", make: MakeDispatch) {
  describe(`${name} outbox delivery (conformance, ${provider})`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      while (cleanup.length) await cleanup.pop()!();
    });

    /** A stack with one filed case and `n` notifications for chat "res" on channel "test". */
    // Each test sends on a channel of its own, so rows of other test files (on the shared
    // PostgreSQL database) are never picked up.
    let channel = "";
    async function setup(n: number): Promise<{ h: Harness; caseNo: string; ids: string[] }> {
      channel = `chan-${randomUUID().slice(0, 8)}`;
      const h = await harness({ provider });
      cleanup.push(() => h.close());
      const user = `res-${randomUUID().slice(0, 8)}`;
      for (const line of ["村口那条路全是坑，车都开不过去", "对", "青山镇石桥村", "跳过", "跳过", "跳过", "13800001234"]) await h.say(line, user);
      const caseNo = last(await h.say("确认", user)).caseNo!;
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        ids.push(id);
        await h.db.outboxMessage.create({ data: { id, kind: "resident.status", dedupeKey: `t:${id}`, channel, chatId: user, payload: { caseNo, action: "accept", locale: "zh-CN" }, availableAt: new Date("2026-01-01T00:00:00Z") } });
      }
      return { h, caseNo, ids };
    }

    async function options(h: Harness, deliver: (chatId: string, reply: Reply) => Promise<"sent" | "failed">): Promise<DeliveryOptions> {
      const texts = await loadTexts();
      return { db: h.db, deliverers: new Map([[channel, deliver]]), render: (row) => renderOutbox(row, h.db, texts, "Asia/Shanghai") };
    }

    it("should deliver every due notification exactly once", async () => {
      const { h, caseNo, ids } = await setup(5);
      const sent: string[] = [];
      const d = await make(await options(h, async (_c, r) => (sent.push(r.text), "sent")));
      cleanup.push(() => d.stop());
      await d.settle(new Date());
      await d.settle(new Date());
      expect(sent).toHaveLength(5);
      expect(sent[0]).toContain(caseNo);
      expect(await h.db.outboxMessage.count({ where: { id: { in: ids }, status: "sent" } })).toBe(5);
    });

    it("should retry a failed send after a backoff and then deliver it once", async () => {
      const { h, ids } = await setup(1);
      let calls = 0;
      const d = await make(await options(h, async () => (++calls === 1 ? "failed" : "sent")));
      cleanup.push(() => d.stop());
      const now = new Date();
      await d.settle(now);
      expect((await h.db.outboxMessage.findUnique({ where: { id: ids[0]! } }))!.status).toBe("pending");
      await d.settle(new Date(now.getTime() + 60_000));
      expect(calls).toBe(2);
      expect((await h.db.outboxMessage.findUnique({ where: { id: ids[0]! } }))!.status).toBe("sent");
    });

    it("should deliver once when two processes deliver at the same time", async () => {
      const { h } = await setup(8);
      const sent: string[] = [];
      const opts = await options(h, async (_c, r) => {
        await new Promise((res) => setTimeout(res, Math.random() * 10));
        sent.push(r.text);
        return "sent";
      });
      const a = await make(opts);
      const b = await make(opts);
      cleanup.push(() => a.stop(), () => b.stop());
      const now = new Date();
      await Promise.all([a.settle(now), b.settle(now)]);
      expect(sent).toHaveLength(8);
    });

    it("should deliver, after its lease, a notification a dead process had claimed", async () => {
      const { h, ids } = await setup(1);
      const now = new Date();
      await h.db.outboxMessage.update({ where: { id: ids[0]! }, data: { status: "sending", availableAt: new Date(now.getTime() + 300_000) } });
      const sent: string[] = [];
      const d = await make(await options(h, async (_c, r) => (sent.push(r.text), "sent")));
      cleanup.push(() => d.stop());
      await d.settle(now);
      expect(sent).toHaveLength(0);
      await d.settle(new Date(now.getTime() + 301_000));
      expect(sent).toHaveLength(1);
    });
  });
}

dispatchConformance("in-process", "sqlite", inProcess);
dispatchConformance("in-process", "postgresql", inProcess);
dispatchConformance("BullMQ on Redis", "postgresql", bullmq);
dispatchConformance("BullMQ on Redis", "sqlite", bullmq);
