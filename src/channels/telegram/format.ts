import type { Button } from "../../chat/message.js";
import { splitText } from "../split-text.js";

/** Telegram's limit on one message's text, in characters (UTF-16 code units). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** Escapes text for parse_mode HTML: only &, < and > are special there. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Splits text at Telegram's 4,096-character limit (see splitText in channels/split-text.ts). */
export function splitTelegramText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  return splitText(text, limit);
}

/** An inline keyboard button as Telegram wants it. */
export interface InlineButton {
  text: string;
  callback_data: string;
}

/**
 * Inline keyboard rows for `buttons`: short labels two to a row, long ones alone. Button ids are
 * short ASCII by design; an id over 64 bytes is a programming error and throws.
 * @throws RangeError naming the id.
 */
export function inlineKeyboard(buttons: readonly Button[]): InlineButton[][] {
  const rows: InlineButton[][] = [];
  let row: InlineButton[] = [];
  for (const b of buttons) {
    if (Buffer.byteLength(b.id, "utf8") > CALLBACK_DATA_LIMIT) throw new RangeError(`button id "${b.id}" is over ${CALLBACK_DATA_LIMIT} bytes`);
    const wide = [...b.label].length > 8;
    if (wide || row.length === 2) {
      if (row.length) rows.push(row);
      row = [];
    }
    row.push({ text: b.label, callback_data: b.id });
    if (wide) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Maps Telegram's language_code ("zh-hans", "zh-CN", "en-US" …) to our locale. */
export function localeOf(languageCode: string | undefined): "zh-CN" | "en" | undefined {
  if (!languageCode) return undefined;
  return languageCode.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}
