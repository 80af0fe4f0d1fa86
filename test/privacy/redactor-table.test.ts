import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateRedactor, formatRedactorReport, type RedactorRow } from "../../src/privacy/index.js";

function readRows(name: string): RedactorRow[] {
  return readFileSync(new URL(name, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as RedactorRow);
}

describe("redactor table", () => {
  it("should find personal data with recall ≥ 0.98 and precision ≥ 0.95 on the labelled table", () => {
    const rows = readRows("./redactor-table.jsonl");
    const r = evaluateRedactor(rows);
    console.log("redactor table\n" + formatRedactorReport(r));
    expect(r.rows).toBeGreaterThanOrEqual(300);
    expect(r.emptyRows).toBeGreaterThanOrEqual(100);
    expect(r.overall.recall).toBeGreaterThanOrEqual(0.98);
    expect(r.overall.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.leaks).toEqual([]);
  });

  // Written after the rules were final and run once; the rules were not changed to fix it.
  it("should keep recall ≥ 0.9 on the holdout table", () => {
    const rows = readRows("./redactor-holdout.jsonl");
    const r = evaluateRedactor(rows);
    console.log("redactor holdout\n" + formatRedactorReport(r));
    expect(r.rows).toBeGreaterThanOrEqual(60);
    expect(r.overall.recall).toBeGreaterThanOrEqual(0.9);
    expect(r.overall.precision).toBeGreaterThanOrEqual(0.9);
  });
});
