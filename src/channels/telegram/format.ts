import type { Button } from "../../dialog/index.js";

/** Telegram's limit on one message's text, in characters (UTF-16 code units). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** Escapes text for parse_mode HTML: only &, < and > are special there. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Splits `text` into pieces of at most `limit` characters, preferring a line break, then a
 * sentence end (。！？.!?), then a space; only a single unbroken run is cut hard. Pieces keep
 * their order and together hold every character except the whitespace at a cut.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf("\n");
    if (cut < limit / 2) {
      const sentence = Math.max(...["。", "！", "？", ". ", "! ", "? ", "；"].map((p) => window.lastIndexOf(p)));
      if (sentence >= limit / 2) cut = sentence + 1;
    }
    if (cut < limit / 2) {
      const space = window.lastIndexOf(" ");
      if (space >= limit / 2) cut = space;
    }
    if (cut < limit / 2) cut = limit;
    // Do not split a surrogate pair (emoji, rare Han characters).
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? "")) cut--;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, "");
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
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
