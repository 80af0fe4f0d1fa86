import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTriageTable } from "../../src/cli/triage-command.js";
import { evaluateTriage, formatTriageReport, type TriageRow } from "../../src/triage/index.js";

// Second held-out set (test/triage/triage-holdout2.jsonl, 172 rows: 104 zh / 68 en, 44 emergency).
// Written BLIND to the rules on 2026-12-03: its author did not read src/triage/, triage-table.jsonl
// or triage-holdout.jsonl (beyond its first 3 lines, for the row format). It stays clean only
// until someone tunes rules against it — after that, write a new one.
//
// History: on the rules of b457684 it measured danger recall 0.630 / precision 0.971, threat recall 0.4,
// status 0.5 — far below the bar of issue 14 (danger recall ≥ 0.98). The kinds of its misses (not the
// rows) were then given to a rule writer, who wrote new training rows without opening this file:
// danger recall 0.944, precision 0.981 (semi-clean). Three danger misses were then fixed by general
// cues (a relative's violence to the writer 被老公打了 … 不让我走; 喊着要捅死人; water up to the knees):
// danger recall 1.000, precision 0.982. THE SET IS NO LONGER CLEAN; the next measurement needs a new one.
// The floors below are the figures measured after that (rounded down), to catch a regression.
// Subtype is not scored by evaluateTriage; `call` is.

/** A labelled table beside this file, read (and each row checked) as `petition-bot triage eval` reads it. */
const readRows = (name: string): TriageRow[] => readTriageTable(fileURLToPath(new URL(name, import.meta.url)));

const FLOORS: Record<string, { precision: number; recall: number }> = {
  emergency: { precision: 0.977, recall: 1 },
  self_harm: { precision: 1, recall: 1 },
  threat: { precision: 1, recall: 0.8 },
  abuse: { precision: 1, recall: 1 },
  not_petition: { precision: 1, recall: 0.95 },
  other_procedure: { precision: 1, recall: 1 },
  status: { precision: 1, recall: 0.857 },
  petition: { precision: 0.923, recall: 1 },
};

describe("triage holdout2 (blind, 2026-12-03)", () => {
  const rows = readRows("./triage-holdout2.jsonl");

  it("keeps the measured figures as floors", () => {
    const r = evaluateTriage(rows);
    console.log("triage holdout2\n" + formatTriageReport(r));
    expect(r.rows).toBe(172);
    expect(r.emergencyRecall).toBeGreaterThanOrEqual(1); // danger = emergency + self_harm
    expect(r.emergencyPrecision).toBeGreaterThanOrEqual(0.981);
    expect(r.callAccuracy).toBeGreaterThanOrEqual(0.94);
    for (const [k, f] of Object.entries(FLOORS)) {
      const m = r.perKind[k as keyof typeof r.perKind];
      expect({ kind: k, precision: m.precision >= f.precision }).toEqual({ kind: k, precision: true });
      expect({ kind: k, recall: m.recall >= f.recall }).toEqual({ kind: k, recall: true });
    }
  });
});
