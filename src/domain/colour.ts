import type { Category } from "./categories.js";

/**
 * Three-colour handling (三色分类), local practice: green matters are simple and reported
 * back on working day 1 after assignment, yellow on day 3, red (complex or affecting many
 * people) on day 7. The colour is suggested at intake and a cadre may change it.
 */
export const COLOURS = ["green", "yellow", "red"] as const;
export type Colour = (typeof COLOURS)[number];

/** Working days from assignment to the colour deadline. Source: DESIGN.md "Three-colour handling". */
export const COLOUR_WORKING_DAYS: Readonly<Record<Colour, number>> = { green: 1, yellow: 3, red: 7 };

/** Categories whose matters are usually complex (several parties, money, records to check). */
const COMPLEX_CATEGORIES: ReadonlySet<Category> = new Set(["land_demolition", "law_litigation", "grassroots_integrity"]);

// Words that say many people are affected (群体性) or life is at stake.
const MASS_WORDS = /全村|全组|全小区|整栋|几十户|上百|数百|好几百|集体|群体|联名|大家都|村民们|工人们|\d{2,}\s*(户|人|名|家)|[一二三四五六七八九几两]?[十百千]多?(户|人|名|家|个工人|位)|dozens of|hundreds of|the whole (village|building|street)|all (the )?(residents|villagers|workers)|\b\d{2,} (families|households|people|workers)\b/i;
const DANGER_WORDS = /着火|起火|爆炸|漏气|煤气味|燃气泄漏|坍塌|塌了|快塌|倒塌|触电|危房|溺水|有人受伤|死人|自杀|跳楼|urgent|emergency|fire|explosion|gas leak|collaps|electrocut|injur/i;

/**
 * Suggests a colour from the category and the resident's words: many people affected → red;
 * danger to life → green (the fastest clock, reported back on day 1); a usually complex
 * category → yellow; otherwise green.
 */
export function suggestColour(category: Category, text: string): Colour {
  if (MASS_WORDS.test(text)) return "red";
  if (DANGER_WORDS.test(text)) return "green";
  if (COMPLEX_CATEGORIES.has(category)) return "yellow";
  return "green";
}
