import { performance } from "node:perf_hooks";
import type { Example } from "./classifier.js";

/** Scores of one label. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * The result of scoring a classifier on labelled examples — the shape printed by
 * `petition-bot nlu eval --json`. Times are milliseconds per message (wall clock).
 */
export interface EvalReport {
  macroF1: number;
  accuracy: number;
  perClass: Record<string, ClassScores>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<string, Record<string, number>>;
  /** Training time in seconds (0 when a shipped model was used). */
  trainSeconds: number;
  msPerMessageMedian: number;
  msPerMessageP99: number;
  examples: number;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Scores `predict` on `examples`: macro-F1 over the gold labels present, accuracy, per-class
 * precision/recall/F1, the confusion matrix and per-message latency. Use for `nlu eval` and
 * the benchmark, with any label set.
 */
export function evaluate(predict: (text: string) => string, examples: readonly Example[], trainSeconds = 0): EvalReport {
  const confusion: Record<string, Record<string, number>> = {};
  const times: number[] = [];
  let correct = 0;
  for (const e of examples) {
    const t0 = performance.now();
    const got = predict(e.text);
    times.push(performance.now() - t0);
    if (got === e.label) correct++;
    const row = (confusion[e.label] ??= {});
    row[got] = (row[got] ?? 0) + 1;
  }
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const perClass: Record<string, ClassScores> = {};
  for (const label of labels) {
    const tp = confusion[label]?.[label] ?? 0;
    const support = Object.values(confusion[label] ?? {}).reduce((a, b) => a + b, 0);
    const predicted = Object.values(confusion).reduce((a, row) => a + (row[label] ?? 0), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    perClass[label] = { precision: round(precision), recall: round(recall), f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0), support };
  }
  const f1s = Object.values(perClass).map((c) => c.f1);
  times.sort((a, b) => a - b);
  return {
    macroF1: round(f1s.reduce((a, b) => a + b, 0) / (f1s.length || 1)),
    accuracy: round(correct / (examples.length || 1)),
    perClass,
    confusion,
    trainSeconds: round(trainSeconds, 3),
    msPerMessageMedian: round(percentile(times, 50), 4),
    msPerMessageP99: round(percentile(times, 99), 4),
    examples: examples.length,
  };
}

/** Reads JSON Lines of `{"text","label"}`; throws naming the first bad line. */
export function parseJsonl(content: string, source: string): Example[] {
  const out: Example[] = [];
  content.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON`);
    }
    const o = v as { text?: unknown; label?: unknown };
    if (typeof o.text !== "string" || (typeof o.label !== "string" && typeof o.label !== "number")) {
      throw new Error(`${source}:${i + 1}: needs a string "text" and a "label"`);
    }
    out.push({ text: o.text, label: String(o.label) });
  });
  if (out.length === 0) throw new Error(`${source}: no examples`);
  return out;
}
