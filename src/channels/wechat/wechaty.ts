// The only file that imports wechaty.
import { WechatyBuilder, types, type Contact, type Message, type Room, type Wechaty } from "wechaty";
import qrcodeTerminal from "qrcode-terminal";
import type { ChannelStore } from "../../cases/index.js";
import type { Inbound, InboundKind, Reply } from "../../chat/message.js";
import type { Conversation } from "../../chat/index.js";
import type { Texts } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import { renderReplyText } from "../render.js";
import { splitText } from "../split-text.js";
import { plainText } from "./markup.js";

/** Longest WeChat text we send in one message, in characters (WeChat cuts near 2,048). */
export const WECHAT_TEXT_LIMIT = 1800;
/** Same sender and same text within this many milliseconds is one message delivered twice. */
export const DUPLICATE_WINDOW_MS = 3000;
/** Texts this short (跳过, 确认, 1, 对) are answers that repeat legitimately: no window check. */
const SHORT_ANSWER_CHARS = 4;

/** Options of {@link createWechatChannel}. */
export interface WechatChannelOptions {
  engine: Conversation;
  texts: Texts;
  store: ChannelStore;
  logger?: Logger;
  /**
   * A puppet instance (tests: wechaty-puppet-mock). Without it wechaty picks the puppet from
   * WECHATY_PUPPET and its token variable (e.g. WECHATY_PUPPET_SERVICE_TOKEN), as its users expect.
   */
  puppet?: unknown;
  /** Accept friend requests automatically (WECHAT_ACCEPT_FRIENDS). */
  acceptFriends?: boolean;
  /** Print the login QR code in the terminal. */
  printQr?: boolean;
  /** Room ids of units' registered cadre rooms. */
  cadreRooms?: () => Promise<ReadonlySet<string>>;
  /** Called after each inbound message is handled or ignored, with its id. */
  onHandled?: (messageId: string) => void;
}

/** Login state for the admin page. */
export interface WechatStatus {
  loggedIn: boolean;
  user: string | null;
  /** The current login QR code's content, while waiting for a scan (render it with any QR tool). */
  qrValue: string | null;
}

/** A running WeChat channel. */
export interface WechatChannel {
  bot: Wechaty;
  status(): WechatStatus;
  /** Sends text to a contact id, or keeps it until login when logged out. */
  sendTo(contactId: string, text: string): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function kindOf(type: types.Message): InboundKind | "image" | "file" | "ignore" {
  switch (type) {
    case types.Message.Text:
    case types.Message.Url:
    case types.Message.MiniProgram:
      return "text";
    case types.Message.Image:
      return "image";
    case types.Message.Attachment:
      return "file";
    case types.Message.Audio:
      return "voice";
    case types.Message.Video:
      return "video";
    case types.Message.Emoticon:
      return "sticker";
    case types.Message.Location:
      return "location";
    case types.Message.Recalled:
      return "ignore";
    default:
      return "other";
  }
}

/**
 * The WeChat channel with wechaty 1.x: the intake form in private chats (choices as numbered
 * options — type the number or the label), answers in rooms only when @-mentioned (pointing
 * residents to a private chat), never answers its own messages, drops a message delivered twice
 * (by id, and by sender + text within a short window), turns emoji, link and mini-program cards
 * into plain text and images and files into attachments. Messages that cannot be sent while
 * logged out are kept in the database and sent once after login.
 */
export function createWechatChannel(o: WechatChannelOptions): WechatChannel {
  const bot = WechatyBuilder.build(o.puppet ? { puppet: o.puppet as never, name: "petition-bot" } : { name: "petition-bot" });
  const state: WechatStatus = { loggedIn: false, user: null, qrValue: null };
  const recent = new Map<string, { text: string; at: number }>();

  /** Sends the parts of `text` in order; returns the parts that were not sent (after a failure). */
  const sayTo = async (target: Contact | Room, text: string, mention?: Contact): Promise<string[]> => {
    const parts = splitText(text, WECHAT_TEXT_LIMIT);
    for (let i = 0; i < parts.length; i++) {
      try {
        if (mention && "topic" in target) await (target as Room).say(parts[i]!, mention);
        else await target.say(parts[i]!);
      } catch (err) {
        o.logger?.warn({ err, channel: "wechat" }, "WeChat send failed");
        return parts.slice(i);
      }
    }
    return [];
  };

  const sendTo = async (contactId: string, text: string) => {
    if (!state.loggedIn) {
      await o.store.queueOutbound("wechat", contactId, text);
      return;
    }
    const contact = await bot.Contact.find({ id: contactId });
    if (!contact) {
      await o.store.queueOutbound("wechat", contactId, text);
      return;
    }
    // Only what was not sent is kept for later: no part goes out twice.
    const unsent = await sayTo(contact, text);
    if (unsent.length) await o.store.queueOutbound("wechat", contactId, unsent.join("\n"));
  };

  let flushing: Promise<void> | undefined;
  /** Sends kept messages once; a second login while flushing waits for the first flush. */
  const flushPending = () => {
    flushing ??= (async () => {
      try {
        for (const p of await o.store.pendingOutbound("wechat")) {
          const contact = await bot.Contact.find({ id: p.chatId });
          if (!contact) continue;
          await o.store.markOutboundSent(p.id);
          const unsent = await sayTo(contact, p.text);
          if (unsent.length) await o.store.queueOutbound("wechat", p.chatId, unsent.join("\n"));
        }
      } finally {
        flushing = undefined;
      }
    })();
    return flushing;
  };

  const reply = async (contactId: string, replies: Reply[]) => {
    for (const r of replies) await sendTo(contactId, renderReplyText(r));
  };

  const handleMessage = async (msg: Message) => {
    if (msg.self()) return; // never answer ourselves: no echo loops
    const talker = msg.talker();
    const room = msg.room();
    const type = msg.type();
    const kind = kindOf(type);
    if (kind === "ignore") return;
    if (room) {
      // Rooms: only a mention gets an answer (a pointer to the private chat); chatter is not recorded.
      if ((await o.cadreRooms?.())?.has(room.id)) {
        // A unit's cadre room: case notifications are posted there and cadre commands taken.
        const said = kind === "text" ? plainText(msg.text()).trim() : "";
        if (!said || !(await o.store.firstDelivery(`wechat:${msg.id}`))) return;
        const replies = await o.engine.handle({ channel: "wechat", userId: talker.id, chatId: room.id, text: said, messageId: msg.id, group: true }).catch((err) => {
          o.logger?.error({ err, channel: "wechat" }, "wechat cadre command failed");
          return [];
        });
        for (const r of replies) await sayTo(room, renderReplyText(r));
        return;
      }
      if (!(await msg.mentionSelf())) return;
      if (!(await o.store.firstDelivery(`wechat:${msg.id}`))) return;
      const t = o.texts.t("zh-CN");
      const me = bot.isLoggedIn ? bot.currentUser.name() : "";
      await sayTo(room, t("group.private_only", { bot: me }), talker);
      return;
    }
    if (!(await o.store.firstDelivery(`wechat:${msg.id}`))) return;
    let text = "";
    if (type === types.Message.Url) {
      const link = await msg.toUrlLink();
      text = [link.title(), link.description(), link.url()].filter(Boolean).join(" ");
    } else if (type === types.Message.MiniProgram) {
      const mp = await msg.toMiniProgram();
      text = [mp.title(), mp.description()].filter(Boolean).join(" ");
    } else if (type === types.Message.Location) {
      const loc = await msg.toLocation();
      text = [loc.name(), loc.address(), `(${loc.latitude().toFixed(5)}, ${loc.longitude().toFixed(5)})`].filter(Boolean).join(" ");
    } else if (kind === "text") {
      text = plainText(msg.text());
    }
    // The same words from the same person twice within seconds: a duplicate delivery. Short
    // answers (跳过, 确认, 1) repeat legitimately from one step to the next, so they pass.
    if (kind === "text" && [...text].length > SHORT_ANSWER_CHARS) {
      const key = talker.id;
      const prev = recent.get(key);
      const now = Date.now();
      recent.set(key, { text, at: now });
      if (prev && prev.text === text && now - prev.at < DUPLICATE_WINDOW_MS) return;
      if (recent.size > 10_000) recent.clear();
    }
    const inbound: Omit<Inbound, "channel" | "userId" | "chatId"> = { messageId: msg.id };
    if (kind === "image" || kind === "file" || kind === "video") {
      inbound.kind = kind === "image" ? "photo" : kind === "file" ? "document" : "video";
      inbound.attachment = { kind: inbound.kind as "photo" | "document" | "video", fileId: msg.id };
      if (kind === "file") {
        const name = await msg.toFileBox().then((f) => f.name).catch(() => undefined);
        if (name) inbound.attachment.caption = name.slice(0, 200);
      }
    } else if (kind === "location") {
      inbound.kind = "location";
      inbound.text = text;
    } else if (kind === "text") {
      inbound.text = text;
    } else {
      inbound.kind = kind;
    }
    let replies: Reply[];
    try {
      replies = await o.engine.handle({ channel: "wechat", userId: talker.id, chatId: talker.id, ...inbound });
    } catch (err) {
      o.logger?.error({ err, channel: "wechat" }, "wechat turn failed");
      replies = [{ text: o.texts.t("zh-CN")("unavailable"), buttons: [], expects: null, caseNo: null }];
    }
    await reply(talker.id, replies);
  };

  bot.on("scan", (qrcode, status) => {
    if (status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout) {
      state.qrValue = qrcode;
      o.logger?.info({ channel: "wechat" }, "WeChat: scan the QR code to log in");
      if (o.printQr) qrcodeTerminal.generate(qrcode, { small: true });
    }
  });
  bot.on("login", (user) => {
    state.loggedIn = true;
    state.user = user.name();
    state.qrValue = null;
    o.logger?.info({ channel: "wechat" }, "WeChat: logged in");
    void flushPending().catch((err) => o.logger?.error({ err, channel: "wechat" }, "WeChat: sending kept messages failed"));
  });
  bot.on("logout", () => {
    state.loggedIn = false;
    state.user = null;
    o.logger?.warn({ channel: "wechat" }, "WeChat: logged out; replies are kept until the next login");
  });
  bot.on("friendship", async (f) => {
    try {
      if (f.type() !== types.Friendship.Receive) return;
      if (o.acceptFriends) {
        await f.accept();
        o.logger?.info({ channel: "wechat" }, "WeChat: friend request accepted");
      } else {
        o.logger?.info({ channel: "wechat" }, "WeChat: friend request left for a person to accept (WECHAT_ACCEPT_FRIENDS is off)");
      }
    } catch (err) {
      o.logger?.warn({ err, channel: "wechat" }, "WeChat: accepting a friend request failed");
    }
  });
  bot.on("message", async (msg) => {
    if (msg.self()) return; // never answer ourselves: no echo loops
    try {
      await handleMessage(msg);
    } catch (err) {
      o.logger?.error({ err, channel: "wechat", messageId: msg.id }, "wechat message failed");
    } finally {
      o.onHandled?.(msg.id);
    }
  });
  bot.on("error", (err) => o.logger?.error({ err, channel: "wechat" }, "wechaty error"));

  return {
    bot,
    status: () => ({ ...state }),
    sendTo,
    start: () => bot.start(),
    stop: () => bot.stop(),
  };
}
