import { RateLimitedError, type ChannelError } from "./errors.js";

/** Options of {@link retryDelay}; every field has a default. */
export interface BackoffOptions {
  /** First backoff ceiling in milliseconds; doubled per attempt (default 500). */
  baseMs?: number;
  /** Largest backoff in milliseconds (default 30,000). */
  maxMs?: number;
  /** Extra milliseconds, at most, added to a 429's retry_after so waiting chats do not return at once (default 250). */
  rateLimitJitterMs?: number;
  /** A number in [0, 1); Math.random unless a test pins it. */
  random?: () => number;
}

/**
 * Milliseconds to wait before attempt `attempt + 1` after `err`: a rate limit's own
 * `retryAfterMs` plus a little jitter, else "full jitter" exponential backoff — a random wait
 * in [baseMs/2, min(maxMs, baseMs × 2^attempt)] (AWS architecture blog, "Exponential Backoff
 * and Jitter"). `attempt` counts from 0.
 *
 * @example
 * await sleep(retryDelay(err, attempt)); // 250–500 ms, then 250–1000 ms, … up to 30 s
 */
export function retryDelay(err: ChannelError, attempt: number, o: BackoffOptions = {}): number {
  const random = o.random ?? Math.random;
  if (err instanceof RateLimitedError) return err.retryAfterMs + Math.floor(random() * (o.rateLimitJitterMs ?? 250));
  const base = o.baseMs ?? 500;
  const ceiling = Math.min(o.maxMs ?? 30_000, base * 2 ** Math.min(attempt, 30));
  return Math.floor(base / 2 + random() * Math.max(0, ceiling - base / 2));
}
