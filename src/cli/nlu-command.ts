import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import cliProgress from "cli-progress";
import { Nlu, TextClassifier, corpusHash, evaluate, loadCorpus, loadEvalSet, parseJsonl, type EvalReport } from "../nlu/index.js";
import type { CliIo } from "./cases-command.js";

/** Where the shipped model and its corpus live. */
export interface NluPaths {
  intentsDir: string;
  modelPath: string;
}

/**
 * `petition-bot nlu train`: trains the shipped model from intents/ (with a progress bar on a
 * terminal), calibrates its confidences and writes the model file. Run by `npm install`.
 */
export function nluTrain(paths: NluPaths, io: CliIo, opts: { quiet?: boolean } = {}): void {
  const corpus = loadCorpus(paths.intentsDir);
  const bar = opts.quiet || !process.stderr.isTTY ? null : new cliProgress.SingleBar({ format: "training |{bar}| {value}/{total} epochs", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  const t0 = performance.now();
  let started = false;
  const nlu = Nlu.train(corpus, {
    calibrationFolds: 5,
    onProgress: (done, total) => {
      if (!bar) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  bar?.stop();
  nlu.save(paths.modelPath, corpusHash(corpus));
  const seconds = (performance.now() - t0) / 1000;
  if (!opts.quiet) io.out(`trained on ${corpus.length} examples in ${seconds.toFixed(1)} s (temperature ${nlu.classifier.temperature}); wrote ${paths.modelPath}\n`);
}

/**
 * `petition-bot nlu eval [--train FILE] [--test FILE] [--json]`. FILEs are JSON Lines of
 * `{"text","label"}`. With --train a fresh model of the same design is trained on it (any label
 * set); without it the shipped model is scored. Without --test the held-out set in
 * intents/eval is used.
 */
export function nluEval(paths: NluPaths, opts: { train?: string; test?: string; json?: boolean }, io: CliIo): void {
  const read = (file: string) => parseJsonl(readFileSync(file, "utf8"), file);
  const test = opts.test ? read(opts.test) : loadEvalSet(paths.intentsDir);
  if (test.length === 0) {
    io.err(`no test examples: give --test FILE or add ${paths.intentsDir}/eval/*.tsv\n`);
    io.exitCode(1);
    return;
  }
  let report: EvalReport;
  if (opts.train) {
    const train = read(opts.train);
    const t0 = performance.now();
    const clf = TextClassifier.train(train);
    const seconds = (performance.now() - t0) / 1000;
    report = evaluate((text) => clf.classify(text)[0]!.label, test, seconds);
  } else {
    const nlu = Nlu.load(paths.intentsDir, paths.modelPath);
    report = evaluate((text) => nlu.understand(text).category, test, 0);
  }
  if (opts.json) {
    const { examples: _n, ...fields } = report;
    return io.out(`${JSON.stringify(fields, null, 2)}\n`);
  }
  io.out(`${report.examples} examples: macro-F1 ${report.macroF1.toFixed(3)}, accuracy ${report.accuracy.toFixed(3)}\n`);
  io.out(`training ${report.trainSeconds.toFixed(1)} s; per message median ${report.msPerMessageMedian.toFixed(3)} ms, p99 ${report.msPerMessageP99.toFixed(3)} ms\n\n`);
  const width = Math.max(8, ...Object.keys(report.perClass).map((l) => l.length));
  io.out(`${"label".padEnd(width)}  precision  recall  f1     support\n`);
  for (const [label, s] of Object.entries(report.perClass)) {
    io.out(`${label.padEnd(width)}  ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3)}  ${String(s.support).padStart(7)}\n`);
  }
}

/** `petition-bot nlu classify <text>`: the category, confidence, top 3 and intent. */
export function nluClassify(nlu: Nlu, text: string, opts: { json?: boolean }, io: CliIo): void {
  const u = nlu.understand(text);
  if (opts.json) return io.out(`${JSON.stringify(u)}\n`);
  io.out(`${u.intent ? `intent: ${u.intent}\n` : ""}category: ${u.category} (${u.confidence.toFixed(2)})\n`);
  for (const x of u.top3) io.out(`  ${x.category.padEnd(24)} ${x.score.toFixed(3)}\n`);
}
