import { findPeople, type FoundPeople } from "../domain/affected-people.js";
import { parseChineseNumber, parseRoughNumber } from "../domain/chinese-number.js";
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
  /** Amount in yuan (vague amounts at their lower bound: 好几百 → 300). */
  money?: number;
  /** True when the amount was vague (好几百, 两万多). */
  moneyApproximate?: boolean;
  /** How many people are affected ({@link findPeople}); `many` raises the colour to red. */
  people?: FoundPeople;
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

export { parseChineseNumber, parseRoughNumber } from "../domain/chinese-number.js";
export { findPeople, MANY_PEOPLE, type FoundPeople } from "../domain/affected-people.js";

// An amount, exact or vague: 3000, 3.5万, 三万五千, 好几百, 两万多, 几千, 上百.
const AMOUNT = "(?:好|大约|约|差不多)?(?:[\\d.,]+(?:万|亿)?|[零〇一二两三四五六七八九十百千万亿几数上]+)(?:多|来|余)?";
const MONEY_CN = new RegExp(`(${AMOUNT})\\s*(?:块钱|块|元|圆|万元|万块)`);
// Counters after which a bare amount is not money: people, land, weight, time, things.
const NOT_MONEY_AFTER = "户|人|名|位|家|个|口|亩|米|斤|公斤|克|平|方|里|公里|年|天|日|月|周|次|棵|头|只|辆|栋|层|间|所|台|张|件|条|吨|度|岁|号|倍|分|%";
// A bare vague amount is money ("一学期好几百", "要了两万多"): 好几百, 几千, 三千多, 两万多.
const MONEY_BARE = new RegExp(
  `(?<![\\d零〇一二两三四五六七八九十百千万亿几])((?:好几|几|数)[十百千万]|[\\d一二两三四五六七八九]+[百千万]多)` +
    `(?![\\d十百千万亿]|多|\\s*(?:${NOT_MONEY_AFTER}))`,
);
// After a money word a bare amount is money: 罚款两千, 收了三百, 每月交500.
const MONEY_CUE = new RegExp(
  `(?:罚款?了?|收了|收取|交了?|要了|花了|赔了?|欠了?|补偿款?|工资|押金|费用?|学费|每月|每个月|一个月)\\s*` +
    `((?:[\\d.,]+(?:万|亿)?|[零〇一二两三四五六七八九十百千万亿几]+)(?:多|来|余)?)(?![\\d零〇一二两三四五六七八九十百千万亿]|\\s*(?:${NOT_MONEY_AFTER}))`,
);
const MONEY_SYM = /(?:¥|￥|RMB\s?|CNY\s?|yuan\s?)([\d,]+(?:\.\d+)?)|([\d,]+(?:\.\d+)?)\s?(?:yuan|RMB|CNY)\b/i;
const MONEY_EN_ROUGH =
  /\b(a few hundred|several hundred|hundreds of|a few thousand|several thousand|thousands of)\s+(?:yuan|RMB|CNY)\b/i;
const EN_ROUGH_AMOUNT: Record<string, number> = {
  "a few hundred": 300, "several hundred": 300, "hundreds of": 200,
  "a few thousand": 3000, "several thousand": 3000, "thousands of": 2000,
};

/** A money amount found in text, in yuan; `approximate` for 好几百 (300), 两万多 (20000), "a few hundred yuan". */
export interface FoundMoney {
  text: string;
  /** Yuan; vague amounts at their lower bound, "几" read as 3. */
  amount: number;
  approximate: boolean;
}

/**
 * Finds the first money amount: with a unit (3000元, 几百块, ¥35,000, 8万元), after a money word (罚款两千,
 * 每月交500) or a bare vague amount that no counter follows (好几百, 两万多). People are not money: 几百户
 * and 上百人 are {@link findPeople}'s.
 */
export function findMoney(text: string): FoundMoney | undefined {
  const t = text.normalize("NFKC");
  const s = MONEY_SYM.exec(t);
  if (s) return { text: s[0], amount: Number((s[1] ?? s[2])!.replace(/,/g, "")), approximate: false };
  const en = MONEY_EN_ROUGH.exec(t);
  if (en) return { text: en[0], amount: EN_ROUGH_AMOUNT[en[1]!.toLowerCase()]!, approximate: true };
  const m = MONEY_CN.exec(t);
  if (m) {
    const n = parseRoughNumber(m[1]!);
    if (n === undefined) return undefined;
    const amount = /万(?:元|块)$/.test(m[0]) && !/万/.test(m[1]!) ? n.value * 1e4 : n.value;
    return { text: m[0], amount, approximate: n.approximate };
  }
  const cued = MONEY_CUE.exec(t);
  const c = cued ? parseRoughNumber(cued[1]!) : undefined;
  if (cued && c && c.value >= 1) return { text: cued[1]!, amount: c.value, approximate: c.approximate };
  const bare = MONEY_BARE.exec(t);
  const n = bare ? parseRoughNumber(bare[1]!) : undefined;
  return bare && n ? { text: bare[0], amount: n.value, approximate: true } : undefined;
}

/** Finds the first money amount, in yuan (see {@link findMoney}). */
export function extractMoney(text: string): number | undefined {
  return findMoney(text)?.amount;
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
const EN_NUMBER: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  a_couple_of: 2, a_few: 3, few: 3, several: 3,
};
function num(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const en = EN_NUMBER[s.toLowerCase().replace(/\s+/g, "_")];
  if (en !== undefined) return en;
  return parseChineseNumber(s) ?? parseRoughNumber(s)?.value ?? NaN;
}
const monthsBack = (ty: number, tm: number, n: number) => new Date(Date.UTC(ty, tm - 1 - n, 1)).toISOString().slice(0, 10);

// Durations: 三个月了, 已经半年, 好几年了, for three weeks, for the past two months, for over a year.
const CN_DURATION_N = "半|好几|[\\d一二两三四五六七八九十几]+";
const CN_DURATION_CUE = "已经|已|都|快|有|持续了?|长达|整整|足足|近|将近";
const CN_DURATION = `(?<n>${CN_DURATION_N})多?(?<ge>个)?多?(?<unit>天|日|周|星期|礼拜|月|年)多?`;
const CN_DURATION_END = new RegExp(`(?:${CN_DURATION_CUE})?${CN_DURATION}(?:了|来|以来|之久)`);
const CN_DURATION_CUED = new RegExp(`(?:${CN_DURATION_CUE})${CN_DURATION}`);
const EN_DURATION = new RegExp(
  "\\b(?:for|over|it has been|it's been|been)\\s+(?:the\\s+)?(?:past\\s+|last\\s+)?" +
    "((?:(?:over|more than|about|almost|nearly|around)\\s+)?" +
    "(?:\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" +
    "a couple of|a few|few|several))?\\s*(day|week|month|year)s?\\b(?!\\s+ago)",
  "i",
);
const MONTH_NAME = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" +
  "sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\b";
const SEASON_MONTH: Record<string, number> = {
  春天: 3, 春季: 3, 开春: 3, 夏天: 6, 夏季: 6, 秋天: 9, 秋季: 9, 冬天: 12, 冬季: 12, 年初: 1, 年中: 6, 年底: 12, 年末: 12,
  spring: 3, summer: 6, autumn: 9, fall: 9, winter: 12,
};

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
  /** The start of a duration that ends today: n days/weeks/months/years ago. */
  const since = (m: RegExpExecArray, n: number, unit: string): DateFinding | undefined => {
    if (!Number.isFinite(n) || n <= 0) return undefined;
    if (/天|日|day/.test(unit)) return judge(m, addCalendarDays(today, -Math.round(n)), "day");
    if (/星期|周|礼拜|week/.test(unit)) return judge(m, addCalendarDays(today, -Math.round(7 * n)), "day");
    if (/月|month/.test(unit)) {
      return n < 1 ? judge(m, addCalendarDays(today, -15), "day") : judge(m, monthsBack(ty, tm, n), "month");
    }
    if (n > 100) return undefined; // "2019年了" is a year, not a duration
    return n < 1 ? judge(m, monthsBack(ty, tm, 6), "month") : judge(m, `${ty - Math.round(n)}-01-01`, "year");
  };
  /** The year of the latest season starting in `month` that is over or under way (last winter: last December). */
  const lastSeasonYear = (month: number) => (month > tm - 3 ? ty - 1 : ty);
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
    () => {
      // A duration: the matter started that long ago ("楼顶漏水三个月了", "已经半年", "两年多了").
      const m = CN_DURATION_END.exec(t) ?? CN_DURATION_CUED.exec(t);
      const g = m?.groups;
      if (!m || !g || (g.unit === "月" && !g.ge && g.n !== "半")) return undefined; // 三月了 is March
      return since(m, g.n === "半" ? 0.5 : num(g.n!), g.unit!);
    },
    () => {
      const m = EN_DURATION.exec(t);
      if (!m) return undefined;
      if (!m[1] && !/\b(?:past|last)\b/i.test(m[0])) return undefined; // "for years": no length given
      const n = m[1] ? num(m[1].replace(/^(?:over|more than|about|almost|nearly|around)\s+/i, "")) : 1;
      return since(m, n, m[2]!.toLowerCase());
    },
    () => {
      const m = /((?:19|20)\d{2})年|(去年|前年|今年)?(春天|春季|开春|夏天|夏季|秋天|秋季|冬天|冬季|年初|年中|年底|年末)/.exec(t);
      if (!m || !m[3]) return undefined;
      const month = SEASON_MONTH[m[3]]!;
      const year = m[1] ? +m[1] : m[2] === "去年" ? ty - 1 : m[2] === "前年" ? ty - 2 : m[2] === "今年" ? ty : undefined;
      return judge(m, `${year ?? lastSeasonYear(month)}-${pad(month)}-01`, "month");
    },
    () => {
      const m = /\b(?:(last|this|past)\s+|since\s+(?:the\s+)?)(spring|summer|autumn|fall|winter)\b/i.exec(t);
      if (!m) return undefined;
      const month = SEASON_MONTH[m[2]!.toLowerCase()]!;
      return judge(m, `${m[1]?.toLowerCase() === "this" ? ty : lastSeasonYear(month)}-${pad(month)}-01`, "month");
    },
    () => {
      const m = /(?<!\d)((?:19|20)\d{2})\s*年(?![\d一二三四五六七八九十]{1,2}月|初|中|底|末)/.exec(t);
      return m ? judge(m, ymd(+m[1]!, 1, 1), "year") : undefined;
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
      // Whole month names or their abbreviations only: "5 Market Street" is not 5 March.
      const m = new RegExp(`\\b(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, "i").exec(t)
        ?? new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAME})\\.?(?:,?\\s+(\\d{4}))?`, "i").exec(t);
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
// Village and community names may hold 家/口/里/前/后/门/和/边 (王家村, 河口村, 十里村, 前进村, 和平村, 东门村).
const VILLAGE_NAME = "[\\p{Script=Han}&&[^我你他她它们这那的了在是有个条座跟把被就都也还又很太要说到从对给让咱俺晚早午昨今得地着过满全没不想去来走与及或]]";
// Matches that are words, not places: "反映镇干部…", "乡村公路", "农村低保", "全区", "本村", "附近村".
const NOT_A_PLACE = new RegExp(
  "反映|举报|投诉|干部|支书|书记|主任|领导|作风|工作|^(?:乡村|农村|城镇|城乡|城市|城区|市区|县城|全市|全区|全县|全镇|全村|" +
    "本村|本镇|该村|该镇|各村|各镇|邻村|外村|我村|我镇|附近|旁边|周边|家门口|门口|村口|回家|到家)",
);
const ADMIN = "省|市|区|县|镇|乡|街道|社区|小区|村|组|工业园|开发区";
const VILLAGE = "村|社区|小区|居委会";
const ROAD = "大道|路|街|巷|弄";
const PLACE_CN = new RegExp(
  `(?:${NAME}{2,6}?(?:${ADMIN}|${ROAD})|${VILLAGE_NAME}{2,6}?(?:${VILLAGE})){1,4}` +
    "(?:[\\d一二三四五六七八九十]+(?:号楼|号院|号|栋|幢|单元|组))?",
  "gv",
);
const STRONG_CN = new RegExp(`(?:${ADMIN})|\\d+号`, "v");
const TOWN_CN = /(?:镇|乡|街道)/;
const EN_UNIT_STRONG = "Village|Town|Township|Community|Estate|District|County|Industrial Park";
const EN_STREET = "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Drive|Dr|Way|Close|Court|Place|Crescent|Terrace|Boulevard";
const EN_UNIT = `${EN_UNIT_STRONG}|${EN_STREET}|Bridge|Park`;
const EN_PART = `(?:\\d+[A-Za-z]?\\s+)?(?:[A-Z][a-z]+\\s){1,3}(?:${EN_UNIT})\\b`;
const PLACE_EN = new RegExp(`(?:^|\\b(?:in|at|on|near|outside|from|of)\\s+)(${EN_PART}(?:,\\s*${EN_PART})*)`);
// A house number and street anywhere: "outside number 14 Elm Road", "No. 3 Park Lane", "#12 Main St".
const EN_ADDRESS = new RegExp(
  `(?:\\b(?:number|No\\.?)\\s*|#\\s*)?\\b(\\d+[A-Za-z]?),?\\s+((?:[A-Z][a-z]+\\s){1,3}(?:${EN_STREET})\\b)` +
    `((?:,\\s*(?:[A-Z][a-z]+\\s){1,3}(?:${EN_UNIT_STRONG})\\b)*)`,
);

// Words that point at a place without naming it: 我家门口, 这里, 楼下, here, outside my house.
const VAGUE_CN = new RegExp(
  "我们|我|俺们|俺|咱们|咱|自己|家里|家|的|在|就|是|这个地方|那个地方|这里|这儿|这边|那里|那儿|那边|楼下|楼上|门口|门前|" +
    "附近|旁边|对面|隔壁|周围|路边|路口|村口|村里|小区里|小区|外面|外边|前面|后面|住的地方|住处|那块|这块|一带|里|边|上|下",
  "g",
);
const VAGUE_EN = new RegExp(
  "\\b(?:right|just|here|there|outside|inside|my|our|the|a|house|home|place|flat|apartment|building|near|nearby|in|" +
    "front|of|by|at|on|next|to|door|street|road|downstairs|upstairs|around|behind|across|from|where|i|we|live)\\b",
  "gi",
);

/** True when `text` points at a place without naming one (我家门口, 这里, 楼下, here, outside my house). */
export function isVaguePlace(text: string): boolean {
  const t = text.normalize("NFKC").replace(/[\s\p{P}\p{S}]/gu, " ");
  if (!/\p{L}/u.test(t)) return false;
  const rest = t.replace(VAGUE_CN, "").replace(VAGUE_EN, "").replace(/\s+/g, "");
  return rest.length === 0;
}

/**
 * Towns and their villages/communities, for places named without their town ("石桥村三组" →
 * 青山镇石桥村三组) and names the generic patterns miss. Source: config/places.default.json, or a
 * deployment's file (PLACES_FILE), read by {@link parsePlacesFile}.
 */
export interface PlaceList {
  towns: ReadonlyArray<{ name: string; villages: readonly string[] }>;
}

/** Options of {@link findPlace}. */
export interface PlaceOptions {
  /** Known towns and villages; without it only the generic patterns are used. */
  places?: PlaceList;
}

/** A place found in text; `confident` when it names an administrative unit or a house number. */
export interface FoundPlace {
  text: string;
  confident: boolean;
}

/** The town of `village` in `places` when exactly one town has it. */
function townOf(village: string, places: PlaceList | undefined): string | undefined {
  const towns = (places?.towns ?? []).filter((t) => t.villages.includes(village));
  return towns.length === 1 ? towns[0]!.name : undefined;
}

/**
 * Adds the town to a place that names a known village without it: "石桥村三组" → "青山镇石桥村三组",
 * when exactly one town of `places` has that village; a place naming a town is left as it is.
 */
export function completePlace(place: string, places: PlaceList | undefined): string {
  if (!places || TOWN_CN.test(place)) return place;
  for (const town of places.towns) if (place.includes(town.name)) return place;
  for (const town of places.towns) {
    const village = town.villages.find((v) => place.includes(v));
    if (village && townOf(village, places)) return `${town.name}${place.slice(place.indexOf(village))}`;
  }
  return place;
}

/**
 * Finds the most specific place in `text`: 青山镇石桥村三组, 青山镇王家村 (town and village together),
 * 人民路12号, "Qingshan Town, Shiqiao Village", "45 Zhongshan Road", "outside number 14 Elm Road"
 * (→ "14 Elm Road"). A bare road name ("和平路") is found but not confident: the form asks rather
 * than guesses. A vague place (我家门口, here) is not found. With `places`, a known village gets its town.
 */
export function findPlace(text: string, opts: PlaceOptions = {}): FoundPlace | undefined {
  const t = text.normalize("NFKC").replace(/早上|上午|中午|下午|晚上|傍晚|夜里|半夜|凌晨/g, " ");
  const address = EN_ADDRESS.exec(t);
  if (address) return { text: `${address[1]} ${address[2]}${address[3] ?? ""}`, confident: true };
  const en = PLACE_EN.exec(t);
  if (en) return { text: en[1]!, confident: new RegExp(`${EN_UNIT_STRONG}|^\\d`).test(en[1]!) };
  // The most specific match wins: one naming a town/village/community, then the longest.
  const known = (m: string) =>
    (opts.places?.towns ?? []).some((tw) => m.includes(tw.name) || tw.villages.some((v) => m.includes(v)));
  const score = (m: string) => (STRONG_CN.test(m) ? 100 : 0) + (known(m) ? 50 : 0) + m.length;
  const found = [...t.matchAll(PLACE_CN)].map((m) => m[0]).filter((m) => m.length >= 3 && !NOT_A_PLACE.test(m));
  // A known village the patterns did not take whole (a name with unusual characters).
  for (const town of opts.places?.towns ?? []) {
    for (const v of town.villages) if (t.includes(v) && !found.some((m) => m.includes(v))) found.push(v);
  }
  const best = found.sort((a, b) => score(b) - score(a))[0];
  if (!best) return undefined;
  const trimmed = trimToKnown(best, opts.places);
  return { text: completePlace(trimmed, opts.places), confident: STRONG_CN.test(trimmed) || known(trimmed) };
}

/** "路口王家村" → "王家村" when 王家村 is known and nothing before it is a known town. */
function trimToKnown(place: string, places: PlaceList | undefined): string {
  if (!places || TOWN_CN.test(place)) return place;
  for (const town of places.towns) {
    const v = town.villages.find((x) => place.includes(x));
    if (v) return place.slice(place.indexOf(v));
  }
  return place;
}

/** The text of the place {@link findPlace} finds, confident or not. */
export function extractPlace(text: string, opts: PlaceOptions = {}): string | undefined {
  return findPlace(text, opts)?.text;
}

/**
 * Runs every extractor on `text`. The place is only a confident one; the date is a past one (a
 * duration gives the day the matter started); money and people are told apart (好几百 is money,
 * 几百户 people).
 */
export function extractEntities(text: string, now: Date, timeZone: string, opts: PlaceOptions = {}): Entities {
  const out: Entities = {};
  const idCard = extractIdCard(text);
  // An ID-card number contains digit runs that look like phones; remove it first.
  const rest = idCard ? text.replace(idCard, " ") : text;
  const phone = extractPhone(rest);
  const date = extractDate(rest, now, timeZone);
  const money = findMoney(rest);
  const people = findPeople(rest);
  const place = findPlace(date ? rest.replace(date.text, " ") : rest, opts);
  if (idCard) out.idCard = idCard;
  if (phone) out.phone = phone;
  if (date) out.date = date;
  if (money && Number.isFinite(money.amount)) {
    out.money = money.amount;
    if (money.approximate) out.moneyApproximate = true;
  }
  if (people) out.people = people;
  if (place?.confident) out.place = place.text;
  return out;
}
