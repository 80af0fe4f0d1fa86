import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk, frontDesk, triage, type Conversation } from "../../src/chat/index.js";
import {
  BullmqDispatcher, OutboxRunner, jobPriority, renderOutbox, type DeliveryOptions,
} from "../../src/notify/index.js";
import { classifyTriage } from "../../src/triage/index.js";
import { calendar, harness, loadTexts, type Harness } from "../helpers.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ORDINARY = 50;

/**
 * A stack with a duty leader bound on a channel of its own, a front desk whose triage calls
 * `onAlert`, and 50 ordinary notifications already waiting for that leader.
 */
async function setup(provider: "sqlite" | "postgresql", onAlert: () => void = () => {}) {
  const h = await harness({ provider });
  const channel = `chan-${randomUUID().slice(0, 8)}`;
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  const cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: "Asia/Shanghai" });
  const leader = `leader-${randomUUID().slice(0, 8)}`;
  const { code } = await cadres.invite("duty_desk", "leader", "值班长");
  const desk: Conversation = frontDesk({
    cadres, before: [triage({ classify: classifyTriage, alerts: h.cases, texts, onAlert })], residents: h.engine,
  });
  expect((await desk.handle({ channel, userId: leader, text: `/bind ${code}` }))[0]!.text).toMatch(/绑定成功/);
  // Ordinary rows (a handoff renders without a case), queued before the alert and older than it.
  for (let i = 0; i < ORDINARY; i++) {
    await h.repository.enqueue({
      kind: "cadre.handoff", dedupeKey: `ordinary:${randomUUID()}`, channel, chatId: leader,
      payload: { channel: "web", reason: "asked", description: `ordinary ${i}`, locale: "zh-CN", audience: "private" },
    });
  }
  const sent: string[] = [];
  const options: DeliveryOptions = {
    db: h.db, deliverers: new Map([[channel, async (_chatId, reply) => (sent.push(reply.text), "sent" as const)]]),
    render: (row) => renderOutbox(row, h.db, texts, "Asia/Shanghai"),
  };
  const gasLeak = () =>
    desk.handle({ channel: "web", userId: `res-${randomUUID().slice(0, 8)}`, text: "煤气泄漏了，楼道里全是味道" });
  return { h, channel, sent, options, gasLeak };
}

const isAlert = (text: string) => /紧急情况｜危及生命/.test(text) && text.includes("煤气泄漏");

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("danger alerts ahead of everything else", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  const track = (h: Harness) => cleanup.push(() => h.close());

  for (const provider of ["sqlite", "postgresql"] as const) {
    it(`should send an alert row before 50 older ordinary rows on the in-process runner (${provider})`, async () => {
      const { h, sent, options, gasLeak } = await setup(provider);
      track(h);
      await gasLeak();
      const report = await new OutboxRunner(options).runOnce(new Date(Date.now() + 1000));
      expect(isAlert(sent[0]!)).toBe(true);
      expect(report.sent).toBe(50); // one batch: the alert and 49 of the ordinary rows
      expect(sent.filter(isAlert)).toHaveLength(1);
    });
  }

  it("should send the alert to the bound duty leader in the run its nudge starts, first of that run", async () => {
    let runner: OutboxRunner | undefined;
    const { h, sent, options, gasLeak } = await setup("sqlite", () => runner?.nudge());
    track(h);
    // Rows delivered before the resident writes would hide the order: the runner starts with none due.
    const park = (at: number) =>
      h.db.outboxMessage.updateMany({ where: { kind: "cadre.handoff" }, data: { availableAt: new Date(at) } });
    expect((await park(Date.now() + 3_600_000)).count).toBe(ORDINARY);
    let runs = 0;
    runner = new OutboxRunner({ ...options, logger: undefined });
    const runOnce = runner.runOnce.bind(runner);
    runner.runOnce = (now) => (runs++, runOnce(now));
    await runner.start(600_000); // polls every 10 minutes: only a nudge makes it run again
    cleanup.push(() => runner!.stop());
    await until("the first run", () => runs === 1);
    await park(Date.now() - 1000);
    await gasLeak();
    await until("the alert", () => sent.some(isAlert));
    expect(runs).toBe(2); // the nudged run, not the 10-minute poll
    expect(isAlert(sent[0]!)).toBe(true);
  });

  it("should run the alert's BullMQ job before 50 ordinary jobs queued earlier (real Redis)", async () => {
    const { h, sent, options, gasLeak } = await setup("sqlite");
    track(h);
    const queueName = `test-alerts-${randomUUID()}`;
    // A bot process (no worker) hands the 50 ordinary rows to the queue first …
    const common = { ...options, redisUrl: REDIS_URL, queueName, relayIntervalMs: 3_600_000 };
    const relay = new BullmqDispatcher({ ...common, work: false });
    cleanup.push(() => relay.stop());
    expect(await relay.relayOnce(new Date(Date.now() + 1000))).toBe(ORDINARY);
    // … then the alert is raised and relayed at once, as src/main.ts does on an alert.
    await gasLeak();
    expect(await relay.relayOnce(new Date(Date.now() + 1000))).toBe(1);
    // A worker taking one job at a time picks the alert's job first.
    const worker = new BullmqDispatcher({ ...common, concurrency: 1 });
    cleanup.push(async () => {
      await worker.obliterate();
      await worker.stop();
    });
    await worker.start();
    await until("every row", () => sent.length === ORDINARY + 1);
    expect(isAlert(sent[0]!)).toBe(true);
    expect(sent.filter(isAlert)).toHaveLength(1);
  });

  it("should map outbox priority to BullMQ's (none runs first, then lower numbers)", () => {
    expect(jobPriority(10)).toBe(0);
    expect(jobPriority(0)).toBe(10);
    expect(jobPriority(5)).toBeLessThan(jobPriority(0));
    expect(jobPriority(-3)).toBeGreaterThan(jobPriority(0));
  });
});
