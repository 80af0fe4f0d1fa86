import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n as I18n } from "i18next";

import { LOCALES, type Locale } from "./domain/locale.js";

export { LOCALES, isLocale, type Locale } from "./domain/locale.js";

/** A unit's name in `locale`: the English name for en when it has one, else the Chinese; null without a unit. */
export function localName(unit: { name: string; nameEn: string | null } | null | undefined, locale: Locale): string | null {
  return unit ? (locale === "en" ? unit.nameEn ?? unit.name : unit.name) : null;
}

/** Translates `key` with `{{var}}` interpolation; unknown keys return the key itself. */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/**
 * All user-facing text, loaded from locales/<locale>.json with i18next. Use `t(locale)` for a
 * translator and `list(locale, key)` for arrays (e.g. command keywords).
 */
export class Texts {
  private constructor(private readonly i18n: I18n) {}

  /** Loads every locales/*.json under `dir`. Throws when a file is not valid JSON. */
  static async load(dir: string): Promise<Texts> {
    const resources: Record<string, { translation: Record<string, unknown> }> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      resources[file.slice(0, -5)] = { translation: JSON.parse(readFileSync(join(dir, file), "utf8")) };
    }
    const i18n = i18next.createInstance();
    await i18n.init({
      resources,
      lng: "zh-CN",
      fallbackLng: "zh-CN",
      interpolation: { escapeValue: false },
      returnNull: false,
    });
    return new Texts(i18n);
  }

  /** A translator bound to `locale`. */
  t(locale: Locale): Translate {
    const fixed = this.i18n.getFixedT(locale);
    return (key, vars) => fixed(key, vars ?? {}) as string;
  }

  /** True when `key` has a text in `locale`. */
  has(locale: Locale, key: string): boolean {
    return this.i18n.exists(key, { lng: locale, fallbackLng: false });
  }

  /** An array value (e.g. `commands.cancel`) in `locale`; [] when missing. */
  list(locale: Locale, key: string): string[] {
    const v = this.i18n.getFixedT(locale)(key, { returnObjects: true });
    return Array.isArray(v) ? (v as string[]) : [];
  }
}
