/** Thrown by a readiness check; the message says which dependency is down, and nothing more. */
export class NotReadyError extends Error {
  readonly code = "HTTP.NOT_READY";
  constructor(readonly dependency: "database" | "redis", options?: ErrorOptions) {
    super(`${dependency} unavailable`, options);
    this.name = "NotReadyError";
  }
}

/**
 * The check behind /readyz: the database answers a query and (scale mode) Redis answers PING,
 * each within `timeoutMs`. Throws NotReadyError naming the first that does not.
 */
export function readiness(o: { database: () => Promise<unknown>; redis?: () => Promise<unknown>; timeoutMs?: number }): () => Promise<void> {
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
  };
}
