import type { FastifyReply, FastifyRequest } from "fastify";

/** The origin this request was sent to (scheme from `req.protocol`, so X-Forwarded-* only with TRUST_PROXY). */
function ownOrigin(req: FastifyRequest): string | null {
  try {
    return new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Why a state-changing request that authenticates by cookie must be refused as cross-site
 * (CSRF), or null when it may go on. Browsers say where a request comes from: `Sec-Fetch-Site`
 * must be `same-origin` (or `none`: typed by the user), and an `Origin` header must be this
 * server's own origin. A request with neither header is not from a browser page (curl, tests):
 * it carries no victim's cookie by accident, so it may go on. SameSite=Lax on the cookie is the
 * second line of defence.
 */
export function crossSiteReason(req: FastifyRequest): string | null {
  const site = String(req.headers["sec-fetch-site"] ?? "");
  if (site && site !== "same-origin" && site !== "none") {
    const route = `${req.method} ${req.url.split("?")[0]}`;
    return `Sec-Fetch-Site is "${site.slice(0, 20)}": ${route} only accepts requests from this site's own page`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  const own = ownOrigin(req);
  let theirs: string | null = null;
  try {
    theirs = origin === "null" ? null : new URL(origin).origin;
  } catch {
    theirs = null;
  }
  if (!own || theirs !== own) {
    return `Origin "${String(origin).slice(0, 100)}" is not this server's origin "${own ?? "?"}"` +
      " (behind an HTTPS proxy? set TRUST_PROXY so that X-Forwarded-Proto and X-Forwarded-Host count)";
  }
  return null;
}

/**
 * A fastify preHandler that answers 403 `{error: "CROSS_SITE_REQUEST", message}` to a
 * cross-site request (see {@link crossSiteReason}). Put it on every request that authenticates by
 * cookie and changes state: POSTs, and GET /api/inbox (it consumes the messages it hands out).
 * @example
 * app.post("/api/chat", { preHandler: sameOriginOnly }, handler);
 */
export async function sameOriginOnly(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const reason = crossSiteReason(req);
  if (reason) await reply.code(403).send({ error: "CROSS_SITE_REQUEST", message: reason });
}
