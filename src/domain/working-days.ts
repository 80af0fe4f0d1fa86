import { addCalendarDays, dayOfWeek, parseLocalDate } from "./local-date.js";

/** Holiday calendar data: public holidays and make-up working days (调休上班日), as YYYY-MM-DD. */
export interface HolidayCalendar {
  /** Days off that would otherwise be working days (法定节假日 and bridged days). */
  holidays: readonly string[];
  /** Weekend days that are working days because of a holiday swap (调休). */
  workdays: readonly string[];
  /**
   * The last year whose State Council notice the calendar holds (see holiday-notice.ts); dates
   * after it count weekends only and are provisional. Absent: every date counts as covered.
   */
  lastYear?: number;
}

/**
 * Working-day arithmetic over local dates with an injected holiday calendar (no I/O, no clock).
 * Use for every deadline counted in working days (工作日), e.g. the 5-working-day objection
 * window of 信访工作条例 Art. 23 ¶3.
 *
 * @example
 * const cal = new WorkingDays({ holidays: ["2026-10-01"], workdays: ["2026-10-10"] });
 * cal.addWorkingDays("2026-09-30", 1); // "2026-10-02" unless that is a holiday too
 */
export class WorkingDays {
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  /** The last year the holiday notices cover (Infinity when the calendar did not say). */
  readonly lastYear: number;

  constructor(calendar: HolidayCalendar = { holidays: [], workdays: [] }) {
    for (const d of [...calendar.holidays, ...calendar.workdays]) parseLocalDate(d);
    this.holidays = new Set(calendar.holidays);
    this.workdays = new Set(calendar.workdays);
    this.lastYear = calendar.lastYear ?? Number.POSITIVE_INFINITY;
  }

  /**
   * True for a date after the last year whose holiday notice the calendar holds: a deadline on
   * it was counted over weekends only and may move once that year's notice is imported, so it is
   * to be shown as provisional (暂定) — `holidays status` reports the range; the chat does not mark it yet.
   */
  isProvisional(date: string): boolean {
    return Number(date.slice(0, 4)) > this.lastYear;
  }

  /** True on Monday–Friday that is not a holiday, and on make-up working days. */
  isWorkingDay(date: string): boolean {
    if (this.holidays.has(date)) return false;
    if (this.workdays.has(date)) return true;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /** The `n`-th working day after `date` (n ≥ 1; `date` itself never counts). */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    let d = date;
    for (let left = n; left > 0; ) {
      d = addCalendarDays(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** `date` if it is a working day, else the next working day. */
  onOrAfter(date: string): string {
    let d = date;
    for (let i = 0; i < 60 && !this.isWorkingDay(d); i++) d = addCalendarDays(d, 1);
    return d;
  }

  /**
   * A period of `days` calendar days starting the day after `date`, whose last day moves to
   * the next working day when it falls on a rest day or holiday. Source: 民法典 Arts. 201, 203
   * (how statutory periods in days are counted).
   */
  addCalendarPeriod(date: string, days: number): string {
    return this.onOrAfter(addCalendarDays(date, days));
  }

  /** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
  workingDaysBetween(from: string, to: string): number {
    if (to === from) return 0;
    const sign = to > from ? 1 : -1;
    let count = 0;
    for (let d = from; d !== to; ) {
      d = addCalendarDays(d, sign);
      if (this.isWorkingDay(d)) count += sign;
    }
    return count;
  }
}
