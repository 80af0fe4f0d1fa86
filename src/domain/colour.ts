import { findPeople } from "./affected-people.js";
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

const DANGER_WORDS = /着火|起火|爆炸|漏气|煤气味|燃气泄漏|坍塌|塌了|快塌|倒塌|触电|危房|溺水|有人受伤|死人|自杀|跳楼|urgent|emergency|fire|explosion|gas leak|collaps|electrocut|injur/i;

/**
 * Suggests a colour from the category and the resident's words: many people affected → red (the
 * rule of {@link findPeople}: "几百户" and "上百人" are people, "好几百" and "两万多" are money);
 * danger to life → green (the fastest clock, reported back on day 1); a usually complex
 * category → yellow; otherwise green.
 */
export function suggestColour(category: Category, text: string): Colour {
  if (findPeople(text)?.many) return "red";
  if (DANGER_WORDS.test(text)) return "green";
  if (COMPLEX_CATEGORIES.has(category)) return "yellow";
  return "green";
}
