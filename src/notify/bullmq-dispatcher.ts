// The only file that imports bullmq.
import { Queue, Worker, type Job } from "bullmq";
import { ALERT_PRIORITY } from "../domain/index.js";
import type { Logger } from "../logger.js";
import { deliverRow, takeDue, type DeliveryOptions } from "./delivery.js";

/** Options of the {@link BullmqDispatcher}. */
export interface BullmqDispatcherOptions extends DeliveryOptions {
  /** redis://… (REDIS_URL). */
  redisUrl: string;
  /** Queue name; tests use a fresh one each. */
  queueName?: string;
  /** How often due outbox rows are handed to the queue, in ms. */
  relayIntervalMs?: number;
  /** Jobs a worker runs at once. */
  concurrency?: number;
  /** Runs the clocks (reminders, escalation, digests); scheduled once a minute across all workers. `run` names the scheduled run (the same on every worker). */
  onClock?: (now: Date, run: string) => Promise<void>;
  /** How often the clocks run, in ms (default 60 s). */
  clockEveryMs?: number;
  /** false = enqueue only (a bot process); true = also work (a worker process). Default true. */
  work?: boolean;
  logger?: Logger;
}

/**
 * The BullMQ job priority of an outbox row of priority `p` (higher = sooner): BullMQ runs jobs
 * without a priority (0) first and then lower numbers first, so alerts (ALERT_PRIORITY and above)
 * get none and ordinary rows (0) get ALERT_PRIORITY.
 */
export function jobPriority(p: number): number {
  return Math.min(2_097_151, Math.max(0, ALERT_PRIORITY - p));
}

function connection(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), password: u.password || undefined, db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };
}

/**
 * Outbox delivery through BullMQ on Redis (scale mode): a relay hands each due outbox row to the
 * queue as a job whose id is the row id (so a row is queued once however many relays run), and
 * workers deliver it with deliverRow — the database stays the truth, so a job that runs twice
 * still sends once, and rows whose job was lost (Redis restarted) are handed over again when
 * their lease runs out. A job scheduler runs the clocks once a minute across all workers.
 */
export class BullmqDispatcher {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private relayTimer: NodeJS.Timeout | undefined;
  private relaying: Promise<unknown> | undefined;

  constructor(private readonly o: BullmqDispatcherOptions) {
    this.queue = new Queue(o.queueName ?? "petition-outbox", { connection: connection(o.redisUrl) });
    // Redis away: commands wait for the reconnect; say so once a minute, not once per retry.
    let said = 0;
    this.queue.on("error", (err) => {
      if (Date.now() - said < 60_000) return;
      said = Date.now();
      o.logger?.error({ err }, "queue: Redis unreachable; notifications wait in the outbox until it is back");
    });
  }

  /** Hands due rows to the queue; returns how many. */
  async relayOnce(now = new Date()): Promise<number> {
    const db = this.o.db;
    const lease = new Date(now.getTime() + (this.o.leaseMs ?? 300_000));
    const { due } = await takeDue(this.o, now, 200);
    let n = 0;
    for (const row of due) {
      const { count } = await db.outboxMessage.updateMany({ where: { id: row.id, status: "pending" }, data: { status: "queued", availableAt: lease } });
      if (count !== 1) continue;
      // One job per handover (row id, attempt, lease): a re-added id is ignored by BullMQ, and a
      // row handed over again after its lease ran out — its job died with Redis, or failed
      // because the database was down before it could claim the row — gets a new job. The row
      // claim in deliverRow, not the job id, is what keeps a notification from going out twice.
      await this.queue.add("deliver", { id: row.id, at: now.toISOString() }, {
        jobId: `${row.id}-${row.attempts}-${lease.getTime()}`, priority: jobPriority(row.priority),
        removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 },
      });
      n++;
    }
    return n;
  }

  /** Starts relaying (and working, unless `work: false`). */
  async start(): Promise<void> {
    if (this.o.work !== false) {
      this.worker = new Worker(this.queue.name, (job: Job) => this.process(job), { connection: connection(this.o.redisUrl), concurrency: this.o.concurrency ?? 5 });
      let said = 0;
      this.worker.on("error", (err) => {
        if (Date.now() - said < 60_000) return;
        said = Date.now();
        this.o.logger?.error({ err }, "queue worker error");
      });
      if (this.o.onClock) await this.queue.upsertJobScheduler("clock", { every: this.o.clockEveryMs ?? 60_000 }, { name: "clock" });
    }
    const tick = async () => {
      try {
        this.relaying = this.relayOnce();
        await this.relaying;
      } catch (err) {
        this.o.logger?.error({ err }, "outbox relay failed");
      } finally {
        this.relaying = undefined;
        if (this.relayTimer) this.relayTimer = setTimeout(tick, this.o.relayIntervalMs ?? 1000);
      }
    };
    this.relayTimer = setTimeout(tick, 10);
  }

  private async process(job: Job): Promise<unknown> {
    if (job.name === "clock") return this.o.onClock?.(new Date(), String(job.id));
    // The relay's clock, when it runs ahead of this one (tests move time; clocks drift).
    const at = new Date(Math.max(Date.now(), Date.parse(String(job.data.at ?? "")) || 0));
    const r = await deliverRow(this.o, String(job.data.id), at);
    return r.outcome;
  }

  /** Jobs waiting or running (queue depth, for metrics and tests). */
  async depth(): Promise<number> {
    // Ordinary rows are prioritized jobs (jobPriority), which BullMQ counts apart from "waiting".
    const c = await this.queue.getJobCounts("waiting", "prioritized", "active", "delayed");
    return (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.active ?? 0) + (c.delayed ?? 0);
  }

  /** Stops relaying, lets running jobs finish, closes Redis connections. */
  async stop(): Promise<void> {
    const t = this.relayTimer;
    this.relayTimer = undefined;
    if (t) clearTimeout(t);
    await this.relaying;
    await this.worker?.close();
    await this.queue.close();
  }

  /** Removes the queue and its jobs (tests). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
