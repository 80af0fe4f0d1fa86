import { parseRoughNumber } from "./chinese-number.js";

/** How many people a resident says are affected, as found in their words. */
export interface FoundPeople {
  /** The words that say it: "两百多户", "全村", "200 families". */
  text: string;
  /** The number given (households or people; vague numbers at their lower bound); absent for 全村, "all residents". */
  count?: number;
  /** True when many are affected (群体性): a count of at least {@link MANY_PEOPLE}, or a whole group. */
  many: boolean;
}

/** From this many households or people a matter counts as affecting many (red, DESIGN.md "Three-colour"). */
export const MANY_PEOPLE = 10;

// A number, exact or vague: 200, 两百多, 几十, 上百, 好几百, 十几.
const CN_AMOUNT = "(?:\\d+|好几|[几数]|上)?[零〇一二两三四五六七八九十百千万几]*[十百千万](?:多|余|来)?|\\d+多?|[一二两三四五六七八九十几]+";
// Counters of people and households; "家" only for households (not 一家人 "my family" alone).
const CN_PEOPLE = "(?:户|名|位|口人|个?(?:人|工人|村民|居民|农户|家庭|学生|老人|业主|住户|职工|员工|农民工)|家(?:人|住户)?)";
const PEOPLE_CN = new RegExp(`(${CN_AMOUNT})\\s*${CN_PEOPLE}(?![民行道])`, "gu");
const WHOLE_GROUP = /全村|全组|全屯|全小区|整栋楼|整栋|整个小区|整个村|集体|群体|联名|大家都|村民们|工人们|居民们|业主们/;
const EN_COUNT = "\\d+|dozens|hundreds|thousands|scores|twenty|thirty|forty|fifty|a hundred|over a hundred";
const PEOPLE_EN = new RegExp(
  `\\b(?:(${EN_COUNT})\\s+(?:of\\s+)?` +
    "(?:families|households|people|residents|villagers|workers|tenants|students|farmers))\\b",
  "i",
);
const WHOLE_GROUP_EN = new RegExp(
  "\\bthe whole (?:village|building|street|estate|community)\\b|" +
    "\\ball (?:the )?(?:residents|villagers|workers|tenants|households|families)\\b",
  "i",
);
const EN_WORD_COUNT: Record<string, number> = {
  dozens: 24, hundreds: 200, thousands: 2000, scores: 40, twenty: 20, thirty: 30, forty: 40, fifty: 50,
  "a hundred": 100, "over a hundred": 100,
};

/**
 * Finds how many people the text says are affected: "两百多户" (200, many), "上百人", "几十户", "全村",
 * "200 families", "the whole village"; "三个人" is found but not many. Money is not people: "好几百",
 * "两万多", "几百块", "3000元" have no people counter and are not found. The one rule for "many people"
 * behind the red colour (colour.ts) and the entity module (src/nlu/entities.ts).
 */
export function findPeople(text: string): FoundPeople | undefined {
  const t = text.normalize("NFKC");
  const whole = WHOLE_GROUP.exec(t) ?? WHOLE_GROUP_EN.exec(t);
  let best: FoundPeople | undefined = whole ? { text: whole[0], many: true } : undefined;
  for (const m of t.matchAll(PEOPLE_CN)) {
    const n = parseRoughNumber(m[1]!);
    if (!n || n.value <= 0) continue;
    const found = { text: m[0], count: n.value, many: n.value >= MANY_PEOPLE };
    if (!best || (found.many && !best.many) || (!best.many && (best.count ?? 0) < n.value)) best = found;
  }
  const en = PEOPLE_EN.exec(t);
  if (en) {
    const w = en[1]!.toLowerCase();
    const count = /^\d+$/.test(w) ? Number(w) : EN_WORD_COUNT[w] ?? 0;
    if (count > 0 && (!best || (!best.many && count >= MANY_PEOPLE))) {
      best = { text: en[0], count, many: count >= MANY_PEOPLE };
    }
  }
  return best;
}
