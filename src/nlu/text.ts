/**
 * Input hygiene for everything a resident types: normalisation, limits and the checks that
 * keep empty and emoji-only input away from the model.
 */

/** Longest description we store, in characters; longer text is cut with a notice. */
export const MAX_DESCRIPTION_CHARS = 4000;
/** Longest answer to a short field (location, name, demands …), in characters. */
export const MAX_FIELD_CHARS = 500;
/** Longest message we look at at all, in characters; beyond it the rest is dropped. */
export const MAX_MESSAGE_CHARS = 20_000;

// Zero-width characters and bidirectional controls (which can make a name display reversed).
const ZERO_WIDTH = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u180E\u202A-\u202E\u2066-\u2069\u061C]/g;
// C0/C1 controls except tab and newline.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF0B\uFF0D]/g;

/**
 * Cleans a raw message: Unicode NFC, full-width letters, digits, + and - made ASCII (Chinese
 * punctuation is kept as typed), zero-width
 * and control characters removed, runs of spaces collapsed, at most MAX_MESSAGE_CHARS kept.
 * Markup is kept as plain text; channels escape it when they show it.
 */
export function normalizeText(raw: string): string {
  return raw
    .slice(0, MAX_MESSAGE_CHARS * 2)
    .normalize("NFC")
    .replace(FULL_WIDTH_ALNUM, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(ZERO_WIDTH, "")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .replace(/[ \t\u3000]+/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, MAX_MESSAGE_CHARS);
}

/** True when the text has no letter or digit in any script (empty, spaces, emoji, punctuation). */
export function hasNoContent(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

/** True when the text has pictographic emoji and nothing else with meaning. */
export function isEmojiOnly(text: string): boolean {
  return /\p{Extended_Pictographic}/u.test(text) && hasNoContent(text);
}

/** Share of Han characters among letters, 0–1; used to guess the language of a first message. */
export function hanRatio(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 0;
  const han = letters.filter((c) => /\p{Script=Han}/u.test(c)).length;
  return han / letters.length;
}
