/** Locales the bot speaks; zh-CN is the default. */
export const LOCALES = ["zh-CN", "en"] as const;
/** A locale id the bot speaks. */
export type Locale = (typeof LOCALES)[number];

/** True when `value` is a supported locale id. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
