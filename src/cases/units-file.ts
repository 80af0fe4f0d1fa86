import { z } from "zod";
import { CATEGORIES } from "../domain/index.js";
import type { RoutedUnit } from "./routing.js";

// The units file: units, the categories and towns/villages each handles, and their groups.
// Unknown keys are refused (a misspelled "aeras" must not silently drop a unit's routing).
const UnitsFile = z.object({
  _comment: z.string().optional(),
  units: z.array(z.object({
    id: z.string().regex(/^[a-z0-9_-]{2,40}$/, "id: 2–40 of a-z 0-9 _ -"),
    name: z.string().min(1),
    nameEn: z.string().optional(),
    categories: z.array(z.enum(CATEGORIES)).default([]),
    areas: z.array(z.string().min(1)).default([]),
    isDutyDesk: z.boolean().default(false),
    /** Id of the level above (reviews, repeat visits); must be a unit of the same file or already loaded. */
    parent: z.string().regex(/^[a-z0-9_-]{2,40}$/, "parent: a unit id").optional(),
    chatTargets: z.array(z.object({ channel: z.enum(["telegram", "wechat"]), chatId: z.union([z.string(), z.number()]).transform(String), locale: z.enum(["zh-CN", "en"]).optional() }).strict()).default([]),
  }).strict()).min(1),
}).strict();

/**
 * Validates a units file's parsed content (YAML or JSON) — the one check for the shipped default
 * (config/units.default.json) and for `petition-bot units import`. Duplicate ids are refused.
 * Returns the units, or the first problem as "path: message".
 */
export function parseUnitsFile(raw: unknown): { ok: true; units: RoutedUnit[] } | { ok: false; error: string } {
  const parsed = UnitsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join(".")}: ${issue.message}` };
  }
  const seen = new Set<string>();
  for (const u of parsed.data.units) {
    if (seen.has(u.id)) return { ok: false, error: `unit id "${u.id}" appears twice` };
    seen.add(u.id);
  }
  for (const u of parsed.data.units) if (u.parent === u.id) return { ok: false, error: `unit "${u.id}" cannot be its own parent` };
  return { ok: true, units: parsed.data.units.map((u) => ({ ...u, nameEn: u.nameEn ?? null })) };
}
