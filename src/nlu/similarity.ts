import { placeParts } from "../domain/index.js";
import { extractFeatures, type FeatureOptions } from "./features.js";
import { normalizeText } from "./text.js";

// Words and Han bigrams/trigrams, not single characters: single characters (路、村、厂) are shared
// by most complaints of one category and make different matters look alike.
const SIMILARITY_FEATURES: FeatureOptions = { segmenter: "icu", charNgramMax: 3, wordBigrams: false, latinTrigrams: true };

// Place names and phone-like numbers say nothing about whether two texts tell the same matter
// (place is compared on its own); drop them before comparing.
const PLACE_WORD = /[\p{Script=Han}]{1,8}?(?:镇|乡|街道|村|社区|小区)/gu;

function vector(text: string): Map<string, number> {
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
 * removed). Used with the category and the place to find repeat petitions and clusters; the
 * thresholds in {@link SIMILARITY_THRESHOLDS} were measured on intents/similarity/pairs.tsv
 * (`petition-bot nlu similarity`).
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
 * Similarity thresholds (cosine from {@link textSimilarity}) for two complaints of the same
 * category at the same place. `sameResident`: a resident's new complaint is the matter of one
 * of their earlier cases; `cluster`: several residents report one matter. Measured on
 * intents/similarity/pairs.tsv; see README "Repeat petitions" for precision and recall.
 */
export const SIMILARITY_THRESHOLDS = { sameResident: 0.3, cluster: 0.35 } as const;
