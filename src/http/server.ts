import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";

import type { Conversation } from "../chat/index.js";
import type { Reply } from "../chat/message.js";
import { CASE_STATES, CATEGORIES, COLOURS } from "../domain/index.js";
import { isLocale, type Texts } from "../i18n.js";
import type { Logger } from "../logger.js";
import { adminApi, type AdminApiOptions } from "./admin-api.js";
import { open311Api, type Open311Options } from "./open311.js";
import { addOpenApi } from "./openapi.js";
import { webChat } from "./web-chat.js";
import { WebSessions } from "./web-sessions.js";

/** Keys of locales' `dashboard` section the dashboard page uses. */
const DASHBOARD_TEXTS = [
  "title", "from-label", "to-label", "reload", "token-label", "login-button", "lang", "cap-category", "cap-colour", "cap-units", "cap-supervision", "cap-overdue",
  "received", "on-time", "participation", "satisfaction", "first-time", "open", "overdue", "supervised", "case-no", "category", "unit", "state", "listed-because", "due",
  "days-overdue", "why.manual", "why.overdue", "why.unsatisfied", "none", "unknown", "bad-token", "error", "bad-range", "supervised-open",
];
import { NotReadyError, type ReadyReport } from "./ready.js";

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), "web");

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  engine: Conversation;
  texts: Texts;
  logger?: Logger;
  /** Checks the database (and Redis); /readyz answers 503 when it throws, naming a NotReadyError's dependency. */
  ready?: () => Promise<ReadyReport | void>;
  /** Messages waiting for web session `sessionId` (status changes, a cadre's cases); the page polls GET /api/inbox. */
  inbox?: (sessionId: string) => Promise<Reply[]>;
  /** The web chat's sessions (who a browser is); default: in memory, for tests and tools. */
  sessions?: WebSessions;
  /**
   * Key that signs the session cookie (SESSION_SECRET, or the one kept in the database); default:
   * random per process, so cookies of another process or an earlier run are not accepted.
   */
  sessionSecret?: string;
  /** TRUST_PROXY: take the scheme and host from X-Forwarded-Proto/-Host of these proxies (true: any). */
  trustProxy?: boolean | string;
  /** Token for /admin/* pages (ADMIN_TOKEN); without it those pages answer 404. */
  adminToken?: string;
  /** WeChat login state for /admin/wechat. */
  wechatStatus?: () => { loggedIn: boolean; user: string | null; qrValue: string | null };
  /** Telegram webhook mode: POST /telegram/webhook, checked against Telegram's secret token. */
  telegram?: { secret: string; handle(update: unknown): Promise<void> };
  /** Open311 GeoReport v2 under /open311 (open311.ts). */
  open311?: Open311Options;
  /** The admin API under /admin/api (admin-api.ts), with `adminToken` as its token. */
  adminApi?: Omit<AdminApiOptions, "token">;
}

/**
 * The HTTP server: the web chat (web-chat.ts: the page, POST /api/chat, GET /api/inbox, its
 * session cookie), health checks and, when configured, Telegram's webhook, Open311, the admin
 * API and dashboard. No build step: the page is plain HTML + JS in src/http/web. Test it
 * in-process with `app.inject()`.
 */
export function createHttpServer(o: HttpServerOptions): FastifyInstance {
  // 1 MiB holds a 20,000-character message many times over; the engine cuts longer text.
  // Route schemas refuse unknown fields instead of dropping them (a mistyped filter must not widen a query).
  const app = Fastify({
    logger: false, bodyLimit: 1024 * 1024, ajv: { customOptions: { removeAdditional: false } },
    trustProxy: o.trustProxy ?? false,
  });
  // One error shape for every failure: { error, message }.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) o.logger?.error({ err }, "http request failed");
    const error = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : status === 500 ? "INTERNAL" : "BAD_REQUEST";
    return reply.code(status).send({ error, message: status === 500 ? "Internal error" : err.message });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: "NOT_FOUND", message: `${req.method} ${req.url.split("?")[0]} not found` }));
  const page = (file: string) => readFileSync(join(WEB_DIR, file), "utf8");
  // The APIs and their OpenAPI document (GET /openapi.json).
  addOpenApi(app);
  if (o.open311) app.register(open311Api(o.open311), { prefix: "/open311" });
  if (o.adminApi) app.register(adminApi({ ...o.adminApi, token: o.adminToken }), { prefix: "/admin/api" });
  // The leaders' dashboard: a static page whose data comes from /admin/api/dashboard with the
  // token the leader types in; without ADMIN_TOKEN it does not exist (404).
  if (o.adminApi && o.adminToken) {
    const chartJs = join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.js");
    app.get("/admin/dashboard", async (_req, reply) => reply.type("text/html; charset=utf-8").send(page("dashboard.html")));
    app.get("/admin/dashboard.js", async (_req, reply) => reply.type("text/javascript; charset=utf-8").send(page("dashboard.js")));
    app.get("/admin/dashboard.css", async (_req, reply) => reply.type("text/css; charset=utf-8").send(page("dashboard.css")));
    app.get("/admin/chart.js", async (_req, reply) => reply.type("text/javascript; charset=utf-8").header("Cache-Control", "max-age=86400").send(readFileSync(chartJs, "utf8")));
    app.get<{ Params: { locale: string } }>("/admin/dashboard/texts/:locale", async (req) => {
      const locale = isLocale(req.params.locale) ? req.params.locale : "zh-CN";
      const t = o.texts.t(locale);
      const out: Record<string, string> = {};
      for (const k of DASHBOARD_TEXTS) out[k] = t(`dashboard.${k}`);
      for (const c of CATEGORIES) out[`category.${c}`] = t(`category.${c}`);
      for (const c of COLOURS) out[`colour.${c}`] = t(`colour.${c}`);
      for (const s of CASE_STATES) out[`state.${s}`] = t(`state.${s}`);
      return { locale, texts: out };
    });
  }

  app.addHook("onSend", async (_req, reply, payload) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
    return payload;
  });

  // The web chat, behind its signed session cookie.
  app.register(fastifyCookie, { secret: o.sessionSecret ?? randomBytes(32).toString("base64url") });
  const sessions = o.sessions ?? new WebSessions();
  app.register(webChat({ engine: o.engine, texts: o.texts, logger: o.logger, inbox: o.inbox, sessions }));
  app.get("/favicon.ico", async (_req, reply) => reply.code(204).send());

  if (o.telegram) {
    const expected = Buffer.from(o.telegram.secret);
    app.post("/telegram/webhook", async (req, reply) => {
      const got = Buffer.from(String(req.headers["x-telegram-bot-api-secret-token"] ?? ""));
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        return reply.code(401).send({ error: "UNAUTHORIZED", message: "bad or missing X-Telegram-Bot-Api-Secret-Token" });
      }
      try {
        await o.telegram!.handle(req.body);
        return reply.send({ ok: true });
      } catch (err) {
        // 500 makes Telegram deliver the update again; it is handled once (update_id is recorded).
        o.logger?.error({ err, channel: "telegram" }, "telegram webhook update failed");
        return reply.code(500).send({ error: "INTERNAL", message: "update not handled; retry" });
      }
    });
  }

  if (o.adminToken && o.wechatStatus) {
    const token = Buffer.from(o.adminToken);
    app.get("/admin/wechat", async (req, reply) => {
      const header = String(req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      const given = Buffer.from(header || String((req.query as { token?: string }).token ?? ""));
      if (given.length !== token.length || !timingSafeEqual(given, token)) return reply.code(401).send({ error: "UNAUTHORIZED", message: "admin token required (Authorization: Bearer …)" });
      return reply.send(o.wechatStatus!());
    });
  }

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    try {
      const report = await o.ready?.();
      return { ok: true, ...(report ?? {}) };
    } catch (err) {
      o.logger?.warn({ err }, "readiness check failed");
      if (err instanceof NotReadyError) return reply.code(503).send({ ok: false, error: err.message, ...err.report });
      return reply.code(503).send({ ok: false, error: "database unavailable" });
    }
  });
  return app;
}
