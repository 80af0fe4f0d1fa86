import { foldDigits } from "./fold.js";
import { findPersonalData, PERSONAL_DATA_KINDS, type PersonalDataKind, type Span } from "./find-personal-data.js";
import { redactPersonalData } from "./redact.js";

/** One labelled text: `pii` lists each piece of personal data as the exact substring, in order; empty for none. */
export interface RedactorRow {
  text: string;
  pii: Array<{ kind: PersonalDataKind; value: string }>;
}

/** Span-level scores of one kind (or of all kinds together). */
export interface RedactorScore {
  /** predicted spans that matched an expected one / all predicted spans; 1 when nothing was predicted */
  precision: number;
  /** expected values that were matched / all expected values; 1 when none was expected */
  recall: number;
  /** expected values of this kind */
  support: number;
  /** spans the redactor found of this kind */
  predicted: number;
}

/** What `evaluateRedactor` measured on a table. */
export interface RedactorEvaluation {
  rows: number;
  /** rows without any personal data (look-alikes) */
  emptyRows: number;
  overall: RedactorScore;
  perKind: Record<PersonalDataKind, RedactorScore>;
  /** expected values that were not matched, and predicted spans that matched nothing */
  errors: Array<{ text: string; missed: string[]; spurious: string[] }>;
  /** masked outputs that still show more than 4 consecutive digits of an expected value */
  leaks: Array<{ text: string; masked: string; value: string }>;
}

/** How much longer than the expected value a predicted span may be and still count (a label, a separator). */
export const SPAN_SLACK = 6;

/**
 * Scores `find` on labelled rows, span by span. Each expected value is located in its row (the
 * n-th listing of a value is its n-th occurrence). A predicted span is correct when it has the
 * same kind as an expected value, covers all of it, and is at most `SPAN_SLACK` characters longer;
 * each expected value is matched by at most one predicted span and each predicted span matches at
 * most one value. So overlaps count like this: a span that covers only part of a value, or the
 * right text with the wrong kind, is one false positive and one miss; a span that swallows two
 * values matches one of them and misses the other; a span far longer than its value is a false
 * positive and a miss. Precision and recall are micro-averaged over all rows (per kind and overall).
 * @throws Error naming the row when a listed value is not in its text.
 */
export function evaluateRedactor(
  rows: readonly RedactorRow[],
  find: (text: string) => Span[] = findPersonalData,
): RedactorEvaluation {
  const support = counter();
  const predicted = counter();
  const matchedExp = counter();
  const matchedPred = counter();
  const errors: RedactorEvaluation["errors"] = [];
  const leaks: RedactorEvaluation["leaks"] = [];
  for (const row of rows) {
    const expected = locate(row);
    const got = find(row.text);
    const used = new Set<number>();
    const missed: string[] = [];
    for (const e of expected) {
      support.add(e.kind);
      const covers = (p: Span) =>
        p.start <= e.start && p.end >= e.end && p.end - p.start - (e.end - e.start) <= SPAN_SLACK;
      const i = got.findIndex((p, j) => !used.has(j) && p.kind === e.kind && covers(p));
      if (i >= 0) {
        used.add(i);
        matchedExp.add(e.kind);
      } else missed.push(`${e.kind}:${row.text.slice(e.start, e.end)}`);
    }
    const spurious: string[] = [];
    got.forEach((p, j) => {
      predicted.add(p.kind);
      if (used.has(j)) matchedPred.add(p.kind);
      else spurious.push(`${p.kind}:${row.text.slice(p.start, p.end)}`);
    });
    if (missed.length || spurious.length) errors.push({ text: row.text, missed, spurious });
    const masked = redactPersonalData(row.text);
    for (const e of row.pii) if (leaksDigits(masked, e.value)) leaks.push({ text: row.text, masked, value: e.value });
  }
  const score = (k?: PersonalDataKind): RedactorScore => ({
    precision: ratio(matchedPred.get(k), predicted.get(k)),
    recall: ratio(matchedExp.get(k), support.get(k)),
    support: support.get(k),
    predicted: predicted.get(k),
  });
  const perKind = Object.fromEntries(PERSONAL_DATA_KINDS.map((k) => [k, score(k)]));
  const emptyRows = rows.filter((r) => r.pii.length === 0).length;
  const byKind = perKind as Record<PersonalDataKind, RedactorScore>;
  return { rows: rows.length, emptyRows, overall: score(), perKind: byKind, errors, leaks };
}

/** A plain-text report of an evaluation: one line per kind, then every error. */
export function formatRedactorReport(r: RedactorEvaluation): string {
  const f = (x: number) => x.toFixed(3).padStart(9);
  const n = (x: number, w: number) => String(x).padStart(w);
  const line = (name: string, s: RedactorScore) =>
    `${name.padEnd(10)} ${f(s.precision)} ${f(s.recall)} ${n(s.support, 8)} ${n(s.predicted, 9)}`;
  const lines = [`rows ${r.rows} (look-alike rows ${r.emptyRows})`];
  lines.push(`${"kind".padEnd(10)} precision    recall  support predicted`);
  for (const k of PERSONAL_DATA_KINDS) lines.push(line(k, r.perKind[k]));
  lines.push(line("overall", r.overall), `errors ${r.errors.length}, leaks ${r.leaks.length}`);
  for (const e of r.errors) {
    lines.push(`  missed [${e.missed.join(", ")}] spurious [${e.spurious.join(", ")}] ${e.text.slice(0, 90)}`);
  }
  for (const l of r.leaks) lines.push(`  leak ${l.value} in ${l.masked.slice(0, 90)}`);
  return lines.join("\n");
}

function locate(row: RedactorRow): Array<Span> {
  const seen = new Map<string, number>();
  return row.pii.map(({ kind, value }) => {
    const start = row.text.indexOf(value, seen.get(value) ?? 0);
    if (start < 0 || value === "") throw new Error(`value "${value}" is not in the row "${row.text}"`);
    seen.set(value, start + value.length);
    return { kind, start, end: start + value.length };
  });
}

/** Whether the masked text shows more than 4 consecutive digits of `value` (separators between digits ignored). */
function leaksDigits(masked: string, value: string): boolean {
  const digits = foldDigits(value).replace(/\D/g, "");
  if (digits.length < 5) return false;
  const runs = (foldDigits(masked).match(/\d(?:[ \-·.—–・•]{0,2}\d)*/g) ?? []).map((r) => r.replace(/\D/g, ""));
  for (let i = 0; i + 5 <= digits.length; i++) {
    const piece = digits.slice(i, i + 5);
    if (runs.some((r) => r.includes(piece))) return true;
  }
  return false;
}

function counter() {
  const all = new Map<PersonalDataKind | "*", number>();
  return {
    add(k: PersonalDataKind) {
      all.set(k, (all.get(k) ?? 0) + 1);
      all.set("*", (all.get("*") ?? 0) + 1);
    },
    get: (k?: PersonalDataKind) => all.get(k ?? "*") ?? 0,
  };
}

const ratio = (num: number, den: number): number => (den === 0 ? 1 : num / den);
