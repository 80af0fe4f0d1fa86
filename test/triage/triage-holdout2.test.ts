import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateTriage, formatTriageReport, type TriageRow } from "../../src/triage/index.js";

// Second held-out set (test/triage/triage-holdout2.jsonl, 172 rows: 104 zh / 68 en, 44 emergency).
// Written BLIND to the rules on 2026-12-03: its author did not read src/triage/, triage-table.jsonl
// or triage-holdout.jsonl (beyond its first 3 lines, for the row format). It stays clean only
// until someone tunes rules against it — after that, write a new one.
//
// The floors below are the figures MEASURED on the rules of b457684 (rounded down to 3 decimals),
// not targets: they catch a regression, they do not say the rules are good. Several are far below
// the bar of issue 14 (danger recall ≥ 0.98) — that is the finding, not a mistake in the test.
// Subtype is not scored by evaluateTriage; `call` is.

function readRows(name: string): TriageRow[] {
  const text = readFileSync(new URL(name, import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TriageRow);
}

const FLOORS: Record<string, { precision: number; recall: number }> = {
  emergency: { precision: 0.967, recall: 0.681 },
  self_harm: { precision: 1, recall: 0.4 },
  threat: { precision: 1, recall: 0.4 },
  abuse: { precision: 1, recall: 0.9 },
  not_petition: { precision: 1, recall: 0.85 },
  other_procedure: { precision: 1, recall: 0.937 },
  status: { precision: 1, recall: 0.5 },
  petition: { precision: 0.564, recall: 1 },
};

describe("triage holdout2 (blind, 2026-12-03)", () => {
  const rows = readRows("./triage-holdout2.jsonl");

  it("keeps the measured figures as floors", () => {
    const r = evaluateTriage(rows);
    console.log("triage holdout2\n" + formatTriageReport(r));
    expect(r.rows).toBe(172);
    expect(r.emergencyRecall).toBeGreaterThanOrEqual(0.629); // danger = emergency + self_harm
    expect(r.emergencyPrecision).toBeGreaterThanOrEqual(0.971);
    expect(r.callAccuracy).toBeGreaterThanOrEqual(0.607);
    for (const [k, f] of Object.entries(FLOORS)) {
      const m = r.perKind[k as keyof typeof r.perKind];
      expect({ kind: k, precision: m.precision >= f.precision }).toEqual({ kind: k, precision: true });
      expect({ kind: k, recall: m.recall >= f.recall }).toEqual({ kind: k, recall: true });
    }
  });
});
