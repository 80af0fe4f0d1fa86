import { addCalendarDays, dayOfWeek, toLocalDate } from "../domain/local-date.js";

/**
 * Entity extraction from free text: phone numbers, ID-card numbers, dates (absolute and
 * relative, Chinese and English), money amounts and places. Pure; "now" and the time zone
 * are passed in. Feeds the guided form so values already given are not asked again.
 */

/** A date found in text: the local date and how precise the resident was. */
export interface FoundDate {
  text: string;
  /** YYYY-MM-DD (first day of the month/year when less precise). */
  date: string;
  precision: "day" | "month" | "year";
}

/** Everything extracted from one message; absent fields were not found. */
export interface Entities {
  /** Digits only, with a leading + for international numbers. */
  phone?: string;
  idCard?: string;
  date?: FoundDate;
  /** Amount in yuan. */
  money?: number;
  /** Only a place {@link findPlace} is confident about. */
  place?: string;
}

const MOBILE = /(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?!\d)/;
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?(\d{3,4})[\s-]?(\d{4})(?!\d)/;
const INTERNATIONAL = /(?<![\d])\+(\d{1,3})[\s-]?(\d[\d\s-]{5,14}\d)(?!\d)/;
const ID_CARD = /(?<!\d)(\d{17}[\dXx])(?!\d)/;

/** Finds the first phone number: CN mobile, CN landline with area code, or +international. */
export function extractPhone(text: string): string | undefined {
  const t = text.normalize("NFKC");
  const m = MOBILE.exec(t);
  if (m) return m[1]!.replace(/\D/g, "");
  const i = INTERNATIONAL.exec(t);
  if (i && i[1] !== "86") return `+${i[1]}${i[2]!.replace(/\D/g, "")}`;
  const l = LANDLINE.exec(t);
  if (l) return `${l[1]}${l[2]}${l[3]}`;
  return undefined;
}

/** True when the 18-character ID-card number has a valid GB 11643 check character. */
export function isValidIdCard(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, wi, i) => s + wi * Number(id[i]), 0);
  return "10X98765432"[sum % 11] === id[17]!.toUpperCase();
}

/** Finds the first valid ID-card number. */
export function extractIdCard(text: string): string | undefined {
  const m = ID_CARD.exec(text.normalize("NFKC"));
  return m && isValidIdCard(m[1]!) ? m[1]!.toUpperCase() : undefined;
}

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Parses a Chinese or Arabic number below 10^12: "三万五千" → 35000, "十二" → 12, "3.5万" → 35000. */
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

const MONEY_CN = /([\d.,]+(?:万|亿)?|[零〇一二两三四五六七八九十百千万亿]+)\s*(?:块钱|块|元|圆|万元)/;
const MONEY_SYM = /(?:¥|￥|RMB\s?|CNY\s?|yuan\s?)([\d,]+(?:\.\d+)?)|([\d,]+(?:\.\d+)?)\s?(?:yuan|RMB|CNY)\b/i;

/** Finds the first money amount, in yuan. */
export function extractMoney(text: string): number | undefined {
  const t = text.normalize("NFKC");
  const s = MONEY_SYM.exec(t);
  if (s) return Number((s[1] ?? s[2])!.replace(/,/g, ""));
  const m = MONEY_CN.exec(t);
  if (m) {
    const n = parseChineseNumber(m[1]!);
    if (n === undefined) return undefined;
    return /万元$/.test(m[0]) && !/万/.test(m[1]!) ? n * 1e4 : n;
  }
  return undefined;
}

const WEEKDAY_CN: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 0 };
const WEEKDAY_EN: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTH_EN: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const pad = (n: number) => String(n).padStart(2, "0");
/** `YYYY-MM-DD` for a real day, or null (e.g. 2026-02-30). */
function ymd(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}
const EN_NUMBER: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, a_couple_of: 2, few: 3, several: 3 };
function num(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const en = EN_NUMBER[s.toLowerCase().replace(/\s+/g, "_")];
  if (en !== undefined) return en;
  return parseChineseNumber(s) ?? NaN;
}
const monthsBack = (ty: number, tm: number, n: number) => new Date(Date.UTC(ty, tm - 1 - n, 1)).toISOString().slice(0, 10);

/** A date mentioned in text, and whether it is usable as "when it happened". */
export interface DateFinding extends FoundDate {
  /** past: on or before today; future: after today; invalid: no such day (2026-02-30). */
  status: "past" | "future" | "invalid";
}

/**
 * Finds the first date mentioned in `text`, relative to `now` in `timeZone`, and says whether it
 * is in the past, in the future or not a real day. Understands 2026-03-05, 2026年3月5日, 3月5号,
 * 11号, 今天/昨天/前天/明天, 上周二, 上个月, 去年三月, 三天前, 半年前, and English today,
 * yesterday, tomorrow, last Tuesday, two days ago, last month, March 5, 5 March 2026. A day
 * without a year that would lie in the future is taken as last year (complaints are about the
 * past); an explicit year is never changed.
 */
export function findDate(text: string, now: Date, timeZone: string): DateFinding | undefined {
  const t = text.normalize("NFKC");
  const today = toLocalDate(now, timeZone);
  const [ty, tm] = today.split("-").map(Number) as [number, number];
  const judge = (m: RegExpExecArray, date: string | null, precision: FoundDate["precision"]): DateFinding =>
    date === null ? { text: m[0], date: "", precision, status: "invalid" } : { text: m[0], date, precision, status: date > today ? "future" : "past" };
  /** A day without a year: this year, or last year when that would be in the future. */
  const noYear = (m: RegExpExecArray, month: number, day: number, precision: FoundDate["precision"] = "day"): DateFinding => {
    const date = ymd(ty, month, day);
    if (date && date > today) return judge(m, ymd(ty - 1, month, day), precision);
    return judge(m, date, precision);
  };
  const rules: Array<() => DateFinding | undefined> = [
    () => { const m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?/.exec(t); return m ? judge(m, ymd(+m[1]!, +m[2]!, +m[3]!), "day") : undefined; },
    () => { const m = /(\d{4})年(\d{1,2})月(?!\d)/.exec(t); return m ? judge(m, ymd(+m[1]!, +m[2]!, 1), "month") : undefined; },
    () => {
      const m = /(去年|前年|今年)?([\d一二三四五六七八九十]{1,3})月(?:份)?(?:([\d一二三四五六七八九十]{1,3})[日号])?/.exec(t);
      if (!m) return undefined;
      const month = num(m[2]!), day = m[3] ? num(m[3]) : 1;
      const precision = m[3] ? "day" : "month";
      if (!m[1]) return noYear(m, month, day, precision);
      return judge(m, ymd(m[1] === "去年" ? ty - 1 : m[1] === "前年" ? ty - 2 : ty, month, day), precision);
    },
    () => { const m = /大前天/.exec(t); return m ? judge(m, addCalendarDays(today, -3), "day") : undefined; },
    () => { const m = /前天|the day before yesterday/i.exec(t); return m ? judge(m, addCalendarDays(today, -2), "day") : undefined; },
    () => { const m = /昨天|昨日|昨晚|昨儿|yesterday/i.exec(t); return m ? judge(m, addCalendarDays(today, -1), "day") : undefined; },
    () => { const m = /明天|明日|后天|tomorrow|next week|下周|下个月|next month/i.exec(t); return m ? judge(m, addCalendarDays(today, 1), "day") : undefined; },
    () => { const m = /今天|今日|今早|今儿|今晚|刚才|刚刚|\btoday\b|this morning|tonight|just now/i.exec(t); return m ? judge(m, today, "day") : undefined; },
    () => {
      const m = /(半|[\d一二两三四五六七八九十]+)\s*(天|日|个?星期|周|个?礼拜|个?月|年)(?:多)?(?:以)?前/.exec(t);
      if (!m) return undefined;
      const half = m[1] === "半";
      const n = half ? 0.5 : num(m[1]!);
      const u = m[2]!;
      if (/天|日/.test(u)) return judge(m, addCalendarDays(today, -Math.round(n)), "day");
      if (/星期|周|礼拜/.test(u)) return judge(m, addCalendarDays(today, -Math.round(7 * n)), "day");
      if (/月/.test(u)) return half ? judge(m, addCalendarDays(today, -15), "day") : judge(m, monthsBack(ty, tm, n), "month");
      return half ? judge(m, monthsBack(ty, tm, 6), "month") : judge(m, `${ty - n}-01-01`, "year");
    },
    () => {
      const m = /\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|few|several)\s+(day|week|month|year)s?\s+ago/i.exec(t);
      if (!m) return undefined;
      const n = num(m[1]!), u = m[2]!.toLowerCase();
      if (u === "day") return judge(m, addCalendarDays(today, -n), "day");
      if (u === "week") return judge(m, addCalendarDays(today, -7 * n), "day");
      if (u === "month") return judge(m, monthsBack(ty, tm, n), "month");
      return judge(m, `${ty - n}-01-01`, "year");
    },
    () => {
      const m = /(?:上|上个)(?:周|星期|礼拜)([一二三四五六日天1-7])/.exec(t);
      if (!m) return undefined;
      const want = WEEKDAY_CN[m[1]!]!;
      const mondayThisWeek = addCalendarDays(today, -((dayOfWeek(today) + 6) % 7));
      return judge(m, addCalendarDays(mondayThisWeek, -7 + ((want + 6) % 7)), "day");
    },
    () => {
      const m = /last (sunday|monday|tuesday|wednesday|thursday|friday|saturday)/i.exec(t);
      if (!m) return undefined;
      const want = WEEKDAY_EN[m[1]!.toLowerCase()]!;
      let back = (dayOfWeek(today) - want + 7) % 7;
      if (back === 0) back = 7;
      return judge(m, addCalendarDays(today, -back), "day");
    },
    () => { const m = /上(?:个)?(?:周|星期|礼拜)|last week/i.exec(t); return m ? judge(m, addCalendarDays(today, -7), "day") : undefined; },
    () => { const m = /上(?:个)?月|last month/i.exec(t); return m ? judge(m, monthsBack(ty, tm, 1), "month") : undefined; },
    () => { const m = /去年|last year/i.exec(t); return m ? judge(m, `${ty - 1}-01-01`, "year") : undefined; },
    () => { const m = /前年/.exec(t); return m ? judge(m, `${ty - 2}-01-01`, "year") : undefined; },
    () => {
      const m = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?/i.exec(t)
        ?? /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:,?\s+(\d{4}))?/i.exec(t);
      if (!m) return undefined;
      const monthFirst = /^[a-z]/i.test(m[1]!);
      const mo = MONTH_EN[(monthFirst ? m[1]! : m[2]!).slice(0, 3).toLowerCase()]!;
      const d = Number(monthFirst ? m[2] : m[1]);
      return m[3] ? judge(m, ymd(Number(m[3]), mo, d), "day") : noYear(m, mo, d);
    },
    () => {
      // "11号" / "5日" alone: a day of this month, or of last month when still to come.
      const m = /(?<![\d月路街巷道村组楼栋室弄元])([1-9]|[12]\d|3[01])\s*[号日](?![\d楼栋院])/.exec(t);
      if (!m) return undefined;
      const d = Number(m[1]);
      const date = ymd(ty, tm, d);
      if (date && date > today) return judge(m, ymd(tm === 1 ? ty - 1 : ty, tm === 1 ? 12 : tm - 1, d), "day");
      return judge(m, date, "day");
    },
  ];
  for (const rule of rules) {
    const found = rule();
    if (found) return found;
  }
  return undefined;
}

/** The first past date in `text` (see {@link findDate}); future and impossible dates are ignored. */
export function extractDate(text: string, now: Date, timeZone: string): FoundDate | undefined {
  const found = findDate(text, now, timeZone);
  if (!found || found.status !== "past") return undefined;
  const { status: _s, ...date } = found;
  return date;
}

// Han characters that may be part of a place name: not pronouns, particles, measure words or
// verbs that usually come right before one ("我们村", "在…", "的", "那条路", "流得满街").
const NAME = "[\\p{Script=Han}&&[^我你他她它们这那的了在是有个条座跟把被就都也还又很太要说到从对给让咱俺家里边门口前后旁附近晚早午昨今得地着过满全没不想去来走和与及或]]";
// Matches that are words, not places: "反映镇干部…", "乡村公路", "农村低保", "全区", "本村".
const NOT_A_PLACE = /反映|举报|投诉|干部|支书|书记|主任|领导|作风|工作|^(?:乡村|农村|城镇|城乡|城市|城区|市区|县城|全市|全区|全县|全镇|全村|本村|本镇|该村|该镇|各村|各镇|邻村|外村|我村|我镇)/;
const ADMIN = "省|市|区|县|镇|乡|街道|社区|小区|村|组|工业园|开发区";
const ROAD = "大道|路|街|巷|弄";
const PLACE_CN = new RegExp(
  `(?:${NAME}{2,6}?(?:${ADMIN}|${ROAD})){1,4}(?:[\\d一二三四五六七八九十]+(?:号楼|号院|号|栋|幢|单元|组))?`,
  "gv",
);
const STRONG_CN = new RegExp(`(?:${ADMIN})|\\d+号`, "v");
const EN_UNIT_STRONG = "Village|Town|Township|Community|Estate|District|County|Industrial Park";
const EN_UNIT = `${EN_UNIT_STRONG}|Road|Rd|Street|St|Avenue|Ave|Lane|Bridge|Park`;
const EN_PART = `(?:\\d+[A-Za-z]?\\s+)?(?:[A-Z][a-z]+\\s){1,3}(?:${EN_UNIT})\\b`;
const PLACE_EN = new RegExp(`(?:^|\\b(?:in|at|on|near|outside|from|of)\\s+)(${EN_PART}(?:,\\s*${EN_PART})*)`);

/** A place found in text; `confident` when it names an administrative unit or a house number. */
export interface FoundPlace {
  text: string;
  confident: boolean;
}

/**
 * Finds the most specific place in `text`: 青山镇石桥村三组, 人民路12号, "Qingshan Town,
 * Shiqiao Village", "45 Zhongshan Road". A bare road name ("和平路") is found but not confident:
 * the form asks rather than guesses.
 */
export function findPlace(text: string): FoundPlace | undefined {
  const t = text.normalize("NFKC").replace(/早上|上午|中午|下午|晚上|傍晚|夜里|半夜|凌晨/g, " ");
  const en = PLACE_EN.exec(t);
  if (en) return { text: en[1]!, confident: new RegExp(`${EN_UNIT_STRONG}|^\\d`).test(en[1]!) };
  // The most specific match wins: one naming a town/village/community, then the longest.
  const score = (m: string) => (STRONG_CN.test(m) ? 100 : 0) + m.length;
  const best = [...t.matchAll(PLACE_CN)].map((m) => m[0]).filter((m) => m.length >= 3 && !NOT_A_PLACE.test(m)).sort((a, b) => score(b) - score(a))[0];
  return best ? { text: best, confident: STRONG_CN.test(best) } : undefined;
}

/** The text of the place {@link findPlace} finds, confident or not. */
export function extractPlace(text: string): string | undefined {
  return findPlace(text)?.text;
}

/** Runs every extractor on `text`. */
export function extractEntities(text: string, now: Date, timeZone: string): Entities {
  const out: Entities = {};
  const idCard = extractIdCard(text);
  // An ID-card number contains digit runs that look like phones; remove it first.
  const rest = idCard ? text.replace(idCard, " ") : text;
  const phone = extractPhone(rest);
  const date = extractDate(rest, now, timeZone);
  const money = extractMoney(rest);
  const place = findPlace(date ? rest.replace(date.text, " ") : rest);
  if (idCard) out.idCard = idCard;
  if (phone) out.phone = phone;
  if (date) out.date = date;
  if (money !== undefined && Number.isFinite(money)) out.money = money;
  if (place?.confident) out.place = place.text;
  return out;
}
