import { addCalendarDays, dayOfWeek, toLocalDate } from "../domain/local-date.js";
import type { WorkingDays } from "../domain/working-days.js";
import { parseChineseNumber } from "./entities.js";

/** A date a unit's reply promises the work by ("本周内修复", "3个工作日内", "by 10 December"). */
export interface PromisedDate {
  /** The words that promised it. */
  text: string;
  /** The last local day of the promise, YYYY-MM-DD. */
  date: string;
}

const EN_NUMBER: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  fourteen: 14, fifteen: 15, twenty: 20, thirty: 30,
};
const MONTH_EN: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function count(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  return EN_NUMBER[s.toLowerCase()] ?? parseChineseNumber(s) ?? Number.NaN;
}

const pad = (n: number) => String(n).padStart(2, "0");

function lastOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * A day without a year that is still to come: this year's, or next year's when that is within
 * half a year ("1月5号前" in December). Null for a past day ("11月20日已处理" is a report of what
 * was done) and for no such day.
 */
function comingDay(today: string, month: number, day: number): string | null {
  const y = Number(today.slice(0, 4));
  const horizon = addCalendarDays(today, 183);
  for (const year of [y, y + 1]) {
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
    const date = `${year}-${pad(month)}-${pad(day)}`;
    if (date >= today) return date <= horizon ? date : null;
  }
  return null;
}

function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const last = Number(lastOfMonth(y, m + n).slice(8, 10));
  const t = new Date(Date.UTC(y, m - 1 + n, Math.min(d, last)));
  return t.toISOString().slice(0, 10);
}

const NUMBER = "(\\d{1,3}|[一二两三四五六七八九十]{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|fifteen|twenty|thirty)";

/**
 * Finds the latest date a reply promises, relative to the day of the reply: within N (working)
 * days / weeks / months (3日内, 三个工作日内, 两周内, 一个月内, within 3 working days), 本周内 / 这周
 * (Sunday), 下周 (next Sunday), 本月内 / 月底前 (the month's last day), 年底前 / 年内 (31 December),
 * 明天 / 后天 / tomorrow, and a named day (12月10日前, 2026-12-10, by 10 December). The latest of
 * several promises counts — a poll that comes before the promised work is the mistake to avoid.
 * Working days need `calendar`; without it they count as calendar days. Pure.
 *
 * @returns the promise, or undefined when the reply names no date (e.g. "已修复").
 */
export function findPromisedDate(
  text: string,
  repliedAt: Date,
  timeZone: string,
  calendar?: WorkingDays,
): PromisedDate | undefined {
  const t = text.normalize("NFKC");
  const today = toLocalDate(repliedAt, timeZone);
  const [y, m] = today.split("-").map(Number) as [number, number];
  const sunday = addCalendarDays(today, (7 - dayOfWeek(today)) % 7);
  const found: PromisedDate[] = [];
  const add = (match: RegExpExecArray, date: string | null) => {
    if (date) found.push({ text: match[0], date });
  };
  const all = (re: RegExp, f: (match: RegExpExecArray) => string | null) => {
    for (const match of t.matchAll(re)) add(match as RegExpExecArray, f(match as RegExpExecArray));
  };
  const byUnit = (n: number, unit: string, working: boolean): string | null => {
    if (!Number.isFinite(n) || n <= 0 || n > 366) return null;
    if (/工作日|working|business/i.test(unit) || working) {
      return calendar ? calendar.addWorkingDays(today, n) : addCalendarDays(today, n);
    }
    if (/天|日|day/i.test(unit)) return addCalendarDays(today, n);
    if (/周|星期|礼拜|week/i.test(unit)) return addCalendarDays(today, 7 * n);
    if (/月|month/i.test(unit)) return addMonths(today, n);
    return null;
  };
  all(new RegExp(`(?<![\\d月])${NUMBER}\\s*(个?工作日|天|日|个?星期|周|个?礼拜|个?月)(?:之内|以内|内)`, "g"), (x) =>
    byUnit(count(x[1]!), x[2]!, false));
  all(new RegExp(`\\bwithin\\s+${NUMBER}\\s+(working\\s+|business\\s+)?(days?|weeks?|months?)`, "gi"), (x) =>
    byUnit(count(x[1]!), x[3]!, x[2] !== undefined));
  all(/本周|这周|这个星期|本星期|这礼拜|\bthis week\b|\bby the end of the week\b/gi, () => sunday);
  all(/下周|下个星期|下星期|下礼拜|\bnext week\b/gi, () => addCalendarDays(sunday, 7));
  all(/(?<!上个?)(?:本月|这个月|月底|月末)|\bthis month\b|\bend of the month\b/gi, () => lastOfMonth(y, m));
  all(/下个月|下月|\bnext month\b/gi, () => lastOfMonth(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1));
  all(/(?<!去)(?:年底|年末|年内|今年内)|\bend of the year\b|\bthis year\b/gi, () => `${y}-12-31`);
  all(/明天|明日|\btomorrow\b/gi, () => addCalendarDays(today, 1));
  all(/后天/g, () => addCalendarDays(today, 2));
  all(/(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/g, (x) => {
    const date = `${x[1]}-${pad(Number(x[2]))}-${pad(Number(x[3]))}`;
    return comingDay(today, Number(x[2]), Number(x[3])) && date >= today ? date : null;
  });
  all(/(?<![\d年\-/.])(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]/g, (x) =>
    comingDay(today, count(x[1]!), count(x[2]!)));
  all(/\bby\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/gi, (x) =>
    comingDay(today, MONTH_EN[x[2]!.slice(0, 3).toLowerCase()]!, Number(x[1])));
  all(/\bby\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?/gi, (x) =>
    comingDay(today, MONTH_EN[x[1]!.slice(0, 3).toLowerCase()]!, Number(x[2])));
  if (found.length === 0) return undefined;
  return found.reduce((a, b) => (b.date > a.date ? b : a));
}
