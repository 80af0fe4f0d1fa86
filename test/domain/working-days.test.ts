import { describe, expect, it } from "vitest";
import { WorkingDays, InvalidDateError } from "../../src/domain/index.js";
import { calendar } from "../helpers.js";

describe("WorkingDays", () => {
  it("should treat weekdays as working days and weekends as rest days", () => {
    const plain = new WorkingDays();
    expect(plain.isWorkingDay("2026-11-27")).toBe(true); // Friday
    expect(plain.isWorkingDay("2026-11-28")).toBe(false); // Saturday
  });

  it("should skip the National Day holiday", () => {
    expect(calendar.addWorkingDays("2026-09-30", 1)).toBe("2026-10-08");
  });

  it("should count a make-up Saturday (调休) as a working day", () => {
    expect(calendar.isWorkingDay("2026-10-10")).toBe(true); // Saturday, make-up day
    expect(calendar.addWorkingDays("2026-10-09", 1)).toBe("2026-10-10");
    expect(calendar.isWorkingDay("2026-02-14")).toBe(true); // Spring Festival make-up Saturday
  });

  it("should count 5 working days across the Spring Festival", () => {
    // 2026-02-13 Fri → 14 (make-up Sat) 24 25 26 27
    expect(calendar.addWorkingDays("2026-02-13", 5)).toBe("2026-02-27");
  });

  it("should move a calendar period ending on a rest day to the next working day (民法典 Art. 203)", () => {
    // 2026-11-29 + 13 days = 2026-12-12 (Saturday) → Monday 2026-12-14
    expect(calendar.addCalendarPeriod("2026-11-29", 13)).toBe("2026-12-14");
    expect(calendar.addCalendarPeriod("2026-11-29", 15)).toBe("2026-12-14");
  });

  it("should count working days between two dates in both directions", () => {
    expect(calendar.workingDaysBetween("2026-11-27", "2026-12-04")).toBe(5);
    expect(calendar.workingDaysBetween("2026-12-04", "2026-11-27")).toBe(-5);
  });

  it("should refuse a holiday list with an impossible date", () => {
    expect(() => new WorkingDays({ holidays: ["2026-02-30"], workdays: [] })).toThrow(InvalidDateError);
  });
});
