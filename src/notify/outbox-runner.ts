import { deliverRow, takeDue, type DeliveryOptions } from "./delivery.js";

/** Options of the {@link OutboxRunner}. */
export interface OutboxRunnerOptions extends DeliveryOptions {
  /** Rows per run. */
  batch?: number;
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
 * The in-process delivery of the outbox (embedded default, no Redis): every `intervalMs` it
 * releases rows whose sender died (lease over), then delivers the due rows one by one with
 * deliverRow — each exactly once, failures retried with backoff.
 */
export class OutboxRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private nudged = false;
  private intervalMs = 2000;

  constructor(private readonly o: OutboxRunnerOptions) {}

  /** Delivers everything due at `now`; returns what it did. */
  async runOnce(now = new Date()): Promise<RunReport> {
    const report: RunReport = { sent: 0, retried: 0, failed: 0, released: 0, latenciesMs: [] };
    const { released, due } = await takeDue(this.o, now, this.o.batch ?? 50);
    report.released = released;
    for (const { id } of due) {
      const r = await deliverRow(this.o, id, now);
      if (r.outcome === "sent") {
        report.sent++;
        report.latenciesMs.push(r.latencyMs!);
      } else if (r.outcome === "retry") report.retried++;
      else if (r.outcome === "failed") report.failed++;
    }
    return report;
  }

  /** Runs every `intervalMs` until stop(). */
  async start(intervalMs = 2000): Promise<void> {
    this.intervalMs = intervalMs;
    this.timer = setTimeout(this.tick, 10);
  }

  /** One run; the next follows after `intervalMs`, or at once when nudged meanwhile. */
  private readonly tick = async (): Promise<void> => {
    this.nudged = false;
    try {
      this.running = this.runOnce();
      const r = (await this.running) as RunReport;
      if (r.sent || r.failed) this.o.logger?.info({ sent: r.sent, failed: r.failed, retried: r.retried }, "outbox delivered");
    } catch (err) {
      this.o.logger?.error({ err }, "outbox run failed");
    } finally {
      this.running = undefined;
      if (this.timer) this.timer = setTimeout(this.tick, this.nudged ? 0 : this.intervalMs);
    }
  };

  /**
   * Delivers now rather than at the next tick (e.g. a danger alert was just queued). A run in
   * progress is not interrupted; one more run follows it. No-op when not started.
   */
  nudge(): void {
    if (!this.timer) return;
    this.nudged = true;
    if (this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  }

  /** Stops after the run in progress. */
  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.running;
  }
}
