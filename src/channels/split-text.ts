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
    if (cut < limit / 2) cut = limit;
    // Do not split a surrogate pair (emoji, rare Han characters).
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? "")) cut--;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]+/, "");
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}
