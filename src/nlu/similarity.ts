import { placeParts } from "../domain/index.js";
import { extractFeatures, type FeatureOptions } from "./features.js";
import { normalizeText } from "./text.js";

// Words and Han bigrams/trigrams, not single characters: single characters (路、村、厂) are shared
// by most complaints of one category and make different matters look alike.
const SIMILARITY_FEATURES: FeatureOptions = { segmenter: "icu", charNgramMax: 3, wordBigrams: false, latinTrigrams: true };

// Place names and phone-like numbers say nothing about whether two texts tell the same matter
// (place is compared on its own); drop them before comparing.
const PLACE_WORD = /[\p{Script=Han}]{1,8}?(?:镇|乡|街道|村|社区|小区)/gu;

// Vectors of recently compared texts (each filing compares with up to 50 open cases): segmenting
// is the expensive part, so a text is segmented once while it stays among the recent ones.
const RECENT = new Map<string, Map<string, number>>();
const RECENT_MAX = 5000;

function vector(text: string): Map<string, number> {
  const hit = RECENT.get(text);
  if (hit) return hit;
  const v = computeVector(text);
  if (RECENT.size >= RECENT_MAX) RECENT.delete(RECENT.keys().next().value!);
  RECENT.set(text, v);
  return v;
}

function computeVector(text: string): Map<string, number> {
  const t = normalizeText(text).replace(PLACE_WORD, " ");
  const v = new Map<string, number>();
  for (const f of extractFeatures(t, SIMILARITY_FEATURES)) {
    if (f.startsWith("c:") && f.length === 3) continue; // Han unigram
    if (f === "w:<num>" || f === "w:<num-long>") continue;
    // Damped term frequency: a word said five times is not five times the evidence.
    v.set(f, (v.get(f) ?? 0) + 1);
  }
  for (const [k, n] of v) v.set(k, 1 + Math.log(n));
  return v;
}

/**
 * How alike two complaint texts are, 0–1: the cosine of their damped term-frequency vectors of
 * words, Han character bigrams/trigrams and Latin character trigrams (place names and numbers
 * removed). Used with the category and the place to find clusters and to order a resident's
 * earlier cases; measured by `npm run bench:similarity` (see {@link SIMILARITY_THRESHOLDS}).
 */
export function textSimilarity(a: string, b: string): number {
  const va = vector(a);
  const vb = vector(b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of va) {
    na += x * x;
    const y = vb.get(k);
    if (y !== undefined) dot += x * y;
  }
  for (const y of vb.values()) nb += y * y;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * Whether two places may be the same spot: the same village (村/社区), else the same town
 * when neither names a village, else one place text containing the other. Unknown (either
 * missing) counts as "may be" — the text then has to carry the decision.
 */
export function samePlace(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return true;
  const pa = placeParts(a);
  const pb = placeParts(b);
  if (pa.village && pb.village) return pa.village === pb.village;
  if (pa.town && pb.town && (!pa.village || !pb.village)) return pa.town === pb.town;
  const na = a.replace(/\s+/g, "");
  const nb = b.replace(/\s+/g, "");
  return na.includes(nb) || nb.includes(na);
}

/**
 * Similarity threshold (cosine from {@link textSimilarity}) above which another resident's open
 * complaint of the same category at the same place is grouped into one cluster (`cluster`).
 * Measured by `npm run bench:similarity`: at 0.25, 31 % of same-matter pairs and 1.8 % of ordinary
 * different complaints of one category reach it — but so do 40 % of the hard pairs (same place,
 * same object, another problem), where words cannot decide (AUC below 0.5). So a cluster is a
 * hint the unit sees, not a merge; and a resident's own earlier case is never decided by text:
 * the form asks them (CaseDesk.priorMatter).
 */
export const SIMILARITY_THRESHOLDS = { cluster: 0.25 } as const;

/** One labelled pair of intents/similarity/pairs.tsv. */
export interface SimilarityPair {
  same: boolean;
  category: string;
  locale: string;
  a: string;
  b: string;
}

/** Reads intents/similarity/pairs.tsv (`label\tcategory\tlocale\ttext_a\ttext_b`, header first). */
export function parsePairs(tsv: string): SimilarityPair[] {
  return tsv.split("\n").slice(1).filter((l) => l.trim()).map((l) => {
    const [label, category, locale, a, b] = l.split("\t");
    return { same: label === "same", category: category ?? "", locale: locale ?? "", a: a ?? "", b: b ?? "" };
  });
}

/** How a similarity measure separates same-matter pairs from others, at one threshold. */
export interface ThresholdScore {
  threshold: number;
  /** Share of same-matter pairs at or above the threshold. */
  recall: number;
  /** Share of the hard different-matter pairs (same category and place, many shared words) at or above it. */
  hardFalsePositiveRate: number;
  /** Share of ordinary different complaints of one category at or above it. */
  ordinaryFalsePositiveRate: number;
}

/**
 * Scores a similarity measure: the area under the ROC curve (0.5 = chance) against the hard
 * pairs and against ordinary same-category pairs, and recall / false-positive rates at each
 * threshold. `ordinary` are pairs of different complaints of one category (e.g. neighbouring
 * lines of intents/<locale>/categories/*.txt).
 */
export function scoreSimilarity(measure: (a: string, b: string) => number, pairs: readonly SimilarityPair[], ordinary: ReadonlyArray<[string, string]>, thresholds: readonly number[]) {
  const pos = pairs.filter((p) => p.same).map((p) => measure(p.a, p.b));
  const hard = pairs.filter((p) => !p.same).map((p) => measure(p.a, p.b));
  const easy = ordinary.map(([a, b]) => measure(a, b));
  const auc = (neg: number[]) => {
    let s = 0;
    for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
    return pos.length && neg.length ? s / (pos.length * neg.length) : NaN;
  };
  const share = (xs: number[], t: number) => (xs.length ? xs.filter((x) => x >= t).length / xs.length : NaN);
  return {
    aucHard: auc(hard), aucOrdinary: auc(easy), pairs: pairs.length, ordinaryPairs: easy.length,
    thresholds: thresholds.map((t): ThresholdScore => ({ threshold: t, recall: share(pos, t), hardFalsePositiveRate: share(hard, t), ordinaryFalsePositiveRate: share(easy, t) })),
  };
}
