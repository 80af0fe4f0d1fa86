import { addCalendarDays, dayOfWeek, parseLocalDate } from "./local-date.js";
import type { HolidayCalendar } from "./working-days.js";

/**
 * One year's public holidays as the State Council's notice gives them (国务院办公厅关于节假日安排的通知),
 * in the widely used holiday-cn JSON format (github.com/NateScarlet/holiday-cn):
 *
 * ```json
 * { "year": 2027, "papers": ["https://www.gov.cn/…"], "days": [{ "name": "元旦", "date": "2027-01-01", "isOffDay": true }] }
 * ```
 *
 * `isOffDay: true` is a day off (法定节假日 and the bridged days), `false` a make-up working day (调休上班日).
 */
export interface HolidayNotice {
  year: number;
  /** Where the dates come from: the notice's URLs (at least one). */
  papers: string[];
  days: Array<{ name: string; date: string; isOffDay: boolean }>;
}

/** The holiday calendar file (config/holidays-cn.json or HOLIDAYS_FILE) with the years it covers. */
export interface CalendarFile extends HolidayCalendar {
  /** Free text naming the sources, one line per imported year. */
  _source?: string;
  /** Years whose notice has been imported; when absent, the years the dates fall in. */
  years?: number[];
}

/** The result of reading a notice: the notice, or every problem found (each names the date or field). */
export type NoticeReading = { ok: true; notice: HolidayNotice } | { ok: false; errors: string[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  try {
    parseLocalDate(date);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and validates a holiday notice in the holiday-cn format. Checks that `year` is a
 * whole year, `papers` names at least one source, and every day is a real date in the
 * notice's year — or in the December before it, where a notice sometimes moves the days
 * around New Year (the 2019 notice made 2018-12-29 a working day) — named, given once, and
 * that a make-up working day falls on a Saturday or Sunday (otherwise it is a working day
 * anyway and the notice was misread). Never throws; returns every problem.
 *
 * @example
 * readHolidayNotice(JSON.parse(readFileSync("2027.json", "utf8")))
 */
export function readHolidayNotice(data: unknown): NoticeReading {
  const errors: string[] = [];
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { ok: false, errors: ["not a JSON object"] };
  const raw = data as Record<string, unknown>;
  const year = raw.year;
  if (typeof year !== "number" || !Number.isInteger(year) || year < 2000 || year > 2100) {
    errors.push(`"year" must be a whole year between 2000 and 2100, got ${JSON.stringify(year)}`);
  }
  const papers = raw.papers;
  if (!Array.isArray(papers) || papers.length === 0 || !papers.every((p) => typeof p === "string" && p.trim() !== "")) {
    errors.push('"papers" must list at least one source (the notice\'s URL)');
  }
  const days = raw.days;
  if (!Array.isArray(days) || days.length === 0) {
    errors.push('"days" must be a non-empty list of {name, date, isOffDay}');
    return { ok: false, errors };
  }
  const seen = new Set<string>();
  days.forEach((day: unknown, i) => {
    const d = (typeof day === "object" && day !== null ? day : {}) as Record<string, unknown>;
    const where = `days[${i}]`;
    if (typeof d.date !== "string" || !validDate(d.date)) {
      errors.push(`${where}: "date" must be a real date YYYY-MM-DD, got ${JSON.stringify(d.date)}`);
      return;
    }
    const at = `${where} ${d.date}`;
    if (typeof d.name !== "string" || d.name.trim() === "") errors.push(`${at}: "name" is missing`);
    if (typeof d.isOffDay !== "boolean") errors.push(`${at}: "isOffDay" must be true or false`);
    if (seen.has(d.date)) errors.push(`${at}: given twice`);
    seen.add(d.date);
    if (typeof year === "number") {
      const inYear = d.date.startsWith(`${year}-`);
      const decemberBefore = d.date.startsWith(`${year - 1}-12-`);
      if (!inYear && !decemberBefore) errors.push(`${at}: not in ${year} (nor the December before)`);
    }
    const weekend = [0, 6].includes(dayOfWeek(d.date));
    if (d.isOffDay === false && !weekend) errors.push(`${at}: a make-up working day (isOffDay false) must be a Saturday or Sunday`);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, notice: data as HolidayNotice };
}

/** The last year a calendar file covers: its `years`, else the latest year among its dates (0 if none). */
export function calendarLastYear(file: CalendarFile): number {
  const years = file.years ?? [...file.holidays, ...file.workdays].map((d) => Number(d.slice(0, 4)));
  return Math.max(0, ...years.filter(Number.isFinite));
}

/**
 * The calendar with `notice`'s year replaced by the notice: the year's old holidays and
 * make-up days go (and the notice's December-before days replace those of that December),
 * the notice's come in, the year joins `years` and its papers a new `_source` line. Pure;
 * sorted output.
 */
export function mergeHolidayNotice(file: CalendarFile, notice: HolidayNotice): CalendarFile {
  const replaced = (d: string) => d.startsWith(`${notice.year}-`) || notice.days.some((n) => n.date === d);
  const holidays = file.holidays.filter((d) => !replaced(d));
  const workdays = file.workdays.filter((d) => !replaced(d));
  for (const day of notice.days) (day.isOffDay ? holidays : workdays).push(day.date);
  const known = file.years ?? [...new Set([...file.holidays, ...file.workdays].map((d) => Number(d.slice(0, 4))))];
  const years = [...new Set([...known, notice.year])].filter((y) => y > 0).sort((a, b) => a - b);
  const sourceLine = `${notice.year}: ${notice.papers.join(" ")}`;
  const lines = (file._source ?? "").split("\n").filter((l) => l.trim() !== "" && !l.startsWith(`${notice.year}: `));
  return {
    _source: [...lines, sourceLine].join("\n"),
    years,
    holidays: [...new Set(holidays)].sort(),
    workdays: [...new Set(workdays)].sort(),
  };
}

/** The first date after the calendar's last covered year: deadlines on or after it are provisional. */
export function provisionalFrom(lastYear: number): string {
  return addCalendarDays(`${lastYear}-12-31`, 1);
}
