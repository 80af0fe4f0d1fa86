/**
 * `npm run bench:similarity`: how well our text similarity tells "the same matter" from "another
 * matter", measured on intents/similarity/pairs.tsv (200 labelled pairs, same category and place;
 * the different ones written to share many words) and on ordinary pairs of different complaints
 * of one category (neighbouring lines of intents/<locale>/categories). A character-bigram
 * Jaccard baseline is scored in the same run. Prints AUC (0.5 = chance) and, per threshold, recall
 * and false-positive rates; `--json` prints them as JSON. The chosen thresholds are in
 * src/nlu/similarity.ts (SIMILARITY_THRESHOLDS) and README "Repeat petitions".
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/db/database.js";
import { normalizeText } from "../src/nlu/index.js";
import { SIMILARITY_THRESHOLDS, parsePairs, scoreSimilarity, textSimilarity } from "../src/nlu/similarity.js";

const pairs = parsePairs(readFileSync(join(PROJECT_ROOT, "intents", "similarity", "pairs.tsv"), "utf8"));
const ordinary: Array<[string, string]> = [];
for (const locale of ["zh-CN", "en"]) {
  const dir = join(PROJECT_ROOT, "intents", locale, "categories");
  for (const f of readdirSync(dir)) {
    const lines = readFileSync(join(dir, f), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    for (let i = 0; i + 1 < lines.length; i += 2) ordinary.push([lines[i]!, lines[i + 1]!]);
  }
}
const bigrams = (s: string) => {
  const t = normalizeText(s).toLowerCase().replace(/\s+/g, "");
  const out = new Set<string>();
  for (let i = 0; i + 2 <= t.length; i++) out.add(t.slice(i, i + 2));
  return out;
};
const jaccard = (a: string, b: string) => {
  const x = bigrams(a), y = bigrams(b);
  let inter = 0;
  for (const g of x) if (y.has(g)) inter++;
  return x.size + y.size - inter === 0 ? 0 : inter / (x.size + y.size - inter);
};
const thresholds = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5];
const ours = scoreSimilarity(textSimilarity, pairs, ordinary, thresholds);
const baseline = scoreSimilarity(jaccard, pairs, ordinary, thresholds);
if (process.argv.includes("--json")) {
  process.stdout.write(`${JSON.stringify({ chosen: SIMILARITY_THRESHOLDS, ours, baseline }, null, 2)}\n`);
} else {
  const f = (x: number) => x.toFixed(3);
  process.stdout.write(`pairs: ${ours.pairs} labelled (intents/similarity/pairs.tsv), ${ours.ordinaryPairs} ordinary same-category pairs\n`);
  process.stdout.write(`AUC vs hard pairs:     ours ${f(ours.aucHard)}, char-bigram Jaccard ${f(baseline.aucHard)}\n`);
  process.stdout.write(`AUC vs ordinary pairs: ours ${f(ours.aucOrdinary)}, char-bigram Jaccard ${f(baseline.aucOrdinary)} (ratio ${f(ours.aucOrdinary / baseline.aucOrdinary)})\n`);
  process.stdout.write("threshold  recall  FP(hard)  FP(ordinary)\n");
  for (const s of ours.thresholds) process.stdout.write(`${s.threshold.toFixed(2).padEnd(9)}  ${f(s.recall)}   ${f(s.hardFalsePositiveRate)}     ${f(s.ordinaryFalsePositiveRate)}${s.threshold === SIMILARITY_THRESHOLDS.cluster ? "   ← cluster threshold" : ""}\n`);
}
