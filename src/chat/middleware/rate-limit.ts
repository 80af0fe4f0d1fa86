// The only file besides notify/bullmq-dispatcher.ts that talks to Redis directly (ioredis).
import { Redis } from "ioredis";
import type { Inbound } from "../message.js";
import type { Middleware } from "../pipeline.js";
import type { Locale, Texts } from "../../i18n.js";
import type { Logger } from "../../logger.js";

/**
 * Counts hits per key in fixed windows. `hit` returns how many hits the key has in the current
 * window, this one included. Shared by every bot process when it lives in Redis.
 */
export interface HitCounter {
  hit(key: string, windowMs: number): Promise<number>;
}

/** HitCounter in this process's memory (embedded default: one process). */
export class MemoryHitCounter implements HitCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number): Promise<number> {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= t) {
      w = { count: 0, endsAt: t + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) for (const [k, v] of this.windows) if (v.endsAt <= t) this.windows.delete(k);
    }
    return ++w.count;
  }
}

/**
 * HitCounter in Redis (scale mode): a counter per key that expires with its window, so the limit holds across all
 * bot processes. Never queues commands while Redis is away: a hit then fails at once and the
 * limiter lets the message through (see {@link rateLimit}).
 */
export class RedisHitCounter implements HitCounter {
  constructor(private readonly redis: Redis, private readonly prefix = "petition:rl:") {}

  async hit(key: string, windowMs: number): Promise<number> {
    const k = this.prefix + key;
    // The window starts with the first hit (SET … NX PX); INCR keeps the expiry. Works on any Redis ≥ 2.6.12.
    const r = await this.redis.multi().set(k, "0", "PX", windowMs, "NX").incr(k).exec();
    const count = r?.[1]?.[1];
    if (typeof count !== "number") throw new Error(`rate limit counter: ${String(r?.[1]?.[0] ?? "no reply")}`);
    return count;
  }
}

/** A Redis connection for short, fail-fast calls (rate limit, readiness): no offline queue, no retries per request. */
export function failFastRedis(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false, connectTimeout: 2000 });
  redis.on("error", () => undefined); // reconnects by itself; callers see failed commands
  return redis;
}

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  counter: HitCounter;
  texts: Texts;
  /** Messages a resident may send per window (default 20). */
  limit?: number;
  /** Window length in ms (default 10 s). */
  windowMs?: number;
  /** The resident's language for the slow-down reply (default: the channel's, then zh-CN). */
  localeOf?: (msg: Inbound) => Promise<Locale | undefined>;
  /** Called for each message refused (metrics). */
  onLimited?: (msg: Inbound) => void;
  logger?: Logger;
}

/**
 * Per-resident rate limit in front of the whole inbound path (every channel, residents and
 * cadres alike): up to `limit` messages per window are handled; the first one over the limit
 * gets one polite slow-down reply, the rest of that window is dropped silently (a flood is not
 * answered with a flood). Other residents are not affected. When the counter is unreachable
 * (Redis down) messages go through: the limit protects the service, it must not stop it.
 *
 * @example
 * const inbound = pipeline(rateLimit({ counter: new MemoryHitCounter(), texts }), frontDesk(…));
 */
export function rateLimit(o: RateLimitOptions): Middleware {
  const limit = o.limit ?? 20;
  const windowMs = o.windowMs ?? 10_000;
  let warned = 0;
  return async function rateLimit(msg, next) {
      let count = 0;
      try {
        count = await o.counter.hit(`${msg.channel}:${msg.userId}`, windowMs);
      } catch (err) {
        if (Date.now() - warned > 60_000) {
          warned = Date.now();
          o.logger?.warn({ err }, "rate limit counter unavailable; letting messages through");
        }
      }
      if (count <= limit) return next();
      o.onLimited?.(msg);
      if (count > limit + 1 || msg.group) return [];
      const locale = (await o.localeOf?.(msg).catch(() => undefined)) ?? msg.locale ?? "zh-CN";
      o.logger?.info({ channel: msg.channel, limit, windowMs }, "resident rate limited");
      return [{ text: o.texts.t(locale)("slow_down", { seconds: Math.ceil(windowMs / 1000) }), buttons: [], expects: null, caseNo: null }];
  };
}
