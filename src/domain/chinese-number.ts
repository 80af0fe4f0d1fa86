const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Parses a Chinese or Arabic number below 10^12: "三万五千" → 35000, "十二" → 12, "3.5万" → 35000.
 * Returns undefined for anything else. Vague amounts (几百, 上百) are read by {@link parseRoughNumber}.
 */
export function parseChineseNumber(s: string): number | undefined {
  const t = s.replace(/,/g, "");
  const mixed = /^(\d+(?:\.\d+)?)(万|亿)?$/.exec(t);
  if (mixed) return Number(mixed[1]) * (mixed[2] === "亿" ? 1e8 : mixed[2] === "万" ? 1e4 : 1);
  if (!/^[零〇一二两三四五六七八九十百千万亿]+$/.test(t)) return undefined;
  let total = 0, section = 0, digit = 0;
  for (const ch of t) {
    if (ch in CN_DIGIT) digit = CN_DIGIT[ch]!;
    else if (ch in CN_UNIT) {
      section += (digit || 1) * CN_UNIT[ch]!;
      digit = 0;
    } else if (ch === "万" || ch === "亿") {
      total = (total + section + digit) * (ch === "万" ? 1e4 : 1e8);
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

/**
 * Parses an exact or vague amount: the exact forms of {@link parseChineseNumber}, and 几百 / 好几百 /
 * 数百 → 300, 上百 → 100, 十几 → 13, 两万多 → 20000 (the lower bound; "几" is read as 3). Returns
 * `{ value, approximate }`, or undefined when `s` is not a number.
 */
export function parseRoughNumber(s: string): { value: number; approximate: boolean } | undefined {
  let t = s.replace(/,/g, "").replace(/^(?:好|大约|约|差不多|将近|近)/, "");
  let approximate = t !== s.replace(/,/g, "");
  if (/^上[百千万]/.test(t)) { t = t.replace(/^上/, "一"); approximate = true; }
  if (/多$|余$|来$/.test(t)) { t = t.slice(0, -1); approximate = true; }
  if (/[几数]/.test(t)) { t = t.replace(/^[几数]/, "三").replace(/[几数]/g, "三"); approximate = true; }
  const value = parseChineseNumber(t);
  return value === undefined || !Number.isFinite(value) ? undefined : { value, approximate };
}
