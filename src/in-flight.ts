import type { Conversation } from "./cases/index.js";
import type { Inbound, Reply } from "./dialog/index.js";

/**
 * Keeps count of the messages being handled, for a graceful shutdown: `drain()` refuses new
 * messages (they get `closing`'s replies, or none) and resolves once every message already
 * taken has been answered and its state stored.
 */
export class InFlight implements Conversation {
  private running = 0;
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(private readonly inner: Conversation, private readonly closing: (msg: Inbound) => Reply[] = () => []) {}

  /** Messages being handled right now. */
  get size(): number {
    return this.running;
  }

  async handle(msg: Inbound): Promise<Reply[]> {
    if (this.closed) return this.closing(msg);
    this.running++;
    try {
      return await this.inner.handle(msg);
    } finally {
      if (--this.running === 0) for (const r of this.idle.splice(0)) r();
    }
  }

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
