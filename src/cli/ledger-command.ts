import { stringify } from "csv-stringify/sync";
import { computeLedger, ledgerPeriod, LEDGER_GROUPS, type LedgerGroup, type LedgerRow } from "../cases/ledger.js";
import type { Db } from "../db/database.js";
import type { CliIo } from "./cases-command.js";

/** Options of `petition-bot ledger`. */
export interface LedgerOptions {
  from?: string;
  to?: string;
  by?: string;
  json?: boolean;
  csv?: boolean;
  /** The instant open/overdue are judged at (tests, simulations); default now. */
  now?: Date;
}

const COLUMNS: Array<[keyof LedgerRow, string]> = [
  ["key", "GROUP"], ["received", "RECEIVED"], ["replied", "REPLIED"], ["repliedOnTime", "ON TIME"], ["due", "DUE"], ["onTimeRate", "ON-TIME %"],
  ["polled", "POLLED"], ["pollAnswered", "ANSWERED"], ["participationRate", "PARTICIPATION %"],
  ["satisfied", "SATISFIED"], ["basicallySatisfied", "BASICALLY"], ["unsatisfied", "UNSATISFIED"], ["satisfactionRate", "SATISFACTION %"],
  ["closed", "CLOSED"], ["firstTimeResolved", "FIRST-TIME"], ["firstTimeResolutionRate", "FIRST-TIME %"],
  ["open", "OPEN"], ["overdue", "OVERDUE"], ["notAccepted", "NOT ACCEPTED"], ["supervised", "SUPERVISED"],
];

/** Columns a terminal gives a character: 2 for CJK and other wide characters, else 1. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

const percent = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(2)}`);

/**
 * `petition-bot ledger [--from DATE --to DATE] [--by town|village|unit|category] [--json|--csv]`:
 * the ledger (三知一账) of cases received in the period — default from 1 January of this year to
 * today (local dates, inclusive). Rates in the table and CSV are percentages with two decimals;
 * JSON keeps them as 0–1 numbers (null when nothing to count). Definitions: src/cases/ledger.ts.
 */
export async function ledgerCommand(db: Db, opts: LedgerOptions, io: CliIo, timeZone: string): Promise<void> {
  const now = opts.now ?? new Date();
  // Default to the year so far (the dashboard's default is the last 30 days).
  const period = ledgerPeriod(opts, timeZone, "year", now);
  if ("problem" in period) {
    io.err(period.problem === "not_a_date" ? `--${period.field}: "${period.value}" is not a date; use YYYY-MM-DD\n` : `--from ${period.from} is after --to ${period.to}\n`);
    return io.exitCode(1);
  }
  const { from, to } = period;
  if (opts.by && !(LEDGER_GROUPS as readonly string[]).includes(opts.by)) {
    io.err(`--by: must be one of ${LEDGER_GROUPS.join(", ")}\n`);
    return io.exitCode(1);
  }
  if (opts.json && opts.csv) {
    io.err("--json and --csv: choose one\n");
    return io.exitCode(1);
  }
  const ledger = await computeLedger(db, { from, to, by: opts.by as LedgerGroup | undefined, now, timeZone });
  if (opts.json) return io.out(`${JSON.stringify(ledger, null, 2)}\n`);
  // Units by name (the id in brackets), so a leader reads the table without the units file.
  const units = ledger.by === "unit" ? new Map((await db.unit.findMany({ select: { id: true, name: true } })).map((u) => [u.id, `${u.name} (${u.id})`])) : null;
  const label = (r: LedgerRow) => (r.key === null ? "-" : units?.get(r.key) ?? r.key);
  const lines = [...ledger.rows, ledger.total];
  const cell = (r: LedgerRow, k: keyof LedgerRow) => (k === "key" ? label(r) : k.endsWith("Rate") ? percent(r[k] as number | null) : String(r[k]));
  if (opts.csv) {
    // With a byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
    return io.out(stringify([COLUMNS.map(([k]) => k), ...lines.map((r) => COLUMNS.map(([k]) => cell(r, k)))], { bom: true }));
  }
  io.out(`Ledger (三知一账) ${from} – ${to}${ledger.by ? `, by ${ledger.by}` : ""}; rates in %. Definitions: README "Ledger".\n`);
  const head = COLUMNS.map(([, h]) => h);
  const body = lines.map((r) => COLUMNS.map(([k]) => cell(r, k)));
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...body.map((b) => displayWidth(b[i]!))));
  for (const line of [head, ...body]) io.out(`${line.map((c, i) => c + " ".repeat(widths[i]! - displayWidth(c))).join("  ").trimEnd()}\n`);
}
