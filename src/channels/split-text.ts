/**
 * Splits `text` into pieces of at most `limit` characters, preferring a line break, then a
 * sentence end (。！？.!?；), then a space; only a single unbroken run is cut hard. Pieces keep
 * their order and together hold every character except the whitespace at a cut. Used by every
 * channel with a message-length limit.
 */
export function splitText(text: string, limit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = window.lastIndexOf("\n");
    if (cut < limit / 2) {
      const sentence = Math.max(...["。", "！", "？", ". ", "! ", "? ", "；"].map((p) => window.lastIndexOf(p)));
      if (sentence >= limit / 2) cut = sentence + 1;
    }
    if (cut < limit / 2) {
      const space = window.lastIndexOf(" ");
      if (space >= limit / 2) cut = space;
    }
    if (cut < limit / 2) cut = graphemeBoundary(rest, limit);
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, "");
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The last grapheme boundary at or before `limit`, so emoji (👨‍👩‍👧, flags) are never cut. */
function graphemeBoundary(text: string, limit: number): number {
  let last = 0;
  for (const g of graphemes.segment(text.slice(0, limit + 16))) {
    const end = g.index + g.segment.length;
    if (end > limit) break;
    last = end;
  }
  return last > 0 ? last : limit;
}
