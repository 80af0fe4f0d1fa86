import { describe, expect, it } from "vitest";
import { computeClocks, endOfLocalDay, toLocalDate } from "../../src/domain/index.js";
import { calendar } from "../helpers.js";

const TZ = "Asia/Shanghai";
const local = (d: Date | null) => (d ? toLocalDate(d, TZ) : null);

describe("computeClocks", () => {
  // Monday 2026-11-30 09:00 in Shanghai.
  const receivedAt = new Date("2026-11-30T01:00:00Z");

  it("should give green, yellow and red cases 1, 3 and 7 working days from assignment", () => {
    const due = (colour: "green" | "yellow" | "red") => local(computeClocks({ receivedAt, assignedAt: receivedAt, colour }, calendar, TZ).colourDueAt);
    expect(due("green")).toBe("2026-12-01");
    expect(due("yellow")).toBe("2026-12-03");
    expect(due("red")).toBe("2026-12-09"); // skips the weekend of 5–6 December
  });

  it("should set the Art. 22/23 15-day and Art. 34 60-day clocks, rolled to working days", () => {
    const c = computeClocks({ receivedAt, assignedAt: receivedAt, colour: "green" }, calendar, TZ);
    expect(local(c.registerDueAt)).toBe("2026-12-15");
    expect(local(c.acceptanceDueAt)).toBe("2026-12-15");
    // 60 days after the latest lawful acceptance day (2026-12-15) is 2027-02-13, a Saturday.
    expect(local(c.replyDueAt)).toBe("2027-02-15");
    expect(local(c.objectionDueAt)).toBe("2026-12-07"); // 5 working days (Art. 23 ¶3)
  });

  it("should count the reply deadline from acceptance and add an extension of at most 30 days", () => {
    const acceptedAt = new Date("2026-12-01T02:00:00Z");
    const base = computeClocks({ receivedAt, acceptedAt, colour: "red" }, calendar, TZ);
    const extended = computeClocks({ receivedAt, acceptedAt, colour: "red", extendedDays: 45 }, calendar, TZ);
    expect(local(base.replyDueAt)).toBe("2027-02-01"); // day 60 (2027-01-30) is a Saturday
    expect(local(extended.replyDueAt)).toBe("2027-03-01"); // capped at +30 days: 2027-03-01 (Monday)
  });

  it("should end each deadline at the end of the local day", () => {
    expect(endOfLocalDay("2026-12-01", TZ).toISOString()).toBe("2026-12-01T15:59:59.999Z");
  });

  it("should leave the objection clock empty before assignment", () => {
    expect(computeClocks({ receivedAt, colour: "green" }, calendar, TZ).objectionDueAt).toBeNull();
  });
});
