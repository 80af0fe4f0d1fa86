import { completePlace, extractPhone, findDate, findPlace, isVaguePlace, type PlaceList } from "../../nlu/entities.js";
import { MAX_DESCRIPTION_CHARS, MAX_FIELD_CHARS, hasNoContent } from "../../nlu/text.js";

/**
 * Validators of the form's free-text fields. Expected mistakes are return values, not
 * exceptions: `{ ok: false, reason }` names what was wrong and selects the hint shown.
 */
export type StepResult<T> = { ok: true; value: T } | { ok: false; reason: Invalid };

/** Why an answer was not taken; each has a hint in locales (`hint.<reason>`). */
export type Invalid = "empty" | "too_short" | "too_long" | "not_a_phone" | "looks_like_phone" | "future_date"
  | "bad_date" | "not_a_time" | "not_a_name" | "not_a_place" | "looks_like_date" | "vague_place" | "not_a_time_number";

/** Longest name, in characters. */
export const MAX_NAME_CHARS = 50;

const contentLength = (t: string) => (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
const isMostlyPhone = (t: string) => extractPhone(t) !== undefined && contentLength(t.replace(/[\d+\s-]/g, "")) < 2;

/** Longest name in Han characters (王先生, 欧阳阿姨): longer Chinese text is a sentence, not a name. */
export const MAX_HAN_NAME_CHARS = 8;

// Short answers that are replies to a question, not values of a field.
const ACKNOWLEDGEMENT = /^(嗯+|噢+|哦+|啊+|对+|对的|是+|是的|好+|好的|行|可以|没错|知道了|不是|不对|没有|不知道|ok|okay|yes|yep|no|nope|sure|right|idk)$/i;
// Words that say when something happened even without a parseable date. A bare number is not
// one (1380000, 12345): digits count only as a clock time (8:30) or with a time word.
const TIME_WORDS = new RegExp(
  "年|月|日|号|天|周|星期|礼拜|前|后|时|点|早|晚|最近|一直|很久|长期|多年|好久|经常|每|期间|以来|开始|\\d{1,2}[:：]\\d{2}|" +
    "ago|since|year|month|week|day|night|morning|always|often|long|recent|every",
  "i",
);
const isAcknowledgement = (t: string) => ACKNOWLEDGEMENT.test(t.replace(/[\s\p{P}\p{S}]/gu, ""));

/** A description needs at least 4 letters or digits; longer than MAX_DESCRIPTION_CHARS is cut. */
export function validateDescription(text: string): StepResult<{ text: string; truncated: boolean }> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (contentLength(text) < 4) return { ok: false, reason: "too_short" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  const truncated = text.length > MAX_DESCRIPTION_CHARS;
  return { ok: true, value: { text: truncated ? text.slice(0, MAX_DESCRIPTION_CHARS) : text, truncated } };
}

/**
 * A place: text with content, up to MAX_FIELD_CHARS. A bare phone number, a bare date or a mere
 * "yes/ok" is refused (the resident answered another question); so is a place that names nothing
 * (我家门口, 这里, 楼下, here: "vague_place", the form asks which village or street). With `places`,
 * a known village named without its town gets the town (石桥村三组 → 青山镇石桥村三组).
 */
export function validateLocation(text: string, now: Date, timeZone: string, places?: PlaceList): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (text.length > MAX_FIELD_CHARS) return { ok: false, reason: "too_long" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  if (isAcknowledgement(text)) return { ok: false, reason: "not_a_place" };
  if (contentLength(text) < 2) return { ok: false, reason: "too_short" };
  const date = findDate(text, now, timeZone);
  if (date && contentLength(text.replace(date.text, "")) < 2) return { ok: false, reason: "looks_like_date" };
  if (isVaguePlace(text) && !findPlace(text, { places })?.confident) return { ok: false, reason: "vague_place" };
  return { ok: true, value: completePlace(text, places) };
}

/**
 * When it happened: a date we can parse that is not in the future and exists (a duration such as
 * "三个月了" or "for three weeks" gives the day it started), or the resident's own words about time
 * ("一直这样"). Other text is refused; a number is never a date unless it reads as one (1380000 is not).
 */
export function validateOccurredAt(text: string, now: Date, timeZone: string): StepResult<{ text: string; date?: string; precision?: "day" | "month" | "year" }> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (text.length > 200) return { ok: false, reason: "too_long" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  const found = findDate(text, now, timeZone);
  if (found?.status === "future") return { ok: false, reason: "future_date" };
  if (found?.status === "invalid") return { ok: false, reason: "bad_date" };
  if (found) return { ok: true, value: { text, date: found.date, precision: found.precision } };
  if (/^[\d\s.,:+-]+$/.test(text)) return { ok: false, reason: "not_a_time_number" };
  if (!TIME_WORDS.test(text) || isAcknowledgement(text)) return { ok: false, reason: "not_a_time" };
  return { ok: true, value: { text } };
}

/** What the resident asks for: free text up to MAX_FIELD_CHARS; a bare phone number is not a demand. */
export function validateDemands(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  if (text.length > MAX_FIELD_CHARS) return { ok: false, reason: "too_long" };
  return { ok: true, value: text };
}

/** A name: letters, up to MAX_NAME_CHARS, not a phone number. */
export function validateName(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  if (isMostlyPhone(text)) return { ok: false, reason: "looks_like_phone" };
  if (text.length > MAX_NAME_CHARS) return { ok: false, reason: "too_long" };
  if (!/\p{L}/u.test(text) || isAcknowledgement(text)) return { ok: false, reason: "not_a_name" };
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  if (han > MAX_HAN_NAME_CHARS || /[，。！？,.!?]/.test(text) && han > 4) return { ok: false, reason: "not_a_name" };
  return { ok: true, value: text };
}

/** A phone number: CN mobile, CN landline with area code, or +international. */
export function validatePhone(text: string): StepResult<string> {
  if (hasNoContent(text)) return { ok: false, reason: "empty" };
  const phone = extractPhone(text);
  return phone ? { ok: true, value: phone } : { ok: false, reason: "not_a_phone" };
}
