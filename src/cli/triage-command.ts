import { readFileSync } from "node:fs";
import { TRIAGE_KINDS, classifyTriage, evaluateTriage, formatTriageReport, type TriageRow } from "../triage/index.js";
import type { CliIo } from "./cases-command.js";

/**
 * Reads a labelled triage table: JSON Lines `{"text": "...", "kind": "emergency", "call": 119}`.
 * Blank lines are skipped. Throws an Error naming the file and line of a malformed or
 * mislabelled row.
 */
export function readTriageTable(file: string): TriageRow[] {
  const rows: TriageRow[] = [];
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`);
    }
    const r = row as Partial<TriageRow>;
    if (typeof r.text !== "string" || !TRIAGE_KINDS.includes(r.kind as never)) {
      throw new Error(`${file}:${i + 1}: needs "text" and "kind" (one of ${TRIAGE_KINDS.join(", ")})`);
    }
    rows.push(r as TriageRow);
  });
  return rows;
}

/**
 * `petition-bot triage eval`: scores the triage rules on a labelled table (default: the
 * project's, test/triage/triage-table.jsonl) and prints recall and precision per kind, danger
 * (emergency + self-harm) recall and precision, and the accuracy of the emergency number.
 */
export function triageEval(opts: { file?: string; json?: boolean }, io: CliIo, defaultFile: string): void {
  const file = opts.file ?? defaultFile;
  let rows: TriageRow[];
  try {
    rows = readTriageTable(file);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n`);
    io.exitCode(1);
    return;
  }
  if (rows.length === 0) {
    io.err(`${file}: no rows\n`);
    io.exitCode(1);
    return;
  }
  const report = evaluateTriage(rows);
  if (opts.json) return io.out(`${JSON.stringify(report, null, 2)}\n`);
  io.out(`${file}: ${rows.length} rows\n${formatTriageReport(report)}\n`);
}

/** `petition-bot triage classify <text>`: what triage reads in one message. */
export function triageClassify(text: string, opts: { json?: boolean }, io: CliIo): void {
  const reading = classifyTriage(text);
  if (opts.json) return io.out(`${JSON.stringify(reading)}\n`);
  io.out(`${reading.kind}${reading.subtype ? ` (${reading.subtype})` : ""}${reading.call ? `, call ${reading.call}` : ""}${reading.cue ? `; cue: ${reading.cue}` : ""}\n`);
}
