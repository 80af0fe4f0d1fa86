/**
 * Reception categories (接待类别): the district's reception rooms. Ids are code; labels
 * come from locales/ (`category.<id>`). A deployment may replace the list from config.
 * Source: DESIGN.md "Reception categories".
 */
export const CATEGORIES = [
  "land_demolition", // 征地拆迁
  "safety_environment", // 安全生产与环境保护
  "labor_social_security", // 劳动和社会保障
  "grassroots_integrity", // 基层组织建设与党风廉政
  "agri_forestry_water", // 农林水利
  "transport", // 交通基础设施
  "law_litigation", // 涉法涉诉
  "other", // 其他 — goes to the duty desk
] as const;

/** One reception category id, e.g. `"transport"`. */
export type Category = (typeof CATEGORIES)[number];

/** The category of matters no unit claims; routed to the duty desk (值班台). */
export const OTHER_CATEGORY: Category = "other";

/** True when `value` is a known category id. Use to validate input from users, files and APIs. */
export function isCategory(value: unknown): value is Category {
  return typeof value === "string" && (CATEGORIES as readonly string[]).includes(value);
}
