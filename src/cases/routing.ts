import type { Category } from "../domain/index.js";

/** A responsible unit as routing sees it. */
export interface RoutedUnit {
  id: string;
  name: string;
  nameEn: string | null;
  categories: string[];
  /** Towns/villages the unit handles; empty = the whole district. */
  areas?: string[];
  /** Chat targets (unit groups) for notifications. */
  chatTargets?: Array<{ channel: string; chatId: string; locale?: string }>;
  isDutyDesk: boolean;
  /** The level above (上一级) by unit id: reviews (复查) and repeat visits go there; none = the duty desk. */
  parent?: string;
}

/**
 * Routing of a category (and the place, when known) to its responsible unit. Routing is data
 * (units, the categories and towns/villages each handles — config/units.default.json or an
 * imported file), not code: a unit that handles the category *and* names a town or village
 * found in the place wins; then a unit that handles the category district-wide; then any unit
 * that handles it. `other`, or a category no unit lists, goes to the duty desk.
 */
export function routeCategory(category: Category, units: readonly RoutedUnit[], place?: string | null): RoutedUnit | null {
  const duty = units.find((u) => u.isDutyDesk) ?? null;
  if (category === "other") return duty;
  const handling = units.filter((u) => !u.isDutyDesk && u.categories.includes(category));
  const local = place ? handling.find((u) => (u.areas ?? []).some((a) => a && place.includes(a))) : undefined;
  return local ?? handling.find((u) => (u.areas ?? []).length === 0) ?? handling[0] ?? duty;
}
