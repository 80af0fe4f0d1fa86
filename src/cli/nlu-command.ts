import { performance } from "node:perf_hooks";
import { CATEGORIES } from "../domain/index.js";
import { Nlu, loadCorpus, loadEvalSet, type Example } from "../nlu/index.js";
import type { CliIo } from "./cases-command.js";

/** Per-label precision, recall and F1 plus macro-F1 and accuracy. */
export interface EvalReport {
  examples: number;
  accuracy: number;
  macroF1: number;
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  trainMs: number;
  medianClassifyMs: number;
}

/** Scores `nlu` on labelled examples (categories only). */
export function evaluate(nlu: Nlu, examples: readonly Example[], trainMs: number): EvalReport {
  const tp = new Map<string, number>(), fp = new Map<string, number>(), fn = new Map<string, number>();
  const times: number[] = [];
  let correct = 0;
  for (const e of examples) {
    const t0 = performance.now();
    const got = nlu.understand(e.text).category;
    times.push(performance.now() - t0);
    if (got === e.label) {
      correct++;
      tp.set(got, (tp.get(got) ?? 0) + 1);
    } else {
      fp.set(got, (fp.get(got) ?? 0) + 1);
      fn.set(e.label, (fn.get(e.label) ?? 0) + 1);
    }
  }
  const perLabel: EvalReport["perLabel"] = {};
  for (const label of CATEGORIES) {
    const support = examples.filter((e) => e.label === label).length;
    if (support === 0) continue;
    const p = (tp.get(label) ?? 0) / ((tp.get(label) ?? 0) + (fp.get(label) ?? 0) || 1);
    const r = (tp.get(label) ?? 0) / support;
    perLabel[label] = { precision: round(p), recall: round(r), f1: round(p + r ? (2 * p * r) / (p + r) : 0), support };
  }
  const f1s = Object.values(perLabel).map((x) => x.f1);
  times.sort((a, b) => a - b);
  return {
    examples: examples.length, accuracy: round(correct / (examples.length || 1)), macroF1: round(f1s.reduce((a, b) => a + b, 0) / (f1s.length || 1)),
    perLabel, trainMs: Math.round(trainMs), medianClassifyMs: round(times[Math.floor(times.length / 2)] ?? 0, 4),
  };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** `petition-bot nlu eval`: trains on intents/ and scores the held-out intents/eval set. */
export function nluEval(intentsDir: string, opts: { json?: boolean }, io: CliIo): void {
  const t0 = performance.now();
  const nlu = Nlu.train(loadCorpus(intentsDir));
  const trainMs = performance.now() - t0;
  const all = loadEvalSet(intentsDir);
  if (all.length === 0) {
    io.err(`No evaluation set found in ${intentsDir}/eval\n`);
    io.exitCode(1);
    return;
  }
  const byLocale: Record<string, EvalReport> = {};
  for (const locale of [...new Set(all.map((e) => e.locale))]) byLocale[locale] = evaluate(nlu, all.filter((e) => e.locale === locale), trainMs);
  const overall = evaluate(nlu, all, trainMs);
  if (opts.json) return io.out(`${JSON.stringify({ overall, byLocale }, null, 2)}\n`);
  io.out(`Trained in ${overall.trainMs} ms; median classification ${overall.medianClassifyMs} ms\n`);
  for (const [locale, r] of [["all", overall] as const, ...Object.entries(byLocale)]) {
    io.out(`${locale.padEnd(6)} n=${r.examples}  accuracy ${r.accuracy.toFixed(3)}  macro-F1 ${r.macroF1.toFixed(3)}\n`);
  }
  io.out("\nper category (all):\n");
  for (const [label, s] of Object.entries(overall.perLabel)) {
    io.out(`  ${label.padEnd(24)} P ${s.precision.toFixed(2)}  R ${s.recall.toFixed(2)}  F1 ${s.f1.toFixed(2)}  n=${s.support}\n`);
  }
}

/** `petition-bot nlu classify <text>`: the category, confidence, top 3 and intent. */
export function nluClassify(nlu: Nlu, text: string, opts: { json?: boolean }, io: CliIo): void {
  const u = nlu.understand(text);
  if (opts.json) return io.out(`${JSON.stringify(u)}\n`);
  io.out(`${u.intent ? `intent: ${u.intent}\n` : ""}category: ${u.category} (${u.confidence.toFixed(2)})\n`);
  for (const x of u.top3) io.out(`  ${x.category.padEnd(24)} ${x.score.toFixed(3)}\n`);
}
