import { afterAll, describe, expect, it } from "vitest";
import { BullmqDispatcher, type Deliverer } from "../../src/notify/index.js";
import { harness } from "../helpers.js";
import { PrivatePostgres, PrivateRedis, fileCase, until } from "./services.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe("PostgreSQL down while a worker runs its jobs", () => {
  it("should deliver the notification once the database is back, not leave it to a dead job", async () => {
    const cluster = await PrivatePostgres.withDatabase("petition");
    cleanups.push(() => cluster.destroy());
    const { migrate } = await import("../../src/db/database.js");
    await migrate(cluster.url("petition"));
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const h = await harness({ url: cluster.url("petition") });
    cleanups.push(() => h.close());
    await h.db.unit.updateMany({ data: { chatTargets: [{ channel: "rec", chatId: "unit-group" }] } });
    const sent: string[] = [];
    const deliverers = new Map<string, Deliverer>([["rec", async (_c, reply) => (sent.push(reply.text), "sent")]]);
    const options = { db: h.db, deliverers, render: async () => ({ text: "new case", buttons: [], expects: null, caseNo: null }), redisUrl: redis.url, relayIntervalMs: 200, leaseMs: 3000 };

    // A bot-side relay hands the row to the queue; no worker runs yet.
    const relay = new BullmqDispatcher({ ...options, work: false });
    await relay.start();
    await fileCase((m) => h.engine.handle({ channel: "web", userId: "resident-dbdown-1", ...m }));
    await until("the row to be queued", async () => (await h.db.outboxMessage.count({ where: { status: "queued" } })) === 1, 20_000);
    await relay.stop();

    // The database goes down; a worker starts and runs the job, which cannot claim the row.
    await cluster.down();
    const worker = new BullmqDispatcher(options);
    cleanups.push(() => worker.stop());
    await worker.start();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sent).toHaveLength(0);
    await cluster.up();

    await until("the notification", () => sent.length === 1, 30_000, 100);
    await new Promise((r) => setTimeout(r, 1500)); // a late double would show up here
    expect(sent).toHaveLength(1);
    expect((await h.db.outboxMessage.findFirstOrThrow({})).status).toBe("sent");
  }, 120_000);
});
