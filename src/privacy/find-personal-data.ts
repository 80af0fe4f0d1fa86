import { dammDigit } from "../domain/case-number.js";
import { foldDigits, foldWidth } from "./fold.js";
import { COMPOUND_SURNAMES, NAME_STOP, NOT_EN_NAMES, NOT_NAMES, PLACE_SUFFIX, SURNAMES } from "./names.js";

/** What a piece of personal data is. */
export type PersonalDataKind =
  | "phone" | "id_number" | "bank_card" | "email" | "qq" | "wechat" | "plate" | "name" | "house";

/** Every kind, in the order reports list them. */
export const PERSONAL_DATA_KINDS: readonly PersonalDataKind[] = [
  "phone", "id_number", "bank_card", "email", "qq", "wechat", "plate", "name", "house",
];

/** One piece of personal data in a text: UTF-16 offsets, `end` exclusive (`text.slice(start, end)` is the value). */
export interface Span {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

type Candidate = Span & { rank: number };
interface Views {
  /** the text as given */
  raw: string;
  /** full-width folded */
  wide: string;
  /** full-width folded, Chinese digit numerals as ASCII digits */
  digits: string;
}

const B = "(?<![0-9A-Za-z])"; // no letter or digit before
const E = "(?![0-9A-Za-z])"; // no letter or digit after
const SEP = "[ \\t-]?";

// Numbers (matched on the digit view).
const MOBILE = new RegExp(`${B}(?:\\(?(?:\\+|00)\\s?86\\)?${SEP})?1[3-9](?:${SEP}\\d){9}${E}`, "g");
// 138—0013—8000, 138.0013.8000, 138·0013·8000: 3-4-4 groups with one separator used twice.
const MOBILE_PUNCT = /(?<![0-9A-Za-z.·])1[3-9]\d(?<s>\s?(?:—{1,2}|–|\.|·|・|•)\s?)\d{4}\k<s>\d{4}(?![0-9A-Za-z]|\.\d)/g;
const LANDLINE = new RegExp(
  `${B}(?:\\(?0(?:10|2\\d|[3-9]\\d{2})\\)?|\\(?(?:\\+|00)\\s?86\\)?${SEP}\\(?0?(?:10|2\\d|[3-9]\\d{2})\\)?)${SEP}` +
    `[2-8]\\d{2,3}${SEP}\\d{4}${E}`,
  "g",
);
const LOCAL_LANDLINE = re(
  /(?:电话|座机|固话|[Tt]el\.?|TEL|[Pp]hone|[Ll]andline)[^\d\n。]{0,4}?/,
  /(?<v>(?<![0-9])[2-8]\d{2,3}[ -]?\d{4})(?![0-9A-Za-z])/,
);
const ID18 = new RegExp(`${B}(?:\\d{6}${SEP}\\d{8}${SEP}\\d{3}|\\d{4}(?:${SEP}\\d{4}){3}${SEP}\\d)[\\dXx]${E}`, "g");
const ID15 = new RegExp(`${B}\\d{6}${SEP}\\d{6}${SEP}\\d{3}${E}`, "g");
const CARD = new RegExp(`${B}(?:\\d{16,19}|\\d{4}(?:[ -]\\d{4}){3}(?:[ -]?\\d{1,3})?|\\d{6}[ -]\\d{10,13})${E}`, "g");
const CARD_CUE = /(?:卡号|银行卡|账号|帐号|银行账户|账户)[^\d\n。，,]{0,6}$/;
const ORDER_CUE = /(?:订单|单号|运单|快递|发票|流水号|合同号|编号|工单|order|Order|invoice|Invoice|tracking|No\.)[^\n。]{0,6}$/;
// Numbers that identify a person after a cue, whatever their shape (digit view; rank after phones).
// Part of an ID number (后六位123456, 前面是440106): 5+ digits; 4 digits (尾号1234) show no more than a mask does.
const ID_PART = re(
  /(?:身份证|证件号|身份号码)(?:号码|号)?/,
  /(?:[^\d\n。，,；;电手微期]|[1-9]位){0,8}?/,
  /(?<v>(?<![0-9])\d{5,17}[\dXx]?)(?![0-9A-Za-z])/,
);
const PASSPORT = re(/护照(?:号码|号)?[^\n。，,A-Za-z0-9]{0,4}?/, /(?<v>(?<![A-Za-z0-9])[A-Za-z]{1,2}\d{7,8})(?![A-Za-z0-9])/);
const OFFICER_ID = re(
  /(?:军官证|士兵证|警官证|文职干部证)(?:号码|号)?[:：\s]*/,
  /(?<v>(?:[\u4e00-\u9fff]字)?第?\d{5,10}号?)/,
);
const SOCIAL_CARD = re(/(?:社保卡|社会保障卡|医保卡)(?:号码|号)?[^\d\n。，,]{0,4}?/, /(?<v>(?<![0-9])\d{8,19}[Xx]?)(?![0-9A-Za-z])/);
const QQ = re(
  /(?<![A-Za-z])(?:[Qq]{2}|扣扣|企鹅号?|[Qq]号)(?:号码?|账号|\s?(?:number|No\.?|ID|id))?[^\d\n。！？!?]{0,6}?/,
  /(?<v>(?<!\d)[1-9](?:[ -]?\d){4,11})(?!\d)/,
);
const QQ_CUE = /[Qq]{2}|扣扣|企鹅|[Qq]号/;
const WECHAT_CUE = /微信|威信|[Vv]信|[VvWw][Xx]|[Ww]e[Cc]hat|[Ww]eixin/;
const CASE_NO = /(?<![A-Za-z])[A-Za-z]{1,6}[-_]?\d{6}[\s\-_]?\d{4,}(?:[\s\-_]?\d)?(?!\d)/g;

// Words (matched on the width-folded view).
const AT = /(?:@|\s?[(\[](?:at|AT)[)\]]\s?)/;
const EMAIL = re(
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}/,
  AT,
  /[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4}(?![A-Za-z0-9-])/,
);
const WECHAT = re(
  /(?:微信号?|威信|V信|v信|(?<![A-Za-z])(?:[Vv][Xx]|[Ww][Xx]|[Ww]e[Cc]hat|[Ww]eixin)(?:\s?[Ii][Dd])?)/,
  /(?<sep>\s*(?:[:：]|是|为|号|号码|\s+is|\s+ID\s+is|\s+id\s+is)\s*|\s+|)/,
  /(?<v>(?<![A-Za-z0-9_-])[A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])/,
);
const PLATE = re(
  /(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]/,
  /[A-HJ-NP-Za-hj-np-z][\s·•・.-]?[A-HJ-NP-Za-hj-np-z0-9]{5,6}(?![A-Za-z0-9])/,
);

// Houses (digit view; 十/百 also count as digits in Chinese house numbers).
const N = "[0-9十百]{1,5}[A-Za-z]?";
const UNIT = "(?:号楼|号院|栋|幢|座|单元|室|户|号|楼|层|组|排|弄)";
const HOUSE = new RegExp(`${N}${UNIT}(?:[-－]?${N}${UNIT}){0,4}(?:[-－]?\\d{2,4}(?![0-9]))?`, "g");
const LETTER_HOUSE = /(?<![A-Za-z0-9])[A-Za-z](?:座|栋|幢|号楼)(?:[-－]?\d{1,5}(?:单元|室|号|层|楼))*[-－]?\d{2,5}(?![0-9])/g;
const ESTATE_DASH = /(?<=(?:小区|花园|苑|公寓|家园|新村|大厦|栋|幢)\s?)\d{1,3}-\d{1,2}(?:-\d{2,4})?(?![0-9-])/g;
const ROAD_BEFORE = /(?:路|街|道|巷|弄|里|胡同|大街|大道|村|屯|庄|小区|花园|苑|园|新村|社区|区)$/;
const EN_ROAD = "(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Alley|Way|Drive|Dr|Lu|Jie|Hutong)\\b";
const EN_HOUSE_ROAD = new RegExp(
  `(?<![A-Za-z0-9])(?:No\\.?\\s?|#)?(?<v>\\d{1,5}[A-Z]?)(?=,?\\s(?:[A-Z][a-z]+\\s){1,3}${EN_ROAD})`,
  "dg",
);
const EN_VILLAGE_GROUP = /\bGroup \d{1,2}(?= of [A-Z][a-z]+ Village)|(?<=\bVillage,? )Group \d{1,2}\b/g;
const EN_HOUSE_WORD = "(?:Building|Bldg\\.?|Block|Unit|[Rr]oom|Rm\\.?|Flat|Apt\\.?|Apartment|House)";
const EN_HOUSE_PARTS = new RegExp(
  `(?<![A-Za-z])(?:${EN_HOUSE_WORD}\\s?(?:No\\.?\\s?|#)?\\d{1,5}[A-Z]?(?:,\\s?|\\s)?)+`,
  "g",
);

// Names.
const ZH_NAME_CUE = new RegExp(
  "(?:我叫做?|俺叫|我姓\\p{Script=Han}{1,2}[，,\\s]*名?叫|我的名字[是叫]|名字[是叫]|本人|姓名|联系人|申请人|投诉人|" +
    "反映人|举报人)(?:是|为|叫)?[:：\\s]*",
  "gu",
);
// Cues after which only a common surname starts a name, and not a place or a kind of person (我是村民, 我是江苏人).
const STRICT_NAME_CUE = new RegExp(
  "(?:我是(?<of>\\p{Script=Han}{1,4}的)?|叫我(?<nick>[老小](?=\\p{Script=Han}))?|" +
    "(?:儿子|女儿|老伴|丈夫|妻子|爱人|老公|老婆|媳妇)(?:名叫|叫|是)?|" +
    "(?:村支书|支书|书记|村主任|主任|村长|镇长|乡长|县长|所长|站长|队长|组长|社长))[:：\\s]*",
  "gu",
);
const STRONG_CUES = /^(?:姓名|联系人|申请人|投诉人|反映人|举报人|我的名字|名字)/;
const EN_NAME = re(
  /(?:\b[Mm]y name is|\b[Nn]ame is|\b[Nn]ame:|\bI am|\bI'm|\bI’m|\b[Cc]ontact(?: person)?:)\s+/,
  /(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?(?<v>[A-Z][a-zA-Z'’-]+(?:[ -][A-Z][a-zA-Z'’-]+){0,2})/,
);

const HAN = /\p{Script=Han}/u;

/** One regular expression from pieces (so long rules fit on lines), with indices for named groups. */
const SPACED_NAME = /\p{Script=Han}(?: \p{Script=Han}){1,3}(?=$|[^\p{Script=Han} ]| [^\p{Script=Han}])/uy;

function re(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((p) => p.source).join(""), "dg");
}

/**
 * Finds the personal data in a resident's text: phone numbers, ID numbers, bank cards, e-mail,
 * QQ and WeChat ids, licence plates, names after a cue (我叫, 姓名, my name is…) and house numbers.
 * Use it to mask, count or highlight; `redactPersonalData` masks. Pure, linear in the text length.
 * Spans are sorted by `start` and never overlap. Dates, amounts, case numbers, hotlines (12345,
 * 110…), metro lines (3号线) and order numbers that fail the Luhn check are not personal data.
 * @example findPersonalData("我叫张伟，电话138 0000 1234") // [{kind:"name",start:2,end:4}, {kind:"phone",start:8,end:21}]
 */
export function findPersonalData(text: string): Span[] {
  const wide = foldWidth(text);
  const v: Views = { raw: text, wide, digits: foldDigits(wide) };
  const found: Candidate[] = [];
  const blocked: Array<[number, number]> = [];
  for (const m of v.wide.matchAll(CASE_NO)) if (isCaseNumber(m[0])) blocked.push([m.index, m.index + m[0].length]);
  numbers(v, found, blocked);
  words(v, found);
  houses(v, found);
  names(v, found);
  return resolve(found, blocked);
}

function numbers(v: Views, out: Candidate[], blocked: Array<[number, number]>): void {
  const d = v.digits;
  for (const m of d.matchAll(ID18)) if (validId(compact(m[0]))) out.push(at("id_number", m.index, m[0], 2));
  for (const m of d.matchAll(ID15)) if (validId(compact(m[0]))) out.push(at("id_number", m.index, m[0], 2));
  for (const m of d.matchAll(CARD)) {
    const digits = compact(m[0]);
    const orderLike = ORDER_CUE.test(v.wide.slice(Math.max(0, m.index - 16), m.index));
    const cued = CARD_CUE.test(v.wide.slice(Math.max(0, m.index - 12), m.index)) && !/(?:社保|医保)卡/.test(
      v.wide.slice(Math.max(0, m.index - 12), m.index),
    );
    if ((luhn(digits) || cued) && !orderLike) out.push(at("bank_card", m.index, m[0], 3));
    else blocked.push([m.index, m.index + m[0].length]); // an order or serial number: nothing inside is a phone
  }
  for (const m of d.matchAll(SOCIAL_CARD)) out.push(group("id_number", m, 2));
  for (const m of v.wide.matchAll(PASSPORT)) out.push(group("id_number", m, 2));
  for (const m of d.matchAll(OFFICER_ID)) out.push(group("id_number", m, 2));
  for (const m of d.matchAll(ID_PART)) out.push(group("id_number", m, 6));
  if (QQ_CUE.test(d)) for (const m of d.matchAll(QQ)) out.push(group("qq", m, 4));
  for (const m of d.matchAll(MOBILE)) out.push(at("phone", m.index, m[0], 5));
  for (const m of d.matchAll(MOBILE_PUNCT)) out.push(at("phone", m.index, m[0], 5));
  for (const m of d.matchAll(LANDLINE)) out.push(at("phone", m.index, m[0], 5));
  for (const m of d.matchAll(LOCAL_LANDLINE)) if (!looksLikeDate(compact(m.groups!.v!))) out.push(group("phone", m, 6));
}

function words(v: Views, out: Candidate[]): void {
  if (/@|[(\[](?:at|AT)[)\]]/.test(v.wide)) {
    for (const m of v.wide.matchAll(EMAIL)) if (/\.[A-Za-z]{2,}$/.test(m[0])) out.push(at("email", m.index, m[0], 1));
  }
  for (const m of WECHAT_CUE.test(v.wide) ? v.wide.matchAll(WECHAT) : []) {
    const id = m.groups!.v!;
    // After a bare space the id must look like one (a digit, _ or -), so "WeChat account" is not an id.
    if (m.groups!.sep === "" && !HAN.test(m[0]) && !/[\d_-]/.test(id)) continue;
    if (/^\s+$/.test(m.groups!.sep!) && !/[\d_-]/.test(id)) continue;
    out.push(group("wechat", m, 4));
  }
  for (const m of v.wide.matchAll(PLATE)) {
    if ((m[0].match(/\d/g) ?? []).length >= 2) out.push(at("plate", m.index, m[0], 7));
  }
}

function houses(v: Views, out: Candidate[]): void {
  const d = v.digits;
  for (const m of d.matchAll(HOUSE)) {
    const span = m[0];
    const before = d.slice(Math.max(0, m.index - 6), m.index);
    const after = d.charAt(m.index + span.length);
    if (/第$/.test(before) || /[月年日]$/.test(before) || /[\d.]$/.test(before)) continue;
    // 5号门 is a gate, 3号线 a metro line; 三组12号门口 is still the door of a house.
    if (/^[线路口床次位届期个台级]/.test(after) || (after === "门" && d.charAt(m.index + span.length + 1) !== "口")) continue;
    if (houseLike(span, before, after)) out.push(at("house", m.index, span, 8));
  }
  for (const m of d.matchAll(LETTER_HOUSE)) out.push(at("house", m.index, m[0], 8));
  for (const m of d.matchAll(ESTATE_DASH)) out.push(at("house", m.index, m[0], 8));
  for (const m of v.wide.matchAll(EN_HOUSE_ROAD)) out.push(group("house", m, 8));
  for (const m of v.wide.matchAll(EN_VILLAGE_GROUP)) out.push(at("house", m.index, m[0], 8));
  for (const m of v.wide.matchAll(EN_HOUSE_PARTS)) {
    const span = m[0].replace(/[,\s]+$/, "");
    if (/\d/.test(span)) out.push(at("house", m.index, span, 8));
  }
}

/** Whether a run of numbered units (5栋2单元301室, 三组12号, 88号) is an address rather than a date or a count. */
function houseLike(span: string, before: string, after: string): boolean {
  const units = span.match(/号楼|号院|栋|幢|座|单元|室|户|号|楼|层|组|排|弄/g) ?? [];
  if (units.length >= 2) return units.some((u) => u !== "楼" && u !== "层") || /\d{2,4}$/.test(span);
  const unit = units[0];
  // 一共3栋楼, 有5栋楼: a count of buildings, not an address.
  if ((unit === "栋" || unit === "幢") && (/(?:共|有|了|盖|建|拆|剩|每|这|那)$/.test(before) || /^楼(?![0-9])/.test(after))) {
    return false;
  }
  if (unit === "座") return /\d{2,4}$/.test(span);
  if (unit === "栋" || unit === "幢" || unit === "单元" || unit === "号楼" || unit === "号院") return true;
  if (unit === "室") return /\d{3,}/.test(span) && after !== "厅";
  if (unit === "号" || unit === "弄") return ROAD_BEFORE.test(before) || /^[楼院房]/.test(after);
  if (unit === "组") return /(?:村|社区|屯|队)$/.test(before);
  return false;
}

function names(v: Views, out: Candidate[]): void {
  const t = v.wide;
  for (const m of t.matchAll(ZH_NAME_CUE)) {
    const start = m.index + m[0].length;
    const strong = STRONG_CUES.test(m[0]);
    const len = spacedNameLength(t, start) || zhNameLength(t, start, strong);
    if (len > 0) out.push({ kind: "name", start, end: start + len, rank: 9 });
  }
  for (const m of t.matchAll(STRICT_NAME_CUE)) {
    const end = m.index + m[0].length;
    const starts = m.groups!.of ? [end, end - m[0].replace(/^我是/, "").length] : [end];
    for (const start of starts) {
      const len = m.groups!.nick ? nickLength(t, start) : strictNameLength(t, start);
      if (len > 0) out.push({ kind: "name", start: m.groups!.nick ? start - 1 : start, end: start + len, rank: 9 });
    }
  }
  for (const m of t.matchAll(EN_NAME)) {
    const name = m.groups!.v!;
    const words = name.split(/[ -]/);
    if (NOT_EN_NAMES.has(words[0]!)) continue;
    // Stop at the first word that is not a name part (I am Wang From…): keep the leading name words.
    let keep = name;
    const bad = words.findIndex((w) => NOT_EN_NAMES.has(w));
    if (bad > 0) keep = words.slice(0, bad).join(" ");
    const start = m.indices!.groups!.v![0];
    out.push({ kind: "name", start, end: start + keep.length, rank: 9 });
  }
}

/** 王 小 明: a name typed with spaces between its characters (starting with a surname). */
function spacedNameLength(t: string, i: number): number {
  SPACED_NAME.lastIndex = i;
  const m = SPACED_NAME.exec(t);
  if (!m || !SURNAMES.has(m[0].charAt(0))) return 0;
  return [...m[0].replace(/ /g, "").slice(1)].some((c) => NAME_STOP.has(c)) ? 0 : m[0].length;
}

/** After 叫我老/小: the surname alone (叫我老张就行), or a surname and 1–2 characters as usual. */
function nickLength(t: string, i: number): number {
  return SURNAMES.has(t.charAt(i)) && !NOT_NAMES.some((w) => t.startsWith(w, i)) ? 1 : 0;
}

/** A name after a weak cue (我是, 叫我, 儿子, 村支书): a surname, no place or kind of person (江苏人, 吕家庄). */
function strictNameLength(t: string, i: number): number {
  const len = zhNameLength(t, i, false);
  if (len === 0) return 0;
  const name = t.slice(i, i + len);
  const place = [...name.slice(1)].some((c) => PLACE_SUFFIX.has(c) || c === "家" || c === "人");
  return place || t.charAt(i + len) === "人" ? 0 : len;
}

/** Length of a Chinese name starting at `i`, or 0 when what follows the cue is not a name. */
function zhNameLength(t: string, i: number, strong: boolean): number {
  const compound = COMPOUND_SURNAMES.some((s) => t.startsWith(s, i));
  const first = t.charAt(i);
  if (!compound && !SURNAMES.has(first) && !(strong && HAN.test(first) && !NAME_STOP.has(first))) return 0;
  const max = compound ? 4 : 3;
  let n = compound ? 2 : 1;
  while (n < max && HAN.test(t.charAt(i + n)) && (!NAME_STOP.has(t.charAt(i + n)) || numeralInName(t, i + n))) n++;
  if (n < 2) return 0;
  const name = t.slice(i, i + n);
  if (NOT_NAMES.some((w) => name.startsWith(w)) || name.charAt(1) === "某") return 0;
  if (PLACE_SUFFIX.has(t.charAt(i + n))) return 0;
  return n;
}

/** 张三, 李二狗: a numeral inside a name, not one that counts or numbers something (三组, 五个, 二十). */
function numeralInName(t: string, j: number): boolean {
  return /[二三四五六七八九]/.test(t.charAt(j)) && !/[0-9一二三四五六七八九十百千万两组号栋幢楼层单元室户队个年月日岁次口天位名人件亩元块]/
    .test(t.charAt(j + 1));
}

function resolve(found: Candidate[], blocked: Array<[number, number]>): Span[] {
  found.sort((a, b) => a.rank - b.rank || a.start - b.start || b.end - a.end);
  const taken: Span[] = [];
  const overlaps = (s: number, e: number, list: ReadonlyArray<{ start: number; end: number }>) =>
    list.some((x) => s < x.end && x.start < e);
  const blocks = blocked.map(([start, end]) => ({ start, end }));
  for (const c of found) {
    if (c.end <= c.start || overlaps(c.start, c.end, taken)) continue;
    // A case or order number hides numbers, not names or addresses next to it.
    if ((c.kind === "phone" || c.kind === "qq") && overlaps(c.start, c.end, blocks)) continue;
    taken.push({ kind: c.kind, start: c.start, end: c.end });
  }
  return taken.sort((a, b) => a.start - b.start);
}

const at = (kind: PersonalDataKind, start: number, value: string, rank: number): Candidate => ({
  kind, start, end: start + value.length, rank,
});

function group(kind: PersonalDataKind, m: RegExpMatchArray, rank: number): Candidate {
  const [start, end] = m.indices!.groups!.v!;
  return { kind, start, end, rank };
}

const compact = (s: string): string => s.replace(/[^0-9Xx]/g, "");

/** The Luhn check used by bank cards. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}

/** A resident ID number's shape: a region code, a real birth date, 3 digits and a check character. */
function validId(id: string): boolean {
  if (!/^[1-8]\d{5}/.test(id)) return false;
  const birth = id.length === 18 ? id.slice(6, 14) : `19${id.slice(6, 12)}`;
  if (id.length === 18 && !/^(?:19|20)/.test(birth)) return false;
  if (id.length === 15 && /[Xx]/.test(id)) return false;
  return looksLikeDate(birth);
}

/** A case number (XF-261129-0073-7): a plausible date and a valid Damm check digit (not a phone after a word). */
function isCaseNumber(s: string): boolean {
  const digits = s.replace(/\D/g, "");
  if (/^(?:QQ|qq|VX|vx|WX|wx|TEL|Tel|tel)/.test(s)) return false;
  return looksLikeDate(`20${digits.slice(0, 6)}`) && dammDigit(digits) === 0;
}

function looksLikeDate(ymd: string): boolean {
  if (ymd.length !== 8) return false;
  const y = Number(ymd.slice(0, 4));
  const mo = Number(ymd.slice(4, 6));
  const day = Number(ymd.slice(6, 8));
  return y >= 1900 && y <= 2099 && mo >= 1 && mo <= 12 && day >= 1 && day <= 31;
}
