import { classifyTriage, type Triage, type TriageKind } from "./classify.js";

export const TRIAGE_KINDS: readonly TriageKind[] = [
  "emergency",
  "self_harm",
  "threat",
  "abuse",
  "not_petition",
  "other_procedure",
  "status",
  "petition",
];

export interface TriageRow {
  text: string;
  kind: TriageKind;
  subtype?: string;
  call?: number;
}

export interface KindScore {
  precision: number;
  recall: number;
  support: number;
}

export interface TriageEvaluation {
  rows: number;
  perKind: Record<TriageKind, KindScore>;
  /** emergency + self_harm together as "danger": recall */
  emergencyRecall: number;
  emergencyPrecision: number;
  /** among danger rows with a call, the fraction whose call matches */
  callAccuracy: number;
  errors: Array<{ text: string; expected: string; got: string }>;
}

const isDanger = (k: TriageKind): boolean => k === "emergency" || k === "self_harm";
/** An empty denominator scores 1: nothing to find, nothing wrongly found. */
const ratio = (num: number, den: number): number => (den === 0 ? 1 : num / den);

export function evaluateTriage(rows: TriageRow[], classify: (text: string) => Triage = classifyTriage): TriageEvaluation {
  const tp = new Map<TriageKind, number>();
  const predicted = new Map<TriageKind, number>();
  const support = new Map<TriageKind, number>();
  let dangerTp = 0;
  let dangerPred = 0;
  let dangerSupport = 0;
  let callRows = 0;
  let callOk = 0;
  const errors: TriageEvaluation["errors"] = [];
  for (const row of rows) {
    const got = classify(row.text);
    support.set(row.kind, (support.get(row.kind) ?? 0) + 1);
    predicted.set(got.kind, (predicted.get(got.kind) ?? 0) + 1);
    if (got.kind === row.kind) tp.set(row.kind, (tp.get(row.kind) ?? 0) + 1);
    if (isDanger(row.kind)) dangerSupport++;
    if (isDanger(got.kind)) dangerPred++;
    if (isDanger(row.kind) && isDanger(got.kind)) dangerTp++;
    let callWrong = false;
    if (isDanger(row.kind) && row.call !== undefined) {
      callRows++;
      if (got.call === row.call) callOk++;
      else callWrong = true;
    }
    if (got.kind !== row.kind || callWrong) {
      const show = (k: string, s?: string, c?: number) => k + (s ? `/${s}` : "") + (c ? ` ${c}` : "");
      errors.push({ text: row.text, expected: show(row.kind, row.subtype, row.call), got: show(got.kind, got.subtype, got.call) });
    }
  }
  const perKind = {} as Record<TriageKind, KindScore>;
  for (const k of TRIAGE_KINDS) {
    perKind[k] = {
      precision: ratio(tp.get(k) ?? 0, predicted.get(k) ?? 0),
      recall: ratio(tp.get(k) ?? 0, support.get(k) ?? 0),
      support: support.get(k) ?? 0,
    };
  }
  return {
    rows: rows.length,
    perKind,
    emergencyRecall: ratio(dangerTp, dangerSupport),
    emergencyPrecision: ratio(dangerTp, dangerPred),
    callAccuracy: ratio(callOk, callRows),
    errors,
  };
}

export function formatTriageReport(r: TriageEvaluation): string {
  const f = (x: number) => x.toFixed(3);
  const lines: string[] = [];
  lines.push(`rows ${r.rows}`);
  lines.push(`${"kind".padEnd(16)} ${"precision".padStart(9)} ${"recall".padStart(7)} ${"support".padStart(7)}`);
  for (const k of TRIAGE_KINDS) {
    const s = r.perKind[k];
    lines.push(`${k.padEnd(16)} ${f(s.precision).padStart(9)} ${f(s.recall).padStart(7)} ${String(s.support).padStart(7)}`);
  }
  lines.push(`danger (emergency+self_harm) recall ${f(r.emergencyRecall)} precision ${f(r.emergencyPrecision)}`);
  lines.push(`call accuracy ${f(r.callAccuracy)}`);
  lines.push(`errors ${r.errors.length}`);
  for (const e of r.errors) lines.push(`  expected ${e.expected.padEnd(28)} got ${e.got.padEnd(28)} ${e.text.slice(0, 80)}`);
  return lines.join("\n");
}
