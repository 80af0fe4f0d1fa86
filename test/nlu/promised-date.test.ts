import { describe, expect, it } from "vitest";
import { DEFAULT_POLL_TIMINGS, pollSendAt } from "../../src/domain/index.js";
import { findPromisedDate } from "../../src/nlu/index.js";
import { calendar } from "../helpers.js";

const TZ = "Asia/Shanghai";
const repliedAt = new Date("2026-12-02T02:00:00Z"); // Wednesday 2026-12-02, 10:00 in Shanghai

// [reply text, the promised last day, or null for no promise]
const TABLE: Array<[string, string | null]> = [
  ["已安排施工队，本周内修复", "2026-12-06"],
  ["这周修好", "2026-12-06"],
  ["下周完成更换", "2026-12-13"],
  ["3日内处理完毕", "2026-12-05"],
  ["三天内派人清理", "2026-12-05"],
  ["3个工作日内答复", "2026-12-07"],
  ["五个工作日内完成", "2026-12-09"],
  ["两周内完成整改", "2026-12-16"],
  ["一个月内完成", "2027-01-02"],
  ["月底前完成维修", "2026-12-31"],
  ["年底前全部发放到位", "2026-12-31"],
  ["明天上午派人查看", "2026-12-03"],
  ["后天安装", "2026-12-04"],
  ["预计12月10日前修复", "2026-12-10"],
  ["定于2027年1月15日前兑付", "2027-01-15"],
  ["计划1月5号前完成", "2027-01-05"],
  ["先临时处理，本周内修复，月底前彻底更换", "2026-12-31"],
  ["We will repair it this week.", "2026-12-06"],
  ["The crew will fix it within 3 working days", "2026-12-07"],
  ["within two weeks", "2026-12-16"],
  ["It will be done by 10 December", "2026-12-10"],
  ["by Jan 5th", "2027-01-05"],
  ["tomorrow morning", "2026-12-03"],
  // no promise
  ["已修复，请查看", null],
  ["经核查，已于3天前修复", null],
  ["上月底已处理完毕", null],
  ["11月20日已现场处理", null],
  ["The light was repaired yesterday.", null],
  ["已转交相关部门", null],
];

describe("findPromisedDate", () => {
  it.each(TABLE)("%s → %s", (text, date) => {
    expect(findPromisedDate(text, repliedAt, TZ, calendar)?.date ?? null).toBe(date);
  });
});

describe("pollSendAt", () => {
  it("should wait until the morning after a promised date", () => {
    expect(pollSendAt(repliedAt, "2026-12-06", DEFAULT_POLL_TIMINGS, TZ).toISOString()).toBe("2026-12-07T01:00:00.000Z");
  });

  it("should send after the configured delay when nothing was promised", () => {
    expect(pollSendAt(repliedAt, undefined, { ...DEFAULT_POLL_TIMINGS, delayHours: 24 }, TZ).toISOString())
      .toBe("2026-12-03T02:00:00.000Z");
    expect(pollSendAt(repliedAt, undefined, DEFAULT_POLL_TIMINGS, TZ)).toEqual(repliedAt);
  });

  it("should leave the poll's days and one more inside the 30-day review window", () => {
    // promised in three months: the poll comes 30 - 7 - 1 = 22 days after the reply
    expect(pollSendAt(repliedAt, "2027-03-01", DEFAULT_POLL_TIMINGS, TZ).toISOString()).toBe("2026-12-24T02:00:00.000Z");
  });
});
