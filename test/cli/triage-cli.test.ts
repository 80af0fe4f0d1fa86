import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent" }, timeout: 120_000 });

function file(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "triage-")), "table.jsonl");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("petition-bot triage eval", () => {
  it("should score the project's table and print danger recall", () => {
    const r = run(["triage", "eval"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/triage-table\.jsonl: \d{3,} rows/);
    expect(r.stdout).toMatch(/danger \(emergency\+self_harm\) recall \d\.\d{3} precision \d\.\d{3}/);
  });

  it("should count a miss on a table written for the test, as JSON", () => {
    const table = file([
      JSON.stringify({ text: "煤气泄漏了，全是味道", kind: "emergency", call: 119 }),
      JSON.stringify({ text: "路灯坏了半个月没人修", kind: "emergency", call: 110 }), // mislabelled on purpose
      JSON.stringify({ text: "路灯坏了半个月没人修", kind: "petition" }),
    ]);
    const r = run(["triage", "eval", "--file", table, "--json"]);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout);
    expect(report.rows).toBe(3);
    expect(report.emergencyRecall).toBe(0.5);
    expect(report.errors).toHaveLength(1);
  });

  it("should name the bad line of a malformed table", () => {
    const r = run(["triage", "eval", "--file", file([JSON.stringify({ text: "你好", kind: "not_petition" }), "{oops"])]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/table\.jsonl:2: not JSON/);
  });

  it("should say what it reads in one message", () => {
    const r = run(["triage", "classify", "有人晕倒了没有呼吸", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: "emergency", call: 120 });
  });
});
