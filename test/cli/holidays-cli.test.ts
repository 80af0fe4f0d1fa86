import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");
const SHIPPED = join(PROJECT_ROOT, "config", "holidays-cn.json");

function setup(): { dir: string; calendar: string; run: (args: string[]) => ReturnType<typeof spawnSync> } {
  const dir = mkdtempSync(join(tmpdir(), "holidays-"));
  const calendar = join(dir, "holidays.json");
  copyFileSync(SHIPPED, calendar);
  const env = { ...process.env, LOG_LEVEL: "silent", HOLIDAYS_FILE: calendar };
  return { dir, calendar, run: (args) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 120_000 }) };
}

// A made-up 2027 notice for tests only (not the State Council's, which this machine cannot fetch).
const notice = {
  year: 2027,
  papers: ["https://example.gov.cn/test-fixture"],
  days: [
    { name: "元旦", date: "2027-01-01", isOffDay: true },
    { name: "春节", date: "2027-02-20", isOffDay: false },
  ],
};

describe("petition-bot holidays", () => {
  it("should import a year into HOLIDAYS_FILE and report the new coverage", () => {
    const { dir, calendar, run } = setup();
    const before = run(["holidays", "status", "--json"]);
    expect(before.status).toBe(0);
    expect(JSON.parse(String(before.stdout))).toMatchObject({ lastYear: 2026, provisionalFrom: "2027-01-01" });
    const file = join(dir, "2027.json");
    writeFileSync(file, JSON.stringify(notice));
    const r = run(["holidays", "import", file]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(String(r.stdout)).toMatch(/imported 2027 \(1 days off, 1 make-up working days\).*covers through 2027/);
    const written = JSON.parse(readFileSync(calendar, "utf8"));
    expect(written.holidays).toContain("2027-01-01");
    expect(written.workdays).toContain("2027-02-20");
    expect(written.years).toEqual([2025, 2026, 2027]);
    expect(written._source).toContain("2027: https://example.gov.cn/test-fixture");
    const after = run(["holidays", "status", "--json"]);
    expect(JSON.parse(String(after.stdout))).toMatchObject({ lastYear: 2027, provisionalFrom: "2028-01-01" });
  });

  it("should refuse an invalid notice, name each problem, and leave the calendar as it was", () => {
    const { dir, calendar, run } = setup();
    const original = readFileSync(calendar, "utf8");
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ ...notice, papers: [], days: [{ name: "春节", date: "2027-02-10", isOffDay: false }] }));
    const r = run(["holidays", "import", file]);
    expect(r.status).toBe(1);
    expect(String(r.stderr)).toMatch(/papers/);
    expect(String(r.stderr)).toMatch(/2027-02-10.*Saturday or Sunday/);
    expect(readFileSync(calendar, "utf8")).toBe(original);
    const dry = run(["holidays", "import", join(dir, "missing.json")]);
    expect(dry.status).toBe(1);
    expect(String(dry.stderr)).toMatch(/missing\.json/);
  });

  it("should only report with --dry-run", () => {
    const { dir, calendar, run } = setup();
    const original = readFileSync(calendar, "utf8");
    const file = join(dir, "2027.json");
    writeFileSync(file, JSON.stringify(notice));
    const r = run(["holidays", "import", file, "--dry-run", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ year: 2027, written: false, lastYear: 2027 });
    expect(readFileSync(calendar, "utf8")).toBe(original);
  });
});
