import { extractDate, extractPhone } from "../nlu/entities.js";
import { MAX_DESCRIPTION_CHARS, MAX_FIELD_CHARS, hasNoContent } from "../nlu/text.js";

/**
 * Validators of the form's free-text fields. Expected mistakes are return values, not
 * exceptions: `{ ok: false, reason }` names what was wrong and selects the hint shown.
 */
export type StepResult<T> = { ok: true; value: T } | { ok: false; reason: Invalid };

/** Why an answer was not taken; each has a hint in locales (`hint.<reason>`). */
export type Invalid = "empty" | "too_short" | "too_long" | "not_a_phone" | "looks_like_phone" | "future_date" | "not_a_name";

/** Longest name, in characters. */
export const MAX_NAME_CHARS = 50;

const contentLength = (t: string) => (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
const isMostlyPhone = (t: string) => extractPhone(t) !== undefined && contentLength(t.replace(/[\d+\s-]/g, "")) < 2;

/** A description needs at least 4 letters or digits; longer than MAX_DESCRIPTION_CHARS is cut. */
export function validateDescription(text: string): StepResult<{ text: string; truncated: boolean }> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (contentLength(text) < 4) return { ok: false, reason: "too_short" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  const truncated = text.length > MAX_DESCRIPTION_CHARS;
  return { ok: true, value: { text: truncated ? text.slice(0, MAX_DESCRIPTION_CHARS) : text, truncated } };
}

/** A place: any text with content, up to MAX_FIELD_CHARS; a bare phone number is refused. */
export function validateLocation(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (text.length > MAX_FIELD_CHARS) return { ok: false, reason: "too_long" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  if (contentLength(text) < 2) return { ok: false, reason: "too_short" };
  return { ok: true, value: text };
}

/** When it happened: a date we can parse (not in the future), or the resident's own words. */
export function validateOccurredAt(text: string, now: Date, timeZone: string): StepResult<{ text: string; date?: string }> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (text.length > 200) return { ok: false, reason: "too_long" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  const found = extractDate(text, now, timeZone);
  if (found) return { ok: true, value: { text, date: found.date } };
  const explicit = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(text);
  if (explicit) return { ok: false, reason: "future_date" };
  return { ok: true, value: { text } };
}

/** What the resident asks for: free text up to MAX_FIELD_CHARS. */
export function validateDemands(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (text.length > MAX_FIELD_CHARS) return { ok: false, reason: "too_long" };
  return { ok: true, value: text };
}

/** A name: letters, up to MAX_NAME_CHARS, not a phone number. */
export function validateName(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  if (text.length > MAX_NAME_CHARS) return { ok: false, reason: "too_long" };
  if (!/\p{L}/u.test(text)) return { ok: false, reason: "not_a_name" };
  return { ok: true, value: text };
}

/** A phone number: CN mobile, CN landline with area code, or +international. */
export function validatePhone(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  const phone = extractPhone(text);
  return phone ? { ok: true, value: phone } : { ok: false, reason: "not_a_phone" };
}
