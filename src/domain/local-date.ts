import { InvalidDateError } from "./errors.js";

/**
 * Calendar-date helpers in a named IANA time zone (default Asia/Shanghai). A "local date"
 * is a `YYYY-MM-DD` string; instants are `Date`s. Pure: the zone's offset comes from ICU.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into [year, month 1–12, day]. Throws InvalidDateError. */
export function parseLocalDate(date: string): [number, number, number] {
  const m = ISO_DATE.exec(date);
  if (!m) throw new InvalidDateError(date);
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) throw new InvalidDateError(date);
  return [y, mo, d];
}

// Building an Intl.DateTimeFormat costs far more than using one (the clocks of every case call
// these many times per message): one formatter per zone, built once.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const instantFormats = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) cache.set(timeZone, (f = make()));
  return f;
}

/** The local date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function toLocalDate(instant: Date, timeZone: string): string {
  const parts = cached(dateFormats, timeZone, () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** `date` plus `days` calendar days (negative to go back). */
export function addCalendarDays(date: string, days: number): string {
  const [y, m, d] = parseLocalDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Day of week of a local date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  const [y, m, d] = parseLocalDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Asia/Shanghai: +480). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = cached(instantFormats, timeZone, () => new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  })).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The last millisecond of local date `date` in `timeZone` (23:59:59.999), as an instant. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = parseLocalDate(date);
  const naive = Date.UTC(y, m - 1, d, 23, 59, 59, 999);
  const offset = zoneOffsetMinutes(new Date(naive - 12 * 3_600_000), timeZone);
  return new Date(naive - offset * 60_000);
}

/** Local midnight at the start of `date` in `timeZone`, as an instant. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = parseLocalDate(date);
  const naive = Date.UTC(y, m - 1, d);
  const offset = zoneOffsetMinutes(new Date(naive + 12 * 3_600_000), timeZone);
  return new Date(naive - offset * 60_000);
}

/** `2026-11-30 09:05` in `timeZone`, for people reading a message or a table. */
export function localDateTime(instant: Date, timeZone: string): string {
  return cached(dateTimeFormats, timeZone, () => new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })).format(instant);
}
