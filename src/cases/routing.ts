import type { Category } from "../domain/index.js";

/** A responsible unit as routing sees it. */
export interface RoutedUnit {
  id: string;
  name: string;
  nameEn: string | null;
  categories: string[];
  isDutyDesk: boolean;
}

/**
 * Routing of a category to its responsible unit. Routing is data (units and the categories
 * each handles, from config/units.default.json or an imported file), not code: the first unit
 * listing the category wins; `other`, or a category no unit lists, goes to the duty desk.
 */
export function routeCategory(category: Category, units: readonly RoutedUnit[]): RoutedUnit | null {
  const duty = units.find((u) => u.isDutyDesk) ?? null;
  if (category === "other") return duty;
  return units.find((u) => !u.isDutyDesk && u.categories.includes(category)) ?? duty;
}
