import type { Db } from "../db/database.js";
import type { Reply } from "../dialog/index.js";
import type { Logger } from "../logger.js";
import { RENDERED_KINDS, type OutboxRow } from "./render.js";

/** Sends one rendered message to a chat on one channel. */
export type Deliverer = (chatId: string, reply: Reply, audience: "private" | "group") => Promise<"sent" | "blocked" | "failed">;

/** Options of the {@link OutboxRunner}. */
export interface OutboxRunnerOptions {
  db: Db;
  /** One deliverer per channel that can push (telegram, wechat …); rows of other channels wait (web inbox). */
  deliverers: ReadonlyMap<string, Deliverer>;
  render: (row: OutboxRow) => Promise<Reply | null>;
  logger?: Logger;
  /** Rows per run. */
  batch?: number;
  /** Attempts before a row is marked failed. */
  maxAttempts?: number;
  /** How long a claimed row is reserved, in ms; a process that dies sending frees it after this. */
  leaseMs?: number;
}

/** What one run did. */
export interface RunReport {
  sent: number;
  retried: number;
  failed: number;
  released: number;
  /** Milliseconds from each sent row's creation to its delivery. */
  latenciesMs: number[];
}

/**
 * The in-process delivery of the outbox: claims due rows one by one (so several processes never
 * send the same row), renders and delivers them, marks them sent, and retries failures with
 * exponential backoff (5 s, 10 s, 20 s … capped at 1 h). A row claimed by a process that died is
 * released when its lease runs out and sent then — nothing is lost.
 */
export class OutboxRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly o: OutboxRunnerOptions) {}

  /** Delivers everything due at `now`; returns what it did. */
  async runOnce(now = new Date()): Promise<RunReport> {
    const db = this.o.db;
    const report: RunReport = { sent: 0, retried: 0, failed: 0, released: 0, latenciesMs: [] };
    const released = await db.outboxMessage.updateMany({ where: { status: "sending", availableAt: { lt: now } }, data: { status: "pending" } });
    report.released = released.count;
    const due = await db.outboxMessage.findMany({
      where: { status: "pending", availableAt: { lte: now }, kind: { in: [...RENDERED_KINDS] }, channel: { in: [...this.o.deliverers.keys()] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: this.o.batch ?? 50,
    });
    for (const row of due) {
      const lease = new Date(now.getTime() + (this.o.leaseMs ?? 300_000));
      const claimed = await db.outboxMessage.updateMany({ where: { id: row.id, status: "pending" }, data: { status: "sending", availableAt: lease, attempts: { increment: 1 } } });
      if (claimed.count !== 1) continue; // another process took it
      let outcome: "sent" | "blocked" | "failed" = "failed";
      let error = "";
      try {
        const reply = await this.o.render(row);
        if (!reply) {
          outcome = "blocked";
          error = "nothing to send (case gone)";
        } else outcome = await this.o.deliverers.get(row.channel!)!(row.chatId!, reply, (row.payload as { audience?: string })?.audience === "group" ? "group" : "private");
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      if (outcome === "sent") {
        const sentAt = new Date();
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: "sent", sentAt } });
        report.sent++;
        report.latenciesMs.push(sentAt.getTime() - row.createdAt.getTime());
        continue;
      }
      const attempts = row.attempts + 1;
      if (outcome === "blocked" || attempts >= (this.o.maxAttempts ?? 8)) {
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", lastError: (error || outcome).slice(0, 500) } });
        report.failed++;
        this.o.logger?.warn({ outboxId: row.id, kind: row.kind, channel: row.channel, outcome }, "notification not delivered");
      } else {
        const backoff = Math.min(3_600_000, 5000 * 2 ** (attempts - 1));
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: "pending", availableAt: new Date(now.getTime() + backoff), lastError: (error || "send failed").slice(0, 500) } });
        report.retried++;
      }
    }
    return report;
  }

  /** Runs every `intervalMs` until stop(). */
  start(intervalMs = 2000): void {
    const tick = async () => {
      try {
        this.running = this.runOnce();
        const r = (await this.running) as RunReport;
        if (r.sent || r.failed) this.o.logger?.info({ sent: r.sent, failed: r.failed, retried: r.retried }, "outbox delivered");
      } catch (err) {
        this.o.logger?.error({ err }, "outbox run failed");
      } finally {
        this.running = undefined;
        if (this.timer) this.timer = setTimeout(tick, intervalMs);
      }
    };
    this.timer = setTimeout(tick, 10);
  }

  /** Stops after the run in progress. */
  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.running;
  }
}
