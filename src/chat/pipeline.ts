import type { Conversation, Inbound, Reply } from "./message.js";

/**
 * One step of the inbound path, as grammY's and Hono's middleware: it may answer the message
 * itself (return replies without calling `next`), pass it on (`return next()`), pass on a
 * changed message (`next(changed)`), or add to what the rest of the chain answers.
 */
export type Middleware = (msg: Inbound, next: (msg?: Inbound) => Promise<Reply[]>) => Promise<Reply[]>;

/** A step or a whole conversation (which always answers, so it ends the chain). */
export type Step = Middleware | Conversation;

function asMiddleware(step: Step): Middleware {
  if (typeof step === "function") return step;
  return function conversation(msg) {
    return step.handle(msg);
  };
}

/**
 * Composes the inbound path in one place: the message runs through `steps` from first to last;
 * a Conversation among them answers and ends the chain. Past the last step the answer is no
 * reply (the message is dropped). `next` may be called once per step.
 *
 * @example
 * const inbound = pipeline(inFlight.middleware, measure(meter), rateLimit({ counter, texts }), frontDesk);
 * const replies = await inbound.handle({ channel: "web", userId: "u1", text: "路灯坏了" });
 */
export function pipeline(...steps: Step[]): Conversation {
  const chain = steps.map(asMiddleware);
  const run = (i: number, msg: Inbound): Promise<Reply[]> => {
    const step = chain[i];
    if (!step) return Promise.resolve([]);
    let called = false;
    return step(msg, (changed) => {
      if (called) return Promise.reject(new Error(`pipeline: next() called twice by step ${i} (${step.name || "anonymous"})`));
      called = true;
      return run(i + 1, changed ?? msg);
    });
  };
  return { handle: (msg) => run(0, msg) };
}

/**
 * A desk as a step: `desk.handle` returns its replies when the message is its business, or
 * null to let the rest of the chain have it (the cadre desk for non-cadres, the follow-up desk
 * for what is no poll answer or review request).
 */
export function desk(name: string, d: { handle(msg: Inbound): Promise<Reply[] | null | undefined> }): Middleware {
  const step: Middleware = async (msg, next) => (await d.handle(msg)) ?? next();
  Object.defineProperty(step, "name", { value: name });
  return step;
}
