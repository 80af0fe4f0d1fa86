/** A channel's state as /readyz reports it (see channels/health.ts; structural, so http needs no import). */
export interface ChannelReadiness {
  state: string;
  since: Date;
  failures?: number;
  error?: string;
}

/** What /readyz adds to `{ ok }`: each channel's state and since when (ISO), when channels are watched. */
export interface ReadyReport {
  channels?: Record<string, { state: string; since: string; failures?: number; error?: string }>;
}

/** Thrown by a readiness check; the message says which dependency is down, and nothing more. */
export class NotReadyError extends Error {
  readonly code = "HTTP.NOT_READY";
  constructor(
    readonly dependency: "database" | "redis" | `channel:${string}`,
    options?: ErrorOptions & { message?: string; report?: ReadyReport },
  ) {
    super(options?.message ?? `${dependency} unavailable`, options);
    this.name = "NotReadyError";
    this.report = options?.report ?? {};
  }
  /** The channels' states, for the 503 body. */
  readonly report: ReadyReport;
}

/**
 * The check behind /readyz: the database answers a query and (scale mode) Redis answers PING,
 * each within `timeoutMs`, and no watched channel is `failing` (e.g. Telegram getUpdates keeps
 * answering 409 because another process polls). Resolves with the channels' states; throws
 * NotReadyError naming the first dependency that is down ("telegram failing since <ISO>").
 */
export function readiness(o: {
  database: () => Promise<unknown>;
  redis?: () => Promise<unknown>;
  /** The channels' states by channel id (ChannelHealth.snapshot). */
  channels?: () => Record<string, ChannelReadiness>;
  timeoutMs?: number;
}): () => Promise<ReadyReport> {
  const within = <T>(p: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out")), o.timeoutMs ?? 2000);
      p.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  return async () => {
    await within(o.database()).catch((err: unknown) => {
      throw new NotReadyError("database", { cause: err });
    });
    if (o.redis) {
      await within(o.redis()).catch((err: unknown) => {
        throw new NotReadyError("redis", { cause: err });
      });
    }
    if (!o.channels) return {};
    const states = o.channels();
    const report: ReadyReport = {
      channels: Object.fromEntries(
        Object.entries(states).map(([id, s]) => [id, { ...s, since: s.since.toISOString() }]),
      ),
    };
    const failing = Object.entries(states).find(([, s]) => s.state === "failing");
    if (failing) {
      const [id, s] = failing;
      throw new NotReadyError(`channel:${id}`, { message: `${id} failing since ${s.since.toISOString()}`, report });
    }
    return report;
  };
}
