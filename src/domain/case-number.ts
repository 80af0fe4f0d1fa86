import { InvalidCaseNumberError } from "./errors.js";

/**
 * Case numbers (信访件编号): `PREFIX-YYMMDD-NNNN-C`, e.g. `XF-261129-0073-7` — prefix, local
 * date of receipt, a day sequence of at least 4 digits and one Damm check digit. Digits only
 * after the prefix, so it reads out clearly on the phone; the check digit catches any single
 * mistyped digit and any swap of two neighbours before a lookup is even made.
 */

// Damm algorithm quasigroup table (order 10, weakly totally anti-symmetric).
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

/** The Damm check digit of a string of digits. */
export function dammDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim]![Number(ch)]!;
  return interim;
}

/** Letters allowed in a prefix: 1–6 of A–Z. */
export const CASE_PREFIX = /^[A-Z]{1,6}$/;

/**
 * Formats a case number. `localDate` is `YYYY-MM-DD`; `sequence` ≥ 1.
 * @throws RangeError for a bad prefix or sequence.
 */
export function formatCaseNumber(prefix: string, localDate: string, sequence: number): string {
  if (!CASE_PREFIX.test(prefix)) throw new RangeError(`case number prefix must be 1–6 letters A–Z, got "${prefix}"`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  const ymd = localDate.slice(2, 4) + localDate.slice(5, 7) + localDate.slice(8, 10);
  const seq = String(sequence).padStart(4, "0");
  return `${prefix}-${ymd}-${seq}-${dammDigit(ymd + seq)}`;
}

/**
 * Normalises what a resident typed (any case, full-width characters, spaces or no dashes)
 * to the canonical number, or throws.
 * @throws InvalidCaseNumberError when the shape or the check digit is wrong.
 */
export function parseCaseNumber(input: string): string {
  const compact = input.normalize("NFKC").toUpperCase().replace(/[\s\-_—–.·]/g, "");
  const m = /^([A-Z]{1,6})(\d{6})(\d{5,})$/.exec(compact);
  if (!m) throw new InvalidCaseNumberError(input);
  const [, prefix, ymd, rest] = m as unknown as [string, string, string, string];
  if (dammDigit(ymd + rest) !== 0) throw new InvalidCaseNumberError(input);
  return `${prefix}-${ymd}-${rest.slice(0, -1)}-${rest.slice(-1)}`;
}

/** A loose pattern that finds a case-number-looking token inside a sentence. */
export const CASE_NUMBER_IN_TEXT = /[A-Za-zＡ-Ｚａ-ｚ]{1,6}[\s\-－_]?[0-9０-９]{6}[\s\-－_]?[0-9０-９]{4,}(?:[\s\-－_]?[0-9０-９])?/;

/** Something a resident typed as a case number, complete or not ("XF-123", "xf2611"). */
export const CASE_NUMBER_ATTEMPT = /^[A-Za-zＡ-Ｚａ-ｚ]{1,6}[\s\-－_]?[0-9０-９][0-9０-９\s\-－_]*$/;
