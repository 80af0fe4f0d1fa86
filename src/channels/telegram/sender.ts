import type { ChannelStore } from "../../cases/index.js";
import { KeyedSerial } from "../../keyed-serial.js";
import type { Reply } from "../../chat/message.js";
import type { Logger } from "../../logger.js";
import { retryDelay, type BackoffOptions } from "../backoff.js";
import { ChatBlockedError, type ChannelError } from "../errors.js";
import { toChannelError } from "./api-error.js";
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
  /**
   * Attempts after a transient error (429, 5xx, network, timeout) before giving up on one
   * message (default 10: a message still arrives after seven 429s in a row).
   */
  maxRetries?: number;
  /** Backoff between attempts after a 5xx or network error (429s wait their retry_after). */
  backoff?: BackoffOptions;
  /** Called once for each message that finally failed (permanent error, or retries used up) or was refused (403). */
  onFailure?: (chatId: string, method: string, err: ChannelError) => void;
  /** Sleep, for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in milliseconds for the rate limits, for tests (default Date.now). */
  now?: () => number;
}

/** What happened to one outbound message. */
export type SendOutcome = "sent" | "blocked" | "failed";

/** A token bucket: `capacity` sends at once, refilled at `perMs` per millisecond. */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(private readonly capacity: number, private readonly perMs: number, private readonly now: () => number) {
    this.tokens = capacity;
    this.last = now();
  }
  /** Milliseconds to wait before one send is allowed; takes the token. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
  }
}

/**
 * The one way out to Telegram. Splits text over 4,096 characters at line or sentence
 * boundaries, escapes user text for parse_mode HTML, turns buttons into inline keyboards with
 * short ASCII callback_data, keeps to Telegram's rate limits (per chat, per group, overall),
 * retries transient errors (429 after its retry_after; 5xx, network errors and timeouts after
 * a backoff with jitter) up to `maxRetries`, records permanent ones (400 …: logged and
 * `onFailure`; 403, the user blocked the bot: the block is stored and nothing more is sent to
 * that chat). Messages to one chat go out in order, each chat in its own queue: a chat waiting
 * out a 429 or a backoff holds up only its own messages, while the overall limit is shared.
 */
export class TelegramSender {
  private readonly chats = new Map<string, Bucket>();
  private readonly overall: Bucket;
  private readonly chatsInOrder = new KeyedSerial();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly o: TelegramSenderOptions) {
    this.now = o.now ?? Date.now;
    this.overall = new Bucket(o.overallPerSecond ?? 30, (o.overallPerSecond ?? 30) / 1000, this.now);
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
        ? new Bucket(3, (this.o.perGroupPerMinute ?? 20) / 60_000, this.now)
        : new Bucket(3, (this.o.perChatPerSecond ?? 1) / 1000, this.now);
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
      } catch (raw) {
        const err = toChannelError(raw, method, chatId);
        if (err instanceof ChatBlockedError) {
          await this.o.store.block("telegram", chatId, err.description.slice(0, 200));
          this.o.logger?.warn({ channel: "telegram", chatId, method },
            "Telegram chat refuses messages (403); stopped sending to it");
          this.o.onFailure?.(chatId, method, err);
          return "blocked";
        }
        if (err.retryable && attempt < (this.o.maxRetries ?? 10)) {
          const ms = retryDelay(err, attempt, this.o.backoff);
          const fields = { chatId, method, attempt: attempt + 1, code: err.code, status: err.status, retryInMs: ms };
          this.o.logger?.warn({ channel: "telegram", ...fields }, "Telegram send failed for now; sending again after a pause");
          await this.sleep(ms);
          continue;
        }
        this.o.logger?.error({ channel: "telegram", chatId, method, code: err.code, status: err.status,
          attempts: attempt + 1, error: err.description }, "Telegram send failed");
        this.o.onFailure?.(chatId, method, err);
        return "failed";
      }
    }
  }
}
