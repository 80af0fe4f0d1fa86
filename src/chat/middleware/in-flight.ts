import type { Inbound, Reply } from "../message.js";
import type { Middleware } from "../pipeline.js";

/**
 * Keeps count of the messages being handled, for a graceful shutdown: `drain()` refuses new
 * messages (they get `closing`'s replies, or none) and resolves once every message already
 * taken has been answered and its state stored. Use `middleware` as the first step of the
 * inbound pipeline.
 */
export class InFlight {
  private running = 0;
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(private readonly closing: (msg: Inbound) => Reply[] = () => []) {}

  /** Messages being handled right now. */
  get size(): number {
    return this.running;
  }

  /** The pipeline step: counts the message while the rest of the chain handles it. */
  readonly middleware: Middleware = async (msg, next) => {
    if (this.closed) return this.closing(msg);
    this.running++;
    try {
      return await next();
    } finally {
      if (--this.running === 0) for (const r of this.idle.splice(0)) r();
    }
  };

  /** Stops taking messages; resolves when the ones in flight are done, or after `timeoutMs` (false then). */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    this.closed = true;
    if (this.running === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
