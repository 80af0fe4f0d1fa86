/**
 * Enquiry codes (查询码): the 6-character secret printed on a receipt beside the case number.
 * Number + code lets a resident reach their case from any channel or device (the practice of the
 * national satisfaction evaluation, where a petitioner looks a matter up by 信访件编号 and 查询码).
 * The code is random — never derived from the number — and only its hash is stored
 * (src/cases/enquiry.ts). This module is the pure part: alphabet, normalisation, finding a code
 * in a message.
 */

/** Letters of codes read out and typed by people: no 0/O/1/I/L. Shared with cadre invite codes. */
export const READABLE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Length of an enquiry code, in characters (31⁶ ≈ 8.9 × 10⁸ codes). */
export const ENQUIRY_CODE_LENGTH = 6;

/** Upper-cases and turns full-width letters and digits into ASCII; null when it is not a well-formed code. */
export function normaliseEnquiryCode(input: string): string | null {
  const ascii = input.trim().replace(/[Ａ-Ｚａ-ｚ０-９]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).toUpperCase();
  if (ascii.length !== ENQUIRY_CODE_LENGTH) return null;
  for (const ch of ascii) if (!READABLE_CODE_ALPHABET.includes(ch)) return null;
  return ascii;
}

/**
 * The code a resident wrote after the case number: "… 码 ABC123", "… 查询码：abc123", "… code ABC123"
 * or a lone 6-character word after the number. `rest` is the text after the number. Returns the
 * normalised code; the raw word when it looks like an attempt (6 letters/digits) but has letters a
 * code never has (so the attempt still counts as a wrong code); null when no code was given.
 */
export function codeAfterNumber(rest: string): string | null {
  const m = /^[\s,，。:：;；]*(?:(?:查询码|验证码|查询|码|code|enquiry code|pin)[\s:：#＃]*)?([A-Za-zＡ-Ｚａ-ｚ0-9０-９]{6})(?![A-Za-z0-9])/iu.exec(rest);
  if (!m) return null;
  return normaliseEnquiryCode(m[1]!) ?? m[1]!.toUpperCase();
}

/**
 * The answer to a lookup by number and code: `granted` (the chat may follow the case from now
 * on), `refused` (wrong code, or no such case — the two are never told apart), or `locked` until
 * `until` (too many wrong codes for this case number or from this chat).
 */
export type EnquiryOutcome = { kind: "granted"; caseNo: string } | { kind: "refused" } | { kind: "locked"; until: Date };
