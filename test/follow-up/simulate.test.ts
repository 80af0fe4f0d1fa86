import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/main.js";
import { computeLedger } from "../../src/cases/ledger.js";
import { ledgerCommand } from "../../src/cli/ledger-command.js";
import type { SimulationReport } from "../../src/cli/simulate.js";
import { simulatedApp } from "./simulated.js";

/** Captures a CLI command's output. */
function io() {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  return { out, err, code: () => code, io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), exitCode: (n: number) => void (code = n) } };
}

describe("a simulated fortnight", () => {
  let app: App;
  let report: SimulationReport;
  let clock: { now: Date };

  beforeAll(async () => {
    ({ app, report, clock } = await simulatedApp(70, 10, 11));
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  it("should end with every case answered or escalated, and the ledger equal to the simulation's own count", () => {
    expect(report.tally.received).toBe(70);
    expect(report.tally.unanswered).toEqual([]);
    expect(report.mismatches).toEqual([]);
    // The month had what a real one has: late replies, escalations, answered and unanswered polls.
    expect(report.tally.lateByPlan).toBeGreaterThan(0);
    expect(report.tally.escalated).toBeGreaterThan(0);
    expect(report.ledger.pollAnswered).toBeGreaterThan(0);
    expect(report.ledger.polled).toBeGreaterThanOrEqual(report.ledger.pollAnswered);
    expect(report.ledger.onTimeRate).toBeLessThan(1);
  });

  it("should count the ledger again from the cases themselves, group by group", async () => {
    const cases = await app.db.case.findMany({ where: { channel: "sim" } });
    const byCategory = await computeLedger(app.db, { from: report.from, to: report.to, by: "category", now: clock.now, timeZone: "Asia/Shanghai" });
    for (const row of byCategory.rows) {
      const mine = cases.filter((c) => c.category === row.key);
      expect(row.received).toBe(mine.length);
      expect(row.closed).toBe(mine.filter((c) => c.state === "closed").length);
      expect(row.satisfied).toBe(mine.filter((c) => c.firstSatisfaction === "satisfied").length);
    }
    expect(byCategory.rows.reduce((n, r) => n + r.received, 0)).toBe(byCategory.total.received);
    const byTown = await computeLedger(app.db, { from: report.from, to: report.to, by: "town", now: clock.now, timeZone: "Asia/Shanghai" });
    // Towns come from the place each resident gave (some complaints named their own place).
    expect(byTown.rows.map((r) => r.key)).toEqual(expect.arrayContaining(["城关镇", "河东街道", "青山镇"]));
    expect(byTown.rows.reduce((n, r) => n + r.received, 0)).toBe(70);
    for (const row of byTown.rows) expect(row.received).toBe(cases.filter((c) => c.town === row.key).length);
  });

  it("should print the ledger as JSON, CSV and a table, and refuse bad arguments with one line", async () => {
    const j = io();
    await ledgerCommand(app.db, { from: report.from, to: report.to, by: "unit", json: true, now: clock.now }, j.io, "Asia/Shanghai");
    const parsed = JSON.parse(j.out.join(""));
    expect(parsed.total.received).toBe(70);
    expect(parsed.rows.every((r: { onTimeRate: number | null }) => r.onTimeRate === null || (r.onTimeRate >= 0 && r.onTimeRate <= 1))).toBe(true);
    const c = io();
    await ledgerCommand(app.db, { from: report.from, to: report.to, by: "village", csv: true, now: clock.now }, c.io, "Asia/Shanghai");
    const lines = c.out.join("").trim().split("\n");
    expect(c.out.join("").startsWith("\ufeff")).toBe(true); // UTF-8 BOM for spreadsheet programs
    expect(lines[0]).toBe("key,received,replied,repliedOnTime,due,onTimeRate,polled,pollAnswered,participationRate,satisfied,basicallySatisfied,unsatisfied,satisfactionRate,closed,firstTimeResolved,firstTimeResolutionRate,open,overdue,notAccepted,supervised");
    expect(lines[lines.length - 1]).toMatch(/^all,70,/);
    const t = io();
    await ledgerCommand(app.db, { from: report.from, to: report.to, now: clock.now }, t.io, "Asia/Shanghai");
    expect(t.out.join("")).toMatch(/三知一账[\s\S]*RECEIVED[\s\S]*\ball\s+70\b/);
    for (const [opts, message] of [
      [{ from: "2026-13-01" }, /--from: "2026-13-01" is not a date/],
      [{ from: "2026-12-01", to: "2026-11-01" }, /--from 2026-12-01 is after --to 2026-11-01/],
      [{ by: "street" }, /--by: must be one of town, village, unit, category/],
      [{ json: true, csv: true }, /choose one/],
    ] as const) {
      const bad = io();
      await ledgerCommand(app.db, opts, bad.io, "Asia/Shanghai");
      expect(bad.code()).toBe(1);
      expect(bad.err.join("")).toMatch(message);
    }
  });
});
