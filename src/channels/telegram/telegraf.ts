// The only file that imports telegraf.
import { Telegraf, type Context } from "telegraf";
import type { Update, Message } from "telegraf/types";
import type { ChannelStore } from "../../cases/index.js";
import type { Inbound, Reply } from "../../chat/message.js";
import type { Conversation } from "../../chat/index.js";
import type { Texts } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import { KeyedSerial } from "../../keyed-serial.js";
import type { ChannelHealth } from "../health.js";
import { TelegramTimeoutError, toChannelError } from "./api-error.js";
import { localeOf } from "./format.js";
import { TelegramPoller, type TelegramPollerOptions } from "./poller.js";
import { TelegramSender, type CallApi } from "./sender.js";

/** Options of {@link createTelegramChannel}. */
export interface TelegramChannelOptions {
  /** Bot token from @BotFather (TELEGRAM_BOT_TOKEN). */
  token: string;
  /** Bot API address (TELEGRAM_API_ROOT); tests point it at a local fake server. */
  apiRoot?: string;
  engine: Conversation;
  texts: Texts;
  store: ChannelStore;
  logger?: Logger;
  /** Chat ids of units' registered cadre groups (the bot speaks there without a mention). */
  cadreGroups?: () => Promise<ReadonlySet<string>>;
  /** Called after every update is handled (or ignored), with its update_id. */
  onHandled?: (updateId: number) => void;
  /** Sender tuning (rate limits, sleep) for tests. */
  sender?: Partial<ConstructorParameters<typeof TelegramSender>[0]>;
  /** Where the channel reports its state (polling, webhook, failing since …, stopped) for /readyz and metrics. */
  health?: ChannelHealth;
  /** Poller tuning (backoff, sleep, long-polling timeout) for tests. */
  poller?: Pick<TelegramPollerOptions<Update>, "backoff" | "sleep" | "timeoutSeconds" | "maxInFlight" | "drainMs">;
  /** Milliseconds before a Bot API call other than getUpdates is given up as a timeout (default 30,000). */
  callTimeoutMs?: number;
}

/** A running Telegram channel. */
export interface TelegramChannel {
  sender: TelegramSender;
  /** Handles one update (webhook mode and tests); never throws for a bad update. */
  handleUpdate(update: Update): Promise<void>;
  /**
   * Starts long polling; resolves once the token is checked and polling started. A failed
   * getUpdates (409: another poller; 5xx; network) is logged and retried with backoff, and the
   * channel reports `failing` meanwhile. Throws TelegramStartError if the token is refused.
   */
  startPolling(): Promise<void>;
  /** Registers the webhook at `url` with Telegram's secret token. */
  setWebhook(url: string, secret: string): Promise<void>;
  stop(): Promise<void>;
}

/** Thrown when Telegram refuses the token or another process polls with it. */
export class TelegramStartError extends Error {
  readonly code = "TELEGRAM.START_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "TelegramStartError";
  }
}

type Msg = Message & Record<string, unknown>;

/**
 * The Telegram channel with telegraf 4: residents file petitions in a private chat (inline
 * keyboards for buttons, /start /help /status /cancel /lang), every update handled once
 * (update_id recorded in the database), edits, media, locations and contacts handled, groups
 * answered only on commands or mentions. Replies go out through one {@link TelegramSender}.
 */
export function createTelegramChannel(o: TelegramChannelOptions): TelegramChannel {
  const bot = new Telegraf(o.token, { telegram: o.apiRoot ? { apiRoot: o.apiRoot } : {}, handlerTimeout: 120_000 });
  /** One Bot API call with a timeout; every failure leaves as a ChannelError (see api-error.ts). */
  const callWithin = async (method: string, payload: unknown, ms: number, outer?: AbortSignal): Promise<unknown> => {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), abort.abort()), ms);
    const onOuter = () => abort.abort();
    outer?.addEventListener("abort", onOuter, { once: true });
    try {
      return await bot.telegram.callApi(method as never, payload as never, { signal: abort.signal as never });
    } catch (err) {
      const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      const cause = timedOut ? new TelegramTimeoutError(method, ms) : err;
      throw toChannelError(cause, method, chatId === undefined ? undefined : String(chatId));
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
    }
  };
  const call: CallApi = (method, payload) => callWithin(method, payload, o.callTimeoutMs ?? 30_000);
  const allowedUpdates = ["message", "edited_message", "callback_query"] as const;
  const poller = new TelegramPoller<Update>({
    ...o.poller,
    allowedUpdates, health: o.health, logger: o.logger,
    getUpdates: (params, signal) =>
      callWithin("getUpdates", params, (params.timeout + 15) * 1000, signal) as Promise<Update[]>,
    dispatch: (update) => bot.handleUpdate(update),
  });
  const sender = new TelegramSender({ call, store: o.store, logger: o.logger, ...o.sender });
  let username = "";

  const reply = async (chatId: string, replies: Reply[], group = false) => {
    if (replies.length) await sender.sendReplies(chatId, replies, { group });
  };

  /** Runs one inbound message through the engine and answers; a failure gets a polite reply. */
  const converse = async (ctx: Context, inbound: Omit<Inbound, "channel" | "userId" | "chatId">) => {
    const from = ctx.from!;
    const chatId = String(ctx.chat!.id);
    const group = inbound.group === true;
    await o.store.unblock("telegram", chatId);
    let replies: Reply[];
    try {
      replies = await o.engine.handle({ channel: "telegram", userId: String(from.id), chatId, locale: localeOf(from.language_code), ...inbound });
    } catch (err) {
      o.logger?.error({ err, channel: "telegram", updateId: ctx.update.update_id }, "telegram turn failed");
      const t = o.texts.t(localeOf(from.language_code) ?? "zh-CN");
      replies = [{ text: t("unavailable"), buttons: [], expects: null, caseNo: null }];
    }
    await reply(chatId, replies, group);
  };

  // Updates of one chat are handled one after another, in update_id order (telegraf handles a
  // polled batch concurrently); different chats still run side by side.
  const chats = new KeyedSerial();
  bot.use((ctx, next) => chats.run(String(ctx.chat?.id ?? ctx.from?.id ?? "none"), () => next()));

  // Every update once: the update_id is recorded before handling (restarts, webhook retries).
  bot.use(async (ctx, next) => {
    const key = `telegram:${ctx.update.update_id}`;
    try {
      if (!(await o.store.firstDelivery(key))) {
        o.logger?.debug({ updateId: ctx.update.update_id }, "telegram update already handled");
        return;
      }
      try {
        await next();
      } catch (err) {
        await o.store.forgetDelivery(key).catch(() => undefined);
        throw err;
      }
    } finally {
      o.onHandled?.(ctx.update.update_id);
    }
  });

  const isGroup = (ctx: Context) => ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
  const mentionsBot = (m: Msg) => {
    const text = (m.text as string | undefined) ?? (m.caption as string | undefined) ?? "";
    const entities = ((m.entities ?? m.caption_entities) as Array<{ type: string; offset: number; length: number }> | undefined) ?? [];
    const mentioned = entities.some((e) => e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === `@${username.toLowerCase()}`);
    // A command counts when it is addressed to us, or to no bot in particular.
    const command = entities.some((e) => {
      if (e.type !== "bot_command" || e.offset !== 0) return false;
      const target = text.slice(e.offset, e.offset + e.length).split("@")[1];
      return target === undefined || target.toLowerCase() === username.toLowerCase();
    });
    return mentioned || command;
  };

  bot.on("message", async (ctx) => {
    const m = ctx.message as Msg;
    if (!ctx.from || ctx.from.is_bot) return;
    if (isGroup(ctx)) {
      const cadreGroup = (await o.cadreGroups?.())?.has(String(ctx.chat.id)) ?? false;
      if (cadreGroup) {
        // A unit's cadre group: the bot posts case notifications there and takes cadre commands.
        if (typeof m.text === "string") {
          return converse(ctx, { text: m.text.replace(/^(\/[a-z_]+)@\w+/i, "$1"), messageId: String(m.message_id), group: true });
        }
        return;
      }
      if (!mentionsBot(m)) return;
      await o.store.unblock("telegram", String(ctx.chat.id));
      const t = o.texts.t(localeOf(ctx.from.language_code) ?? "zh-CN");
      await reply(String(ctx.chat.id), [{ text: t("group.private_only", { bot: username ? `@${username}` : "" }), buttons: [], expects: null, caseNo: null }], true);
      return;
    }
    if (ctx.chat.type !== "private") return;
    const messageId = String(m.message_id);
    if (typeof m.text === "string") {
      const command = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(m.text);
      if (command) {
        const [, name, arg = ""] = command;
        switch (name!.toLowerCase()) {
          case "start":
            return converse(ctx, { buttonId: "resume", messageId });
          case "lang": {
            const want = arg.trim().toLowerCase();
            if (want.startsWith("en")) return converse(ctx, { buttonId: "lang:en", messageId });
            if (want.startsWith("zh") || want.startsWith("中")) return converse(ctx, { buttonId: "lang:zh-CN", messageId });
            const t = o.texts.t(localeOf(ctx.from.language_code) ?? "zh-CN");
            await o.store.unblock("telegram", String(ctx.chat.id));
            return reply(String(ctx.chat.id), [{ text: t("lang.choose"), buttons: [{ id: "lang:zh-CN", label: "中文" }, { id: "lang:en", label: "English" }], expects: null, caseNo: null }]);
          }
          case "status":
            return converse(ctx, { text: `status ${arg}`.trim(), messageId });
          case "help":
          case "cancel":
          case "restart":
          case "back":
          case "skip":
            return converse(ctx, { text: name!.toLowerCase(), messageId });
          default:
            // Cadre commands (/bind, /cases, /reply …) and anything else go through as typed.
            return converse(ctx, { text: m.text.replace(/^(\/[a-z_]+)@\w+/i, "$1"), messageId });
        }
      }
      return converse(ctx, { text: m.text, messageId });
    }
    const caption = typeof m.caption === "string" ? m.caption.slice(0, 1000) : undefined;
    if (Array.isArray(m.photo) && m.photo.length) {
      const largest = (m.photo as Array<{ file_id: string; file_size?: number }>).at(-1)!;
      return converse(ctx, { kind: "photo", attachment: { kind: "photo", fileId: largest.file_id, caption }, messageId });
    }
    if (m.document) {
      return converse(ctx, { kind: "document", attachment: { kind: "document", fileId: (m.document as { file_id: string }).file_id, caption }, messageId });
    }
    if (m.location) {
      const loc = m.location as { latitude: number; longitude: number };
      const venue = m.venue as { title?: string; address?: string } | undefined;
      const where = [venue?.title, venue?.address].filter(Boolean).join(" ");
      return converse(ctx, { kind: "location", text: `${where ? `${where} ` : ""}(${loc.latitude.toFixed(5)}, ${loc.longitude.toFixed(5)})`, messageId });
    }
    if (m.contact) return converse(ctx, { kind: "contact", text: (m.contact as { phone_number: string }).phone_number, messageId });
    const kind = m.voice || m.audio ? "voice" : m.video || m.video_note || m.animation ? "video" : m.sticker ? "sticker" : "other";
    return converse(ctx, { kind, messageId });
  });

  bot.on("edited_message", async (ctx) => {
    const m = ctx.editedMessage as Msg;
    if (ctx.chat.type !== "private" || !ctx.from || typeof m.text !== "string") return;
    await converse(ctx, { text: m.text, editOf: String(m.message_id), messageId: `edit:${m.message_id}:${String(m.edit_date ?? "")}` });
  });

  bot.on("callback_query", async (ctx) => {
    const q = ctx.callbackQuery as { id: string; data?: string; message?: { message_id: number; chat: { id: number; type: string } } };
    await ctx.answerCbQuery().catch(() => undefined);
    if (!q.data || !q.message) return;
    const inGroup = q.message.chat.type !== "private";
    if (inGroup && !(await o.cadreGroups?.())?.has(String(q.message.chat.id))) return;
    // Take the keyboard off the pressed message, so an old button cannot be pressed again.
    sender.send(String(q.message.chat.id), "editMessageReplyMarkup", { chat_id: q.message.chat.id, message_id: q.message.message_id, reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    await converse(ctx, { buttonId: q.data, messageId: `cb:${q.id}`, group: inGroup });
  });

  // channel_post, my_chat_member, polls … are not for us: ignored without error.

  bot.catch((err, ctx) => {
    o.logger?.error({ err, channel: "telegram", updateId: ctx.update.update_id, updateType: ctx.updateType }, "telegram handler failed");
  });

  return {
    sender,
    async handleUpdate(update) {
      if (!bot.botInfo) {
        bot.botInfo = await bot.telegram.getMe();
        username = bot.botInfo.username ?? "";
      }
      await bot.handleUpdate(update);
    },
    async startPolling() {
      let me;
      try {
        me = await bot.telegram.getMe();
      } catch (err) {
        const code = (err as { response?: { error_code?: number } }).response?.error_code;
        throw new TelegramStartError(code === 401 || code === 404 ? "Telegram: TELEGRAM_BOT_TOKEN was refused (401 Unauthorized)" : `Telegram: cannot reach the Bot API (${(err as Error).message})`);
      }
      username = me.username ?? "";
      bot.botInfo = me;
      await bot.telegram.deleteWebhook({ drop_pending_updates: false });
      poller.start();
    },
    async setWebhook(url, secret) {
      const me = await bot.telegram.getMe();
      username = me.username ?? "";
      bot.botInfo = me;
      await bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: [...allowedUpdates] });
      o.health?.set("telegram", "webhook");
    },
    async stop() {
      await poller.stop();
      o.health?.set("telegram", "stopped");
    },
  };
}
