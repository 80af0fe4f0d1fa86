import { describe, expect, it } from "vitest";
import {
  WorkingDays,
  calendarLastYear,
  mergeHolidayNotice,
  readHolidayNotice,
  type CalendarFile,
} from "../../src/domain/index.js";

// A made-up notice for tests only (not the State Council's 2027 notice, which this machine cannot fetch).
const notice2027 = {
  year: 2027,
  papers: ["https://example.gov.cn/2027-notice-test-fixture"],
  days: [
    { name: "元旦", date: "2027-01-01", isOffDay: true },
    { name: "元旦", date: "2027-01-02", isOffDay: true },
    { name: "元旦", date: "2027-01-03", isOffDay: true },
    { name: "春节", date: "2027-02-06", isOffDay: true },
    { name: "春节", date: "2027-02-08", isOffDay: true },
    { name: "春节", date: "2027-02-20", isOffDay: false }, // a Saturday made a working day
  ],
};

const base: CalendarFile = {
  _source: "2026: https://www.gov.cn/2026",
  holidays: ["2026-10-01", "2027-01-01"],
  workdays: ["2026-10-10"],
};

describe("readHolidayNotice (holiday-cn format)", () => {
  it("should accept a well-formed notice", () => {
    const reading = readHolidayNotice(notice2027);
    expect(reading.ok).toBe(true);
  });

  it("should name every problem: wrong year, no source, bad date, a weekday make-up day, a duplicate", () => {
    const reading = readHolidayNotice({
      year: 2027,
      papers: [],
      days: [
        { name: "元旦", date: "2026-06-01", isOffDay: true },
        { name: "春节", date: "2027-02-30", isOffDay: true },
        { name: "春节", date: "2027-02-10", isOffDay: false }, // a Wednesday
        { name: "元旦", date: "2027-01-01", isOffDay: true },
        { name: "元旦", date: "2027-01-01", isOffDay: true },
        { date: "2027-05-01", isOffDay: "yes" },
      ],
    });
    expect(reading.ok).toBe(false);
    const errors = reading.ok ? [] : reading.errors;
    expect(errors.join("\n")).toMatch(/papers/);
    expect(errors.some((e) => e.includes("2026-06-01") && e.includes("not in 2027"))).toBe(true);
    expect(errors.some((e) => e.includes("2027-02-30"))).toBe(true);
    expect(errors.some((e) => e.includes("2027-02-10") && e.includes("Saturday or Sunday"))).toBe(true);
    expect(errors.some((e) => e.includes("2027-01-01") && e.includes("twice"))).toBe(true);
    expect(errors.some((e) => e.includes("2027-05-01") && e.includes("name"))).toBe(true);
    expect(errors.some((e) => e.includes("2027-05-01") && e.includes("isOffDay"))).toBe(true);
  });

  it("should accept the December before the year (the 2019 notice made 2018-12-29 a working day)", () => {
    const reading = readHolidayNotice({
      year: 2019,
      papers: ["http://www.gov.cn/zhengce/content/2018-12/06/content_5346276.htm"],
      days: [
        { name: "元旦", date: "2018-12-29", isOffDay: false },
        { name: "元旦", date: "2018-12-30", isOffDay: true },
        { name: "元旦", date: "2019-01-01", isOffDay: true },
      ],
    });
    expect(reading.ok).toBe(true);
  });

  it("should refuse what is not a notice", () => {
    expect(readHolidayNotice([]).ok).toBe(false);
    expect(readHolidayNotice({ year: "2027", papers: ["x"], days: [] }).ok).toBe(false);
  });
});

describe("mergeHolidayNotice", () => {
  it("should replace the year, keep the others, and record the year and its source", () => {
    const reading = readHolidayNotice(notice2027);
    if (!reading.ok) throw new Error(reading.errors.join("; "));
    const merged = mergeHolidayNotice(base, reading.notice);
    expect(merged.holidays).toEqual(["2026-10-01", "2027-01-01", "2027-01-02", "2027-01-03", "2027-02-06", "2027-02-08"]);
    expect(merged.workdays).toEqual(["2026-10-10", "2027-02-20"]);
    expect(merged.years).toEqual([2026, 2027]);
    expect(merged._source).toBe("2026: https://www.gov.cn/2026\n2027: https://example.gov.cn/2027-notice-test-fixture");
    expect(calendarLastYear(merged)).toBe(2027);
    // importing again replaces rather than adds
    const again = mergeHolidayNotice(merged, { ...reading.notice, days: reading.notice.days.slice(0, 1) });
    expect(again.holidays).toEqual(["2026-10-01", "2027-01-01"]);
    expect(again.workdays).toEqual(["2026-10-10"]);
    expect(again._source?.split("\n")).toHaveLength(2);
  });

  it("should change what counts as a working day once imported", () => {
    const before = new WorkingDays({ ...base, lastYear: calendarLastYear({ ...base, years: [2026] }) });
    expect(before.isWorkingDay("2027-02-08")).toBe(true); // a Monday, unknown holiday
    expect(before.isProvisional("2027-02-08")).toBe(true);
    expect(before.isProvisional("2026-12-31")).toBe(false);
    const reading = readHolidayNotice(notice2027);
    if (!reading.ok) throw new Error("fixture");
    const merged = mergeHolidayNotice({ ...base, years: [2026] }, reading.notice);
    const after = new WorkingDays({ ...merged, lastYear: calendarLastYear(merged) });
    expect(after.isWorkingDay("2027-02-08")).toBe(false);
    expect(after.isWorkingDay("2027-02-20")).toBe(true);
    expect(after.isProvisional("2027-12-31")).toBe(false);
    expect(after.isProvisional("2028-01-03")).toBe(true);
  });
});
