/**
 * `npm run bench:nlu`: our classifier beside node-nlp's NlpManager (defaults) and natural's
 * BayesClassifier (on Intl.Segmenter words), trained and scored on the same folds in one run.
 * Data: our own corpus in intents/ (categories only, zh-CN + en), k-fold cross-validation
 * (default 5 folds, `--folds N`), plus the held-out intents/eval set scored by a model trained
 * on the whole corpus. Prints macro-F1, accuracy, training seconds and median ms per message,
 * and ratios against ours. `--json` prints the numbers as JSON.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { PROJECT_ROOT } from "../src/db/database.js";
import { isCategory } from "../src/domain/index.js";
import { TextClassifier, evaluate, loadCorpus, loadEvalSet, normalizeText, type EvalReport, type Example } from "../src/nlu/index.js";

process.env.DOTENV_CONFIG_QUIET = "true";
const { NlpManager } = (await import("node-nlp")) as unknown as { NlpManager: new (o: object) => NlpManagerLike };
const natural = (await import("natural")) as unknown as { default?: NaturalLike } & NaturalLike;
const { BayesClassifier } = natural.default ?? natural;

interface NlpManagerLike {
  addDocument(locale: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(locale: string, text: string): Promise<{ intent: string }>;
}
interface NaturalLike {
  BayesClassifier: new () => { addDocument(tokens: string[], label: string): void; train(): void; classify(tokens: string[]): string };
}

type Predictor = (text: string) => Promise<string> | string;
interface Contender {
  name: string;
  train(examples: Example[]): Promise<Predictor>;
}

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const words = (t: string) => [...segmenter.segment(t.toLowerCase())].filter((s) => s.isWordLike).map((s) => s.segment);
const isZh = (t: string) => /\p{Script=Han}/u.test(t);

const contenders: Contender[] = [
  {
    name: "ours (TF-IDF words+char n-grams, logistic regression)",
    async train(examples) {
      const clf = TextClassifier.train(examples);
      return (text) => clf.classify(normalizeText(text))[0]!.label;
    },
  },
  {
    name: "node-nlp NlpManager (defaults)",
    async train(examples) {
      const manager = new NlpManager({ languages: ["zh", "en"], forceNER: false, nlu: { log: false }, autoSave: false });
      for (const e of examples) manager.addDocument(isZh(e.text) ? "zh" : "en", e.text, e.label);
      await manager.train();
      return async (text) => {
        const r = await manager.process(isZh(text) ? "zh" : "en", text);
        return r.intent === "None" ? "other" : r.intent;
      };
    },
  },
  {
    name: "natural BayesClassifier (Intl.Segmenter words)",
    async train(examples) {
      const clf = new BayesClassifier();
      for (const e of examples) clf.addDocument(words(e.text), e.label);
      clf.train();
      return (text) => clf.classify(words(text));
    },
  },
];

async function score(predict: Predictor, test: Example[], trainSeconds: number): Promise<EvalReport> {
  // Resolve predictions first (node-nlp is async), then time the synchronous replay fairly.
  const answers = new Map<string, string>();
  const times: number[] = [];
  for (const e of test) {
    const t0 = performance.now();
    answers.set(e.text, await predict(e.text));
    times.push(performance.now() - t0);
  }
  const report = evaluate((t) => answers.get(t)!, test, trainSeconds);
  times.sort((a, b) => a - b);
  return { ...report, msPerMessageMedian: times[Math.floor(times.length / 2)]!, msPerMessageP99: times[Math.ceil(times.length * 0.99) - 1]! };
}

const args = process.argv.slice(2);
const folds = Number(args[args.indexOf("--folds") + 1]) || 5;
const json = args.includes("--json");
const corpus = loadCorpus(join(PROJECT_ROOT, "intents")).filter((e) => isCategory(e.label));
const held = loadEvalSet(join(PROJECT_ROOT, "intents"));

// Stable shuffle, then fold i = every folds-th example.
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const shuffled = corpus.map((e) => ({ e, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.e);

const results: Record<string, { cvMacroF1: number; cvAccuracy: number; trainSeconds: number; msPerMessageMedian: number; heldOutMacroF1: number }> = {};
for (const c of contenders) {
  let f1 = 0, acc = 0, secs = 0, ms = 0;
  for (let k = 0; k < folds; k++) {
    const train = shuffled.filter((_, i) => i % folds !== k);
    const test = shuffled.filter((_, i) => i % folds === k);
    const t0 = performance.now();
    const predict = await c.train(train);
    const trainSeconds = (performance.now() - t0) / 1000;
    const r = await score(predict, test, trainSeconds);
    f1 += r.macroF1 / folds;
    acc += r.accuracy / folds;
    secs += trainSeconds / folds;
    ms += r.msPerMessageMedian / folds;
    if (!json) process.stderr.write(`${c.name}: fold ${k + 1}/${folds} macro-F1 ${r.macroF1.toFixed(3)} (${trainSeconds.toFixed(1)} s)\n`);
  }
  const full = await c.train(shuffled);
  const heldOut = await score(full, held, 0);
  results[c.name] = { cvMacroF1: f1, cvAccuracy: acc, trainSeconds: secs, msPerMessageMedian: ms, heldOutMacroF1: heldOut.macroF1 };
}

const ours = results[contenders[0]!.name]!;
if (json) {
  process.stdout.write(`${JSON.stringify({ data: { source: "intents/ (own corpus)", examples: corpus.length, folds, heldOut: held.length }, results }, null, 2)}\n`);
} else {
  process.stdout.write(`\nData: intents/ (own corpus, ${corpus.length} category examples), ${folds}-fold cross-validation; held-out: intents/eval (${held.length})\n\n`);
  process.stdout.write(`${"model".padEnd(54)} ${"CV macro-F1".padStart(11)} ${"vs ours".padStart(8)} ${"held-out F1".padStart(11)} ${"train s".padStart(8)} ${"ms/msg".padStart(7)}\n`);
  for (const [name, r] of Object.entries(results)) {
    process.stdout.write(`${name.padEnd(54)} ${r.cvMacroF1.toFixed(3).padStart(11)} ${(r.cvMacroF1 / ours.cvMacroF1).toFixed(2).padStart(8)} ${r.heldOutMacroF1.toFixed(3).padStart(11)} ${r.trainSeconds.toFixed(1).padStart(8)} ${r.msPerMessageMedian.toFixed(3).padStart(7)}\n`);
  }
}
