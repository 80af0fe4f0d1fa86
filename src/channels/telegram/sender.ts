import type { ChannelStore } from "../../cases/index.js";
import { KeyedSerial } from "../../keyed-serial.js";
import type { Reply } from "../../chat/message.js";
import type { Logger } from "../../logger.js";
import { escapeHtml, inlineKeyboard, splitTelegramText } from "./format.js";

/** Calls one Bot API method; rejects with the API's error (error_code, parameters) on failure. */
export type CallApi = (method: string, payload: Record<string, unknown>) => Promise<unknown>;

/** Options of the {@link TelegramSender}. */
export interface TelegramSenderOptions {
  call: CallApi;
  store: ChannelStore;
  logger?: Logger;
  /** Messages per second to one private chat, sustained (Telegram: about 1). */
  perChatPerSecond?: number;
  /** Messages per minute to one group (Telegram: 20). */
  perGroupPerMinute?: number;
  /** Messages per second overall (Telegram: 30). */
  overallPerSecond?: number;
  /** Attempts after a 429 before giving up on one message. */
  maxRetries?: number;
  /** Sleep, for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** What happened to one outbound message. */
export type SendOutcome = "sent" | "blocked" | "failed";

/** A token bucket: `capacity` sends at once, refilled at `perMs` per millisecond. */
class Bucket {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly capacity: number, private readonly perMs: number) {
    this.tokens = capacity;
  }
  /** Milliseconds to wait before one send is allowed; takes the token. */
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
  }
}

function apiError(err: unknown): { code?: number; retryAfter?: number; description: string } {
  const e = err as { code?: unknown; response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } }; parameters?: { retry_after?: number }; description?: string; message?: string };
  const code = e.response?.error_code ?? (typeof e.code === "number" ? e.code : undefined);
  const retryAfter = e.response?.parameters?.retry_after ?? e.parameters?.retry_after;
  return { code, retryAfter, description: e.response?.description ?? e.description ?? e.message ?? String(err) };
}

/**
 * The one way out to Telegram. Splits text over 4,096 characters at line or sentence
 * boundaries, escapes user text for parse_mode HTML, turns buttons into inline keyboards with
 * short ASCII callback_data, keeps to Telegram's rate limits (per chat, per group, overall),
 * honours 429 retry_after (the message was not delivered, so it is sent again exactly once per
 * retry), and on 403 (the user blocked the bot) records the block and stops sending to that
 * chat. Messages to one chat go out in order.
 */
export class TelegramSender {
  private readonly chats = new Map<string, Bucket>();
  private readonly overall: Bucket;
  private readonly chatsInOrder = new KeyedSerial();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: TelegramSenderOptions) {
    this.overall = new Bucket(o.overallPerSecond ?? 30, (o.overallPerSecond ?? 30) / 1000);
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Sends the engine's replies to `chatId` in order; resolves with each message's outcome. */
  async sendReplies(chatId: string, replies: readonly Reply[], opts: { group?: boolean } = {}): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    for (const r of replies) {
      const parts = splitTelegramText(r.text);
      for (let i = 0; i < parts.length; i++) {
        const last = i === parts.length - 1;
        const payload: Record<string, unknown> = { chat_id: chatId, text: escapeHtml(parts[i]!), parse_mode: "HTML", link_preview_options: { is_disabled: true } };
        if (last && r.buttons.length) payload.reply_markup = { inline_keyboard: inlineKeyboard(r.buttons) };
        const outcome = await this.send(chatId, "sendMessage", payload, opts.group ?? false);
        outcomes.push(outcome);
        if (outcome === "blocked") return outcomes;
      }
    }
    return outcomes;
  }

  /** Calls `method` for `chatId` under the rate limits, in order with the chat's other sends. */
  send(chatId: string, method: string, payload: Record<string, unknown>, group = false): Promise<SendOutcome> {
    return this.chatsInOrder.run(chatId, () => this.deliver(chatId, method, payload, group));
  }

  private bucket(chatId: string, group: boolean): Bucket {
    let b = this.chats.get(chatId);
    if (!b) {
      b = group
        ? new Bucket(3, (this.o.perGroupPerMinute ?? 20) / 60_000)
        : new Bucket(3, (this.o.perChatPerSecond ?? 1) / 1000);
      this.chats.set(chatId, b);
    }
    return b;
  }

  private async deliver(chatId: string, method: string, payload: Record<string, unknown>, group: boolean): Promise<SendOutcome> {
    try {
      return await this.deliverOnce(chatId, method, payload, group);
    } catch (err) {
      // The database (block list) or something unexpected failed: log it, report a failure.
      this.o.logger?.error({ err, channel: "telegram", chatId, method }, "Telegram send failed unexpectedly");
      return "failed";
    }
  }

  private async deliverOnce(chatId: string, method: string, payload: Record<string, unknown>, group: boolean): Promise<SendOutcome> {
    if (await this.o.store.isBlocked("telegram", chatId)) return "blocked";
    for (let attempt = 0; ; attempt++) {
      const wait = Math.max(this.bucket(chatId, group).take(), this.overall.take());
      if (wait > 0) await this.sleep(wait);
      try {
        await this.o.call(method, payload);
        return "sent";
      } catch (err) {
        const e = apiError(err);
        if (e.code === 429 && attempt < (this.o.maxRetries ?? 5)) {
          const ms = ((e.retryAfter ?? 1) * 1000) + 50;
          this.o.logger?.warn({ channel: "telegram", chatId, method, retryAfterMs: ms }, "Telegram rate limit (429): waiting before sending again");
          await this.sleep(ms);
          continue;
        }
        if (e.code === 403) {
          await this.o.store.block("telegram", chatId, e.description.slice(0, 200));
          this.o.logger?.warn({ channel: "telegram", chatId, method }, "Telegram chat refuses messages (403); stopped sending to it");
          return "blocked";
        }
        this.o.logger?.error({ channel: "telegram", chatId, method, code: e.code, error: e.description }, "Telegram send failed");
        return "failed";
      }
    }
  }
}
