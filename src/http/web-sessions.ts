import { randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** Name of the web chat's session cookie. */
export const SESSION_COOKIE = "petition_session";
/**
 * Default life of a web session without a visit, in days: a case takes up to 90 (60 + a 30-day
 * extension), then the poll and a review.
 */
export const WEB_SESSION_DAYS = 180;
/** A session id as the server issues it: 24 random bytes in base64url (192 bits). */
const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;
/** How often a visit refreshes the session's last-seen time and the cookie's Max-Age. */
const REFRESH_MS = 3_600_000;

/**
 * Where web sessions live: every issued id until it ends (logout, rotation) or expires. A port
 * with a Prisma implementation (prisma-web-session-store.ts) and an in-memory one for tests.
 */
export interface WebSessionStore {
  /** Records a new session `id`, seen at `now`. */
  create(id: string, now: Date): Promise<void>;
  /** When session `id` was last seen; null when it was never issued or has ended. */
  lastSeen(id: string): Promise<Date | null>;
  /** Sets the last-seen time of session `id` to `now`. */
  touch(id: string, now: Date): Promise<void>;
  /** Ends session `id` (logout, expiry): its id is never accepted again; a cadre bound to it is unbound. */
  end(id: string): Promise<void>;
  /** The id of the cadre whose web chat is session `id`, or null (a resident or anonymous). */
  cadreOf(id: string): Promise<string | null>;
  /** Creates session `to`, moves the cadre (and their pending notifications) of `from` to it, ends `from`. */
  rotate(from: string, to: string, now: Date): Promise<void>;
  /** Ends every session last seen before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/** Web sessions in memory, for tests and tools (bench). It knows no cadres: `cadreOf` is always null. */
export class MemoryWebSessionStore implements WebSessionStore {
  private readonly seen = new Map<string, Date>();
  async create(id: string, now: Date): Promise<void> {
    this.seen.set(id, now);
  }
  async lastSeen(id: string): Promise<Date | null> {
    return this.seen.get(id) ?? null;
  }
  async touch(id: string, now: Date): Promise<void> {
    if (this.seen.has(id)) this.seen.set(id, now);
  }
  async end(id: string): Promise<void> {
    this.seen.delete(id);
  }
  async cadreOf(): Promise<string | null> {
    return null;
  }
  async rotate(from: string, to: string, now: Date): Promise<void> {
    this.seen.set(to, now);
    this.seen.delete(from);
  }
  async prune(before: Date): Promise<number> {
    let n = 0;
    for (const [id, at] of this.seen) if (at < before && this.seen.delete(id)) n++;
    return n;
  }
}

/** Options of {@link WebSessions}. */
export interface WebSessionsOptions {
  /** Where sessions are kept (default: in memory, for tests and tools). */
  store?: WebSessionStore;
  /** Days a session lives after the last visit (default {@link WEB_SESSION_DAYS}); also the cookie's Max-Age. */
  days?: number;
  now?: () => Date;
}

/**
 * The server's side of the web chat's identity: a random session id in a cookie signed by
 * @fastify/cookie (the server registers the plugin with the secret). `resolve` accepts only a
 * cookie with a good signature naming a live session; a missing, forged, ended or expired one
 * gets a new anonymous session, never somebody else's. Cookie: HttpOnly, SameSite=Lax, Path=/,
 * Secure when the request came over HTTPS (`req.protocol`, which honours X-Forwarded-Proto only
 * with TRUST_PROXY), Max-Age = `days`.
 */
export class WebSessions {
  readonly store: WebSessionStore;
  private readonly maxAgeMs: number;
  private readonly now: () => Date;

  constructor(o: WebSessionsOptions = {}) {
    this.store = o.store ?? new MemoryWebSessionStore();
    this.maxAgeMs = (o.days ?? WEB_SESSION_DAYS) * 86_400_000;
    this.now = o.now ?? (() => new Date());
  }

  /** The session id of this request; issues a new session (and its cookie) when it has no valid one. */
  async resolve(req: FastifyRequest, reply: FastifyReply): Promise<string> {
    const id = this.verified(req);
    if (id) {
      const now = this.now();
      const seen = await this.store.lastSeen(id);
      if (seen && now.getTime() - seen.getTime() < this.maxAgeMs) {
        // Residents come back for weeks: each visit (at most hourly) slides both expiries forward.
        if (now.getTime() - seen.getTime() > REFRESH_MS) {
          await this.store.touch(id, now);
          this.setCookie(req, reply, id);
        }
        return id;
      }
      if (seen) await this.store.end(id);
    }
    return this.issue(req, reply);
  }

  /** Starts a new anonymous session for this browser and sets its cookie. */
  async issue(req: FastifyRequest, reply: FastifyReply): Promise<string> {
    const id = newSessionId();
    await this.store.create(id, this.now());
    this.setCookie(req, reply, id);
    return id;
  }

  /**
   * Replaces session `from` with a new one (after a cadre signed in: defeats session fixation);
   * the cadre moves to the new id, `from` is never accepted again. Returns the new id.
   */
  async rotate(from: string, req: FastifyRequest, reply: FastifyReply): Promise<string> {
    const to = newSessionId();
    await this.store.rotate(from, to, this.now());
    this.setCookie(req, reply, to);
    return to;
  }

  /** Ends session `id` (logout) and clears the cookie; the next request starts a new session. */
  async end(id: string, reply: FastifyReply): Promise<void> {
    await this.store.end(id);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
  }

  /** Ends the sessions not seen for `days`; returns how many (run it now and then). */
  prune(): Promise<number> {
    return this.store.prune(new Date(this.now().getTime() - this.maxAgeMs));
  }

  /** The session id in the request's cookie when its signature is good; null otherwise. */
  private verified(req: FastifyRequest): string | null {
    const raw = req.cookies?.[SESSION_COOKIE];
    if (!raw) return null;
    const u = req.unsignCookie(raw);
    return u.valid && u.value && SESSION_ID.test(u.value) ? u.value : null;
  }

  private setCookie(req: FastifyRequest, reply: FastifyReply, id: string): void {
    reply.setCookie(SESSION_COOKIE, id, {
      signed: true, httpOnly: true, sameSite: "lax", path: "/", secure: req.protocol === "https",
      maxAge: Math.floor(this.maxAgeMs / 1000),
    });
  }
}

/** A new session id: 24 bytes from the system's CSPRNG, base64url. */
export function newSessionId(): string {
  return randomBytes(24).toString("base64url");
}
