import {
  ChannelError, ChatBlockedError, ConflictChannelError, PermanentChannelError, RateLimitedError, TransientChannelError,
} from "../errors.js";

/** Network failures worth another attempt (node and node-fetch `code`s). */
const NETWORK_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH",
  "ENETUNREACH", "ENETDOWN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT",
]);

/** Thrown by the telegraf edge when a call took longer than its timeout (then aborted). */
export class TelegramTimeoutError extends Error {
  readonly code = "TELEGRAM.TIMEOUT";
  constructor(readonly method: string, readonly ms: number) {
    super(`no answer to ${method} within ${ms} ms`);
    this.name = "TelegramTimeoutError";
  }
}

interface ApiShape {
  name?: string;
  code?: unknown;
  type?: string;
  message?: string;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

/**
 * Turns whatever a Bot API call threw — telegraf's TelegramError (`response.error_code`,
 * `parameters.retry_after`; 5xx carry the HTTP status), node-fetch's FetchError, a
 * {@link TelegramTimeoutError} or a plain `{ error_code }` object — into the ChannelError
 * family: 429 → RateLimitedError, 409 → Conflict, 403 → ChatBlocked, 5xx / network /
 * timeout → Transient, other codes → Permanent; anything else → plain ChannelError (not retried).
 */
export function toChannelError(err: unknown, op: string, chatId?: string): ChannelError {
  if (err instanceof ChannelError) return err;
  const ctx = { channel: "telegram", op, chatId };
  const e = (err ?? {}) as ApiShape;
  const status = e.response?.error_code ?? e.error_code ?? (typeof e.code === "number" ? e.code : undefined);
  const description = e.response?.description ?? e.description ?? e.message ?? String(err);
  const options = { cause: err, status };
  if (status !== undefined) {
    if (status === 429) {
      const seconds = e.response?.parameters?.retry_after ?? e.parameters?.retry_after ?? 1;
      return new RateLimitedError(ctx, seconds * 1000, options);
    }
    if (status === 409) return new ConflictChannelError(ctx, description, options);
    if (status === 403) return new ChatBlockedError(ctx, description, options);
    if (status >= 500) return new TransientChannelError(ctx, description, options);
    return new PermanentChannelError(ctx, description, options);
  }
  const code = typeof e.code === "string" ? e.code : undefined;
  const network = e.name === "FetchError" || e.name === "AbortError" || (code !== undefined && NETWORK_CODES.has(code));
  if (err instanceof TelegramTimeoutError || network) {
    return new TransientChannelError(ctx, description, { cause: err });
  }
  return new ChannelError(ctx, description, { cause: err });
}
