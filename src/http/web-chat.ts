import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";

import type { Conversation, Reply } from "../chat/message.js";
import { LOCALES, isLocale, type Locale, type Texts } from "../i18n.js";
import type { Logger } from "../logger.js";
import { sameOriginOnly } from "./same-origin.js";
import type { WebSessions } from "./web-sessions.js";

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), "web");

/** Options of {@link webChat}. */
export interface WebChatOptions {
  engine: Conversation;
  texts: Texts;
  /** Who a browser is: the session in its signed cookie (the only source of the web identity). */
  sessions: WebSessions;
  logger?: Logger;
  /** Messages waiting for web session `sessionId` (status changes, a cadre's new cases); once each. */
  inbox?: (sessionId: string) => Promise<Reply[]>;
}

/**
 * Body of POST /api/chat. Strict: a body that names the identity (`userId`, `chatId`, `sessionId`)
 * is refused with a 400 naming the field — the identity comes only from the session cookie.
 */
const ChatBody = z.strictObject({
  /** Any length up to the body limit; the engine keeps the first MAX_MESSAGE_CHARS. */
  text: z.string().optional(),
  buttonId: z.string().max(64).optional(),
  messageId: z.string().max(64).optional(),
  locale: z.string().optional(),
});

/** Keys of locales' `web` section the page shows. */
const PAGE_TEXTS = ["title", "subtitle", "placeholder", "send", "language", "error", "privacy", "busy"];

/** Lower-cased, trimmed, without a leading slash: "/Logout " → "logout". */
const commandKey = (text: string) => text.trim().replace(/^\//, "").toLowerCase();

/**
 * The web chat as a fastify plugin: the page (GET /, /chat.js, /chat.css), its texts
 * (GET /api/texts/:locale), POST /api/chat `{text?, buttonId?, messageId?, locale?}` →
 * `{replies, signedOut?}` and GET /api/inbox → `{replies}`. Every one of them resolves the
 * browser's session first (a new one when the cookie is missing, forged or unknown); the chat
 * turn runs as channel "web" with userId = chatId = the session id. POST /api/chat refuses
 * cross-site requests (403 CROSS_SITE_REQUEST). When a turn binds the session to a cadre
 * (`/bind CODE`), the session is rotated: the reply carries a new cookie and the old id is no
 * longer anyone. `/logout` (or a word of `web.logout_words`) ends the session.
 */
export function webChat(o: WebChatOptions) {
  const page = (file: string) => readFileSync(join(WEB_DIR, file), "utf8");
  const logoutWords = new Set(LOCALES.flatMap((l) => o.texts.list(l, "web.logout_words")).map(commandKey));
  const session = (req: FastifyRequest, reply: FastifyReply) => o.sessions.resolve(req, reply);

  return async function web(app: FastifyInstance): Promise<void> {
    app.get("/", async (req, reply) => {
      await session(req, reply);
      return reply.type("text/html; charset=utf-8").send(page("index.html"));
    });
    app.get("/chat.js", async (_req, reply) => reply.type("text/javascript; charset=utf-8").send(page("chat.js")));
    app.get("/chat.css", async (_req, reply) => reply.type("text/css; charset=utf-8").send(page("chat.css")));

    app.get<{ Params: { locale: string } }>("/api/texts/:locale", async (req, reply) => {
      await session(req, reply);
      const locale = isLocale(req.params.locale) ? req.params.locale : "zh-CN";
      const t = o.texts.t(locale);
      return reply.send({ locale, texts: Object.fromEntries(PAGE_TEXTS.map((k) => [k, t(`web.${k}`)])) });
    });

    app.post("/api/chat", { preHandler: sameOriginOnly }, async (req, reply) => {
      const parsed = ChatBody.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "body";
        const why = issue.code === "unrecognized_keys"
          ? "not accepted; the web chat's identity is the session cookie the server set"
          : issue.message;
        return reply.code(400).send({ error: "BAD_REQUEST", message: `${field}: ${why}` });
      }
      const b = parsed.data;
      const locale: Locale | undefined = isLocale(b.locale) ? b.locale : undefined;
      try {
        const id = await session(req, reply);
        if (b.text !== undefined && logoutWords.has(commandKey(b.text))) {
          await o.sessions.end(id, reply);
          return reply.send({ replies: [say(o.texts.t(locale ?? "zh-CN")("web.signed_out"))], signedOut: true });
        }
        const cadreBefore = await o.sessions.store.cadreOf(id);
        const replies = await o.engine.handle({
          channel: "web", userId: id, chatId: id, text: b.text, buttonId: b.buttonId, messageId: b.messageId, locale,
        });
        // A cadre signed in on this session: give them a fresh session (session fixation).
        if (!cadreBefore && (await o.sessions.store.cadreOf(id))) await o.sessions.rotate(id, req, reply);
        return reply.send({ replies });
      } catch (err) {
        o.logger?.error({ err, channel: "web" }, "web chat turn failed");
        return reply.code(503).send({
          error: "UNAVAILABLE",
          message: "The service is temporarily unavailable; your answers so far are kept. Please retry.",
        });
      }
    });

    // The inbox hands out and consumes messages: a cross-site navigation must not empty it.
    app.get("/api/inbox", { preHandler: sameOriginOnly }, async (req, reply) => {
      const query = req.query as Record<string, unknown>;
      const named = Object.keys(query)[0];
      if (named !== undefined) {
        const message = `${named}: not accepted; the inbox is the session cookie's`;
        return reply.code(400).send({ error: "BAD_REQUEST", message });
      }
      const id = await session(req, reply);
      return reply.send({ replies: o.inbox ? await o.inbox(id) : [] });
    });
  };
}

function say(text: string): Reply {
  return { text, buttons: [], expects: null, caseNo: null };
}
