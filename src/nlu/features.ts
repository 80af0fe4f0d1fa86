/**
 * Feature extraction for the classifier: words (ICU's Intl.Segmenter: dictionary-based for
 * Chinese, rules for English), optional word bigrams, and character n-grams — 1..N over Han runs and
 * 3-grams inside Latin words (robust to typos). Feature names are prefixed by kind:
 * `w:` word, `b:` word bigram, `c:` Han character n-gram, `l:` Latin character 3-gram.
 */

/** Which features to extract; stored with a model so inference uses the same. */
export interface FeatureOptions {
  /**
   * Chinese word segmenter. Only ICU (built into Node) for now: jieba (@node-rs/jieba) scored
   * the same on intents/ (5-fold macro-F1 0.779 vs 0.778) and was dropped as a dependency.
   */
  segmenter: "icu";
  /** Longest Han character n-gram (1–5). */
  charNgramMax: number;
  /** Add pairs of neighbouring words. */
  wordBigrams: boolean;
  /** Add character 3-grams of Latin words. */
  latinTrigrams: boolean;
}

/** The defaults, chosen by `npm run bench:nlu` and `nlu eval` on intents/ (see README). */
export const DEFAULT_FEATURES: FeatureOptions = { segmenter: "icu", charNgramMax: 3, wordBigrams: false, latinTrigrams: true };

const icu = new Intl.Segmenter("zh", { granularity: "word" });
const HAN_RUN = /\p{Script=Han}+/gu;
const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[a-z][a-z'-]*$/;
const STOP_EN = new Set(["the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "is", "are", "was", "were", "be", "it", "my", "i", "me", "we", "our", "for", "with", "this", "that", "there", "have", "has", "had", "do", "does", "did", "so", "but", "not", "no", "can", "you", "they", "he", "she", "by", "from", "as", "its", "been", "am"]);

function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

function words(lower: string): string[] {
  const out: string[] = [];
  for (const seg of icu.segment(lower)) if (seg.isWordLike) out.push(seg.segment);
  return out;
}

/** Extracts the feature names of `text` (already normalised), with repeats (term counts). */
export function extractFeatures(text: string, o: FeatureOptions = DEFAULT_FEATURES): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  const kept: string[] = [];
  for (const w of words(lower)) {
    if (HAN.test(w)) {
      if (w.length > 1) out.push(`w:${w}`);
      kept.push(w);
    } else if (LATIN_WORD.test(w)) {
      if (STOP_EN.has(w)) continue;
      const s = stem(w);
      out.push(`w:${s}`);
      kept.push(s);
      if (o.latinTrigrams) {
        const padded = `<${s}>`;
        for (let i = 0; i + 3 <= padded.length; i++) out.push(`l:${padded.slice(i, i + 3)}`);
      }
    } else if (/^\d+$/.test(w)) {
      out.push(w.length >= 5 ? "w:<num-long>" : "w:<num>");
    }
  }
  if (o.wordBigrams) for (let i = 0; i + 1 < kept.length; i++) out.push(`b:${kept[i]}_${kept[i + 1]}`);
  for (const run of lower.match(HAN_RUN) ?? []) {
    for (let n = 1; n <= o.charNgramMax; n++) {
      for (let i = 0; i + n <= run.length; i++) out.push(`c:${run.slice(i, i + n)}`);
    }
  }
  return out;
}
