import type { Db } from "../db/database.js";
import type { Actor, CadreRole } from "../domain/index.js";
import { CaseRepository } from "./case-repository.js";
import { parseUnitsFile } from "./units-file.js";

/** What {@link importUnits} did: the ids imported and warnings, or why nothing was imported. */
export type UnitsImportResult = { ok: true; imported: string[]; warnings: string[] } | { ok: false; error: string };

/**
 * Imports units (the parsed content of a units file, YAML or JSON) — the one import behind
 * `petition-bot units import` and `POST /admin/api/units`. Refuses a file that breaks
 * parseUnitsFile or would leave other than exactly one duty desk; warns when another unit
 * already handles one of the file's categories district-wide. All or nothing.
 */
export async function importUnits(db: Db, raw: unknown): Promise<UnitsImportResult> {
  const parsed = parseUnitsFile(raw);
  if (!parsed.ok) return parsed;
  const units = parsed.units;
  const seen = new Set(units.map((u) => u.id));
  // Exactly one duty desk after the import, counting units already in the database.
  const others = await db.unit.findMany({ where: { isDutyDesk: true, id: { notIn: units.map((u) => u.id) } }, select: { id: true } });
  const desks = [...others.map((u) => u.id), ...units.filter((u) => u.isDutyDesk).map((u) => u.id)];
  if (desks.length !== 1) {
    return { ok: false, error: `there must be exactly one duty desk (isDutyDesk: true) after the import; there would be ${desks.length}${desks.length ? ` (${desks.join(", ")})` : ""}` };
  }
  const repository = new CaseRepository(db);
  const warnings: string[] = [];
  const existing = await repository.units();
  for (const u of units) for (const c of u.categories) {
    const clash = existing.find((e) => !seen.has(e.id) && !e.isDutyDesk && e.categories.includes(c) && (e.areas ?? []).length === 0 && (u.areas ?? []).length === 0);
    if (clash) warnings.push(`category ${c} is also handled district-wide by ${clash.id}; the first unit in id order gets such cases`);
  }
  await repository.upsertUnits(units);
  return { ok: true, imported: units.map((u) => u.id), warnings };
}

/**
 * Who acts for an operator tool (CLI `--actor`, admin API `actor`): the cadre with that id when
 * there is one — then the cadre's permissions apply — otherwise an operator of that name.
 */
export async function actorById(db: Db, id: string): Promise<Actor> {
  const cadre = await db.cadre.findUnique({ where: { id } });
  return cadre ? { kind: "cadre", cadreId: cadre.id, unitId: cadre.unitId, role: cadre.role as CadreRole, name: cadre.name } : { kind: "operator", id };
}
