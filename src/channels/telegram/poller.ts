import type { Logger } from "../../logger.js";
import { retryDelay, type BackoffOptions } from "../backoff.js";
import { ConflictChannelError } from "../errors.js";
import type { ChannelHealth } from "../health.js";
import { toChannelError } from "./api-error.js";

/** The part of an update the poller reads. */
export interface PolledUpdate {
  update_id: number;
}

/** Parameters of one getUpdates call (Bot API names). */
export interface GetUpdatesParams {
  offset: number;
  /** Long-polling timeout in seconds (0: answer at once). */
  timeout: number;
  allowed_updates: readonly string[];
  limit?: number;
}

/** Options of {@link TelegramPoller}. */
export interface TelegramPollerOptions<U extends PolledUpdate> {
  /** Calls getUpdates; rejects with the API's or the network's error; `signal` aborts it on stop. */
  getUpdates: (params: GetUpdatesParams, signal: AbortSignal) => Promise<U[]>;
  /** Handles one update; the poller does not wait for it before polling again. */
  dispatch: (update: U) => Promise<void>;
  /** Update types to receive (allowed_updates). */
  allowedUpdates: readonly string[];
  /** Where the channel's state goes ("telegram": starting, polling, failing, stopped). */
  health?: ChannelHealth;
  logger?: Logger;
  /** Long-polling timeout in seconds (default 50). */
  timeoutSeconds?: number;
  /** Updates being handled at most; polling waits while there are more (default 1,000). */
  maxInFlight?: number;
  /** Backoff after a failed getUpdates (default 1 s doubling to 60 s, with jitter; 429 waits retry_after). */
  backoff?: BackoffOptions;
  /** Milliseconds `stop()` waits for updates still being handled (default 15,000). */
  drainMs?: number;
  /** Sleep, for tests; must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const CONFLICT_LINE = "Telegram: another process is polling with this bot token (409 Conflict); "
  + "stop it or use webhook mode (TELEGRAM_WEBHOOK_URL)";

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Long polling that receives updates apart from handling them: each polled update is handed to
 * `dispatch` and the next getUpdates goes out at once, so a chat whose answer waits (a 429, a
 * slow turn) holds up nobody else — telegraf's own loop waits for a whole batch first. Updates
 * of one chat stay in order because `dispatch` queues them per chat. A failed getUpdates — 409
 * (another poller, or a webhook is set), 5xx, 429, network — is logged, retried with backoff,
 * and reported as `failing` (since its first failure) until a poll succeeds again.
 *
 * Window: the next getUpdates confirms the updates before it to Telegram, also those still
 * being handled; a crash at that moment loses them (as it would already after `firstDelivery`).
 */
export class TelegramPoller<U extends PolledUpdate> {
  private offset = 0;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly o: TelegramPollerOptions<U>) {
    this.sleep = o.sleep ?? abortableSleep;
  }

  /** Starts polling in the background; the first call answers at once, so `polling` is reported early. */
  start(): void {
    if (this.loop) return;
    this.o.health?.set("telegram", "starting");
    this.loop = this.run();
  }

  /** Stops polling, waits (up to `drainMs`) for updates being handled, and confirms the offset. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.abort.abort();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((r) => (timer = setTimeout(r, this.o.drainMs ?? 15_000)));
    await Promise.race([Promise.allSettled([...this.inFlight]), limit]);
    clearTimeout(timer);
    if (this.offset > 0) {
      const params = { offset: this.offset, timeout: 0, limit: 1, allowed_updates: this.o.allowedUpdates };
      await this.o.getUpdates(params, new AbortController().signal).catch(() => undefined);
    }
    this.o.health?.set("telegram", "stopped");
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let failures = 0;
    let timeout = 0;
    while (!signal.aborted) {
      let updates: U[];
      try {
        const params = { offset: this.offset, timeout, allowed_updates: this.o.allowedUpdates };
        updates = await this.o.getUpdates(params, signal);
      } catch (raw) {
        if (signal.aborted) break;
        const err = toChannelError(raw, "getUpdates");
        failures++;
        this.o.health?.set("telegram", "failing", { failures, error: err.description.slice(0, 200) });
        const ms = retryDelay(err, failures - 1, { baseMs: 1000, maxMs: 60_000, ...this.o.backoff });
        const fields = { channel: "telegram", code: err.code, status: err.status, failures, retryInMs: ms };
        if (failures === 1 && err instanceof ConflictChannelError) {
          this.o.logger?.error(fields, CONFLICT_LINE);
          process.stderr.write(`petition-bot: ${CONFLICT_LINE}\n`);
        } else if (failures === 1) {
          this.o.logger?.error({ ...fields, error: err.description }, "Telegram getUpdates failed; retrying");
        } else {
          this.o.logger?.warn(fields, "Telegram getUpdates still failing; retrying");
        }
        await this.sleep(ms, signal);
        continue;
      }
      if (failures) this.o.logger?.info({ channel: "telegram", failures }, "Telegram polling resumed");
      failures = 0;
      timeout = this.o.timeoutSeconds ?? 50;
      this.o.health?.set("telegram", "polling");
      for (const update of updates) {
        this.offset = Math.max(this.offset, update.update_id + 1);
        this.track(update);
      }
      while (this.inFlight.size >= (this.o.maxInFlight ?? 1000) && !signal.aborted) await Promise.race(this.inFlight);
    }
  }

  private track(update: U): void {
    const done: Promise<void> = this.o.dispatch(update)
      .catch((err: unknown) => this.o.logger?.error({ err, channel: "telegram", updateId: update.update_id },
        "telegram update failed"))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}
