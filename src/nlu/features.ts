/**
 * Feature extraction for the classifier: words from Intl.Segmenter (ICU dictionary for
 * Chinese, rules for English) plus character n-grams — 1–3 over Han runs, 3-grams inside
 * Latin words (robust to typos). Feature names are prefixed by kind: `w:`, `c:`, `l:`.
 */

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /^[a-z][a-z'-]*$/;
const STOP_EN = new Set(["the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "is", "are", "was", "were", "be", "it", "my", "i", "me", "we", "our", "for", "with", "this", "that", "there", "have", "has", "had", "do", "does", "did", "so", "but", "not", "no", "can", "you", "they", "he", "she", "by", "from", "as", "its", "been", "am"]);

function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Extracts the feature names of `text` (already normalised), with repeats (term counts). */
export function extractFeatures(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const seg of segmenter.segment(lower)) {
    if (!seg.isWordLike) continue;
    const w = seg.segment;
    if (/\p{Script=Han}/u.test(w)) {
      if (w.length > 1) out.push(`w:${w}`);
    } else if (LATIN_WORD.test(w)) {
      if (STOP_EN.has(w)) continue;
      const s = stem(w);
      out.push(`w:${s}`);
      const padded = `<${s}>`;
      for (let i = 0; i + 3 <= padded.length; i++) out.push(`l:${padded.slice(i, i + 3)}`);
    } else if (/^\d+$/.test(w)) {
      out.push(w.length >= 5 ? "w:<num-long>" : "w:<num>");
    }
  }
  for (const run of lower.match(HAN_RUN) ?? []) {
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= run.length; i++) out.push(`c:${run.slice(i, i + n)}`);
    }
  }
  return out;
}
