/**
 * Length-preserving text folds for the personal-data rules. Every fold maps one UTF-16 unit to
 * one UTF-16 unit, so an offset found in a folded string is an offset in the original text.
 */

const NUMERALS: Readonly<Record<string, string>> = {
  零: "0", 〇: "0", 一: "1", 幺: "1", 二: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9",
};

/** Full-width ASCII (Ａ, １, ＠, ：) to ASCII and the ideographic space to a space; nothing else changes. */
export function foldWidth(text: string): string {
  if (!/[\uff01-\uff5e\u3000]/.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else out += text[i];
  }
  return out;
}

/** `foldWidth` plus the Chinese digit numerals (零〇一幺二…九) to ASCII digits, for finding numbers. */
export function foldDigits(text: string): string {
  return foldWidth(text).replace(/[零〇一幺二三四五六七八九]/g, (ch) => NUMERALS[ch]!);
}
