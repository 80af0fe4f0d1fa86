import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { freshSqliteUrl } from "../helpers.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");

function run(args: string[], input = "", env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent", ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReply { text: string; buttons: Array<{ id: string; label: string }>; expects: string | null; caseNo: string | null }
const parseLines = (s: string): JsonReply[] => s.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as JsonReply);

describe("petition-bot chat --json", () => {
  it("should file a Chinese complaint and `cases show` should return it with its clocks", () => {
    const DATABASE_URL = freshSqliteUrl();
    const lines = ["村口那条路全是坑，电动车摔了好几个人，在青山镇石桥村", "1", "上个月", "尽快修路", "王先生", "13800001234", "确认"];
    const r = run(["chat", "--json", "--user", "cli-zh"], lines.join("\n") + "\n", { DATABASE_URL });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const replies = parseLines(r.stdout);
    for (const reply of replies) expect(Object.keys(reply).sort()).toEqual(["buttons", "caseNo", "expects", "text"]);
    expect(replies.map((x) => x.expects)).toEqual(["category", "occurredAt", "demands", "name", "phone", "confirm", null]);
    const caseNo = replies[replies.length - 1]!.caseNo!;
    expect(caseNo).toMatch(/^XF-\d{6}-\d{4,}-\d$/);

    const shown = run(["cases", "show", caseNo, "--json"], "", { DATABASE_URL });
    expect(shown.code).toBe(0);
    const c = JSON.parse(shown.stdout);
    expect(c).toMatchObject({ caseNo, category: "transport", state: "assigned", location: "青山镇石桥村", occurredAt: "上个月", demands: "尽快修路", name: "王先生", phone: "*******1234" });
    for (const k of ["colourDueAt", "registerDueAt", "acceptanceDueAt", "objectionDueAt", "replyDueAt"]) expect(c.clocks[k]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(c.events.length).toBe(2);

    const list = JSON.parse(run(["cases", "list", "--json"], "", { DATABASE_URL }).stdout);
    expect(list.map((x: { caseNo: string }) => x.caseNo)).toEqual([caseNo]);
    expect(JSON.stringify(list)).not.toContain("13800001234");
  });

  it("should file an English complaint selecting buttons by label", () => {
    const DATABASE_URL = freshSqliteUrl();
    const lines = ["Our boss has not paid wages for 3 months", "Yes", "Building 3, Riverside Industrial Park", "skip", "pay us", "Li", "13800005678", "Confirm"];
    const replies = parseLines(run(["chat", "--json", "--user", "cli-en", "--locale", "en"], lines.join("\n") + "\n", { DATABASE_URL }).stdout);
    const receipt = replies[replies.length - 1]!;
    expect(receipt.text).toMatch(/^\[Receipt\]/);
    expect(receipt.caseNo).toMatch(/^XF-/);
  });

  it("should say which variable is wrong and stop", () => {
    const r = run(["cases", "list"], "", { DATABASE_URL: "mysql://nope", LOG_LEVEL: "info" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/DATABASE_URL/);
  });

  it("should refuse a malformed case number with a clear line", () => {
    const r = run(["cases", "show", "XF-123", "--json"], "", { DATABASE_URL: freshSqliteUrl() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a valid case number/);
  });
});

describe("petition-bot chat (terminal)", () => {
  it("should show buttons as numbered options and accept the number", () => {
    const r = run(["chat", "--user", "t1"], "工厂排污，河里的鱼都死了\n1\n", { DATABASE_URL: freshSqliteUrl() });
    expect(r.stdout).toMatch(/ {2}1\. /);
    expect(r.stdout).toMatch(/问题发生在哪里/);
  });
});

describe("the holiday calendar", () => {
  it("should warn at start when the calendar does not cover the next 90 days, naming the file and the year to add", () => {
    const dir = mkdtempSync(join(tmpdir(), "pb-hol-"));
    const old = join(dir, "old.json");
    writeFileSync(old, JSON.stringify({ holidays: ["2025-10-01"], workdays: ["2025-09-28"] }));
    const warned = run(["units", "list", "--json"], "", { DATABASE_URL: freshSqliteUrl(), HOLIDAYS_FILE: old, LOG_LEVEL: "warn" });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/holiday calendar ends with 2025: deadlines after that count weekends only.*import the 2026 notice with `petition-bot holidays import/);
    const far = join(dir, "far.json");
    writeFileSync(far, JSON.stringify({ holidays: ["2025-10-01", "2099-10-01"], workdays: [] }));
    const quiet = run(["units", "list", "--json"], "", { DATABASE_URL: freshSqliteUrl(), HOLIDAYS_FILE: far, LOG_LEVEL: "warn" });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/holiday calendar/);
  });
});
