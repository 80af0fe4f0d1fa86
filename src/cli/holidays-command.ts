import { readFileSync, renameSync, writeFileSync } from "node:fs";
import {
  calendarLastYear,
  mergeHolidayNotice,
  provisionalFrom,
  readHolidayNotice,
  type CalendarFile,
} from "../domain/holiday-notice.js";
import type { CliIo } from "./cases-command.js";

function readJsonFile(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

function fail(io: CliIo, message: string): void {
  io.err(`${message}\n`);
  io.exitCode(1);
}

function readCalendarFile(file: string): CalendarFile {
  const data = readJsonFile(file) as Partial<CalendarFile>;
  if (!Array.isArray(data.holidays) || !Array.isArray(data.workdays)) {
    throw new Error(`${file}: needs "holidays" and "workdays" arrays of YYYY-MM-DD`);
  }
  return data as CalendarFile;
}

/**
 * `petition-bot holidays import <notice.json>`: validates one year's State Council holiday
 * notice in the holiday-cn format (see domain/holiday-notice.ts) and writes it into the
 * calendar file (HOLIDAYS_FILE, default config/holidays-cn.json), replacing that year. The file
 * is written whole to a temporary file and renamed, so a crash leaves the old calendar. With
 * `dryRun`, only reports. Exit code 1 with every problem named when the notice is invalid.
 * Restart the bot to use the new calendar; deadlines already set are not moved.
 */
export function holidaysImport(
  noticeFile: string,
  opts: { dryRun?: boolean; json?: boolean },
  io: CliIo,
  calendarFile: string,
): void {
  let data: unknown;
  try {
    data = readJsonFile(noticeFile);
  } catch (err) {
    return fail(io, `${noticeFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const reading = readHolidayNotice(data);
  if (!reading.ok) return fail(io, `${noticeFile}: not a valid holiday notice:\n${reading.errors.map((e) => `  - ${e}`).join("\n")}`);
  let current: CalendarFile;
  try {
    current = readCalendarFile(calendarFile);
  } catch (err) {
    return fail(io, err instanceof Error ? err.message : String(err));
  }
  const { notice } = reading;
  const merged = mergeHolidayNotice(current, notice);
  const summary = {
    file: calendarFile,
    year: notice.year,
    holidays: notice.days.filter((d) => d.isOffDay).length,
    workdays: notice.days.filter((d) => !d.isOffDay).length,
    replaced: current.years?.includes(notice.year) ?? calendarLastYear(current) >= notice.year,
    lastYear: calendarLastYear(merged),
    written: !opts.dryRun,
  };
  if (!opts.dryRun) {
    const tmp = `${calendarFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`);
    renameSync(tmp, calendarFile);
  }
  if (opts.json) return io.out(`${JSON.stringify(summary)}\n`);
  const verb = opts.dryRun ? "would import" : "imported";
  io.out(
    `${calendarFile}: ${verb} ${notice.year} (${summary.holidays} days off, ${summary.workdays} make-up working days` +
      `${summary.replaced ? ", replacing the year's earlier dates" : ""}); the calendar now covers through ` +
      `${summary.lastYear}.${opts.dryRun ? "" : " Restart the bot to use it."}\n`,
  );
}

/** `petition-bot holidays status`: the years the calendar covers and from when deadlines are provisional. */
export function holidaysStatus(opts: { json?: boolean }, io: CliIo, calendarFile: string): void {
  let file: CalendarFile;
  try {
    file = readCalendarFile(calendarFile);
  } catch (err) {
    return fail(io, err instanceof Error ? err.message : String(err));
  }
  const lastYear = calendarLastYear(file);
  const status = { file: calendarFile, years: file.years ?? null, lastYear, provisionalFrom: provisionalFrom(lastYear) };
  if (opts.json) return io.out(`${JSON.stringify(status)}\n`);
  io.out(
    `${calendarFile}: covers through ${lastYear}; deadlines from ${status.provisionalFrom} are provisional ` +
      `(weekends only) until the ${lastYear + 1} notice is imported with \`petition-bot holidays import\`.\n`,
  );
}
