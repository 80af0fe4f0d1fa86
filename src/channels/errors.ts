/**
 * Errors of a chat platform's API, by what the caller does about them (grammY separates the
 * API saying no from the network failing; BullMQ has one class per way to handle a job):
 *
 * - {@link TransientChannelError}: 5xx, network, timeout — send again after a backoff;
 * - {@link RateLimitedError}: 429 — send again after `retryAfterMs`;
 * - {@link PermanentChannelError}: 400, 401, 404 — sending again gives the same answer; record it;
 * - {@link ChatBlockedError}: 403 — the resident blocked the bot; stop sending to that chat;
 * - {@link ConflictChannelError}: 409 — another process takes this bot's updates.
 *
 * Each adapter turns its SDK's errors into these at its edge (telegram/api-error.ts).
 */

/** Where a channel error happened: the platform, the API operation and the chat, if any. */
export interface ChannelErrorContext {
  /** Platform id: "telegram", "wechat". */
  channel: string;
  /** API method or operation: "sendMessage", "getUpdates", "say". */
  op: string;
  /** The chat the operation was for, if one. */
  chatId?: string;
}

/** Options of a {@link ChannelError}. */
export interface ChannelErrorOptions extends ErrorOptions {
  /** The platform's own error code (an HTTP-like status for Telegram), when it gave one. */
  status?: number;
}

/** A chat platform's API failed; the base of the family. Not retried unless a subclass says so. */
export class ChannelError extends Error {
  readonly code: string = "CHANNEL.FAILED";
  /** True when the same call may succeed if made again later. */
  readonly retryable: boolean = false;
  readonly channel: string;
  readonly op: string;
  readonly chatId: string | undefined;
  /** The platform's error code (Telegram: error_code), if any. */
  readonly status: number | undefined;
  /** What the platform (or the network) said, without the channel and operation in front. */
  readonly description: string;

  constructor(ctx: ChannelErrorContext, message: string, options: ChannelErrorOptions = {}) {
    super(`${ctx.channel} ${ctx.op}: ${message}`, options);
    this.name = "ChannelError";
    this.channel = ctx.channel;
    this.op = ctx.op;
    this.chatId = ctx.chatId;
    this.status = options.status;
    this.description = message;
  }
}

/** The platform could not be reached or failed on its side (5xx, network, timeout); try again later. */
export class TransientChannelError extends ChannelError {
  override readonly code: string = "CHANNEL.TRANSIENT";
  override readonly retryable = true;
  constructor(ctx: ChannelErrorContext, message: string, options?: ChannelErrorOptions) {
    super(ctx, message, options);
    this.name = "TransientChannelError";
  }
}

/** The platform asked us to slow down (429); the call may be made again after `retryAfterMs`. */
export class RateLimitedError extends TransientChannelError {
  override readonly code = "CHANNEL.RATE_LIMITED";
  /** Milliseconds the platform asked us to wait before the next call (Telegram: retry_after × 1000). */
  readonly retryAfterMs: number;
  constructor(ctx: ChannelErrorContext, retryAfterMs: number, options?: ChannelErrorOptions) {
    super(ctx, `rate limited, retry after ${retryAfterMs} ms`, { status: 429, ...options });
    this.name = "RateLimitedError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** The platform refused the call for good (400 bad request, 401 bad token, 404); do not repeat it. */
export class PermanentChannelError extends ChannelError {
  override readonly code: string = "CHANNEL.PERMANENT";
  constructor(ctx: ChannelErrorContext, message: string, options?: ChannelErrorOptions) {
    super(ctx, message, options);
    this.name = "PermanentChannelError";
  }
}

/** The chat refuses the bot's messages (403: blocked, kicked, deactivated); record the block. */
export class ChatBlockedError extends PermanentChannelError {
  override readonly code = "CHANNEL.CHAT_BLOCKED";
  constructor(ctx: ChannelErrorContext, message: string, options?: ChannelErrorOptions) {
    super(ctx, message, { status: 403, ...options });
    this.name = "ChatBlockedError";
  }
}

/**
 * Another consumer takes this bot's updates (Telegram 409: a second getUpdates poller, or a
 * webhook is set). Retried with backoff by the poller, and reported as the channel failing.
 */
export class ConflictChannelError extends ChannelError {
  override readonly code = "CHANNEL.CONFLICT";
  override readonly retryable = true;
  constructor(ctx: ChannelErrorContext, message: string, options?: ChannelErrorOptions) {
    super(ctx, message, { status: 409, ...options });
    this.name = "ConflictChannelError";
  }
}
