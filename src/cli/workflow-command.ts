import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import {
  CadreAlreadyRevokedError, CadreNotFoundError, ConcurrentTransitionError, actorById, importUnits, listCadres,
  revokeCadre, type CaseWorkflow,
} from "../cases/index.js";
import { type CadreDesk } from "../chat/index.js";
import { CaseRepository } from "../cases/index.js";
import type { Db } from "../db/database.js";
import {
  ActionRefusedError, CaseNotFoundError, ForbiddenActionError, InvalidCaseNumberError, InvalidTransitionError, TRANSITIONS, isCadreRole,
  parseCaseNumber, type CadreRole, type CaseAction,
} from "../domain/index.js";
import { localTime, type CliIo } from "./cases-command.js";


/** `petition-bot units import FILE`: units, the categories and towns/villages each handles, and their groups (YAML or JSON). */
export async function unitsImport(db: Db, file: string, opts: { json?: boolean }, io: CliIo): Promise<void> {
  let raw: unknown;
  try {
    const text = readFileSync(file, "utf8");
    raw = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    io.err(`${file}: ${(err as Error).message.split("\n")[0]}\n`);
    return io.exitCode(1);
  }
  const result = await importUnits(db, raw);
  if (!result.ok) {
    io.err(`${file}: ${result.error}\n`);
    return io.exitCode(1);
  }
  for (const w of result.warnings) io.err(`warning: ${w}\n`);
  const ids = result.imported;
  if (opts.json) return io.out(`${JSON.stringify({ imported: ids })}\n`);
  io.out(`imported ${ids.length} units: ${ids.join(", ")}\n`);
}

/** `petition-bot units list`. */
export async function unitsList(db: Db, opts: { json?: boolean }, io: CliIo): Promise<void> {
  const units = await new CaseRepository(db).units();
  if (opts.json) return io.out(`${JSON.stringify(units, null, 2)}\n`);
  for (const u of units) io.out(`${u.id.padEnd(24)} ${u.isDutyDesk ? "[duty desk] " : ""}${u.name}  ${u.categories.join(",")}${u.areas?.length ? `  areas: ${u.areas.join(",")}` : ""}\n`);
}

/** `petition-bot cadres invite --unit ID [--role R]`: a one-time code for `/bind CODE`. */
export async function cadresInvite(cadres: CadreDesk, opts: { unit: string; role: string; name?: string; ttlHours: string; json?: boolean }, io: CliIo, timeZone = "Asia/Shanghai"): Promise<void> {
  const ttl = Number(opts.ttlHours);
  if (!isCadreRole(opts.role)) {
    io.err("--role: must be handler, leader or supervisor\n");
    return io.exitCode(1);
  }
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 24 * 30) {
    io.err("--ttl-hours: must be a number of hours from 1 to 720\n");
    return io.exitCode(1);
  }
  try {
    const { code, expiresAt } = await cadres.invite(opts.unit, opts.role as CadreRole, opts.name, ttl);
    if (opts.json) return io.out(`${JSON.stringify({ code, unit: opts.unit, role: opts.role, expiresAt: expiresAt.toISOString() })}\n`);
    io.out(`code ${code} — the cadre sends "/bind ${code}" to the bot (Telegram, WeChat, web or terminal chat); valid until ${localTime(expiresAt.toISOString(), timeZone)} (${timeZone}), once\n`);
  } catch (err) {
    io.err(`${(err as Error).message}\n`);
    io.exitCode(1);
  }
}

/** `petition-bot cadres list [--json]`: every cadre account, bound or not, with a masked chat id. */
export async function cadresList(
  db: Db, opts: { json?: boolean }, io: CliIo, timeZone = "Asia/Shanghai",
): Promise<void> {
  const cadres = await listCadres(db);
  if (opts.json) return io.out(`${JSON.stringify(cadres, null, 2)}\n`);
  if (cadres.length === 0) return io.out("no cadres yet (petition-bot cadres invite --unit ID)\n");
  for (const c of cadres) {
    const state = c.revokedAt
      ? `revoked ${localTime(c.revokedAt, timeZone)}`
      : c.bound ? `bound ${c.channel} ${c.externalIdMasked}` : "not bound";
    const created = localTime(c.createdAt, timeZone);
    io.out(`${c.id.padEnd(18)} ${c.unitId.padEnd(22)} ${c.role.padEnd(10)} ${c.name}  ${state}  created ${created}\n`);
  }
}

/**
 * `petition-bot cadres revoke <id> [--actor ID] [--json]`: unbinds the cadre's chat, drops the
 * notifications waiting for it, releases their open cases to the unit, writes an audit row.
 * Unknown or already revoked id: exit 1 with a message naming it.
 */
export async function cadresRevoke(
  db: Db, id: string, opts: { actor: string; json?: boolean }, io: CliIo,
): Promise<void> {
  try {
    const r = await revokeCadre(db, id, opts.actor);
    if (opts.json) return io.out(`${JSON.stringify(r)}\n`);
    const cases = r.releasedCases.length ? `; open cases released to the unit: ${r.releasedCases.join(", ")}` : "";
    io.out(`${id}: revoked; ${r.droppedNotifications} pending notification(s) will not be sent${cases}\n`);
  } catch (err) {
    if (!(err instanceof CadreNotFoundError || err instanceof CadreAlreadyRevokedError)) throw err;
    io.err(`${err.message}\n`);
    io.exitCode(1);
  }
}

/** The case number and the acting operator or cadre of a case command; null (and exit code 1) for a bad number. */
async function caseAndActor(db: Db, caseNoInput: string, actorId: string, io: CliIo) {
  try {
    return { caseNo: parseCaseNumber(caseNoInput), actor: await actorById(db, actorId) };
  } catch (err) {
    if (!(err instanceof InvalidCaseNumberError)) throw err;
    io.err(`${err.message}\n`);
    io.exitCode(1);
    return null;
  }
}

/** `petition-bot cases transition <no> <action>`: an operator (or, with --actor, a cadre) moves a case. */
export async function casesTransition(app: { workflow: CaseWorkflow; db: Db }, caseNoInput: string, actionInput: string, opts: { note?: string; actor: string; days?: string; unit?: string; json?: boolean }, io: CliIo): Promise<void> {
  const actions = [...new Set(Object.values(TRANSITIONS).flatMap((t) => Object.keys(t)))];
  if (!actions.includes(actionInput)) {
    io.err(`unknown action "${actionInput}"; one of: ${actions.join(", ")}\n`);
    return io.exitCode(1);
  }
  const target = await caseAndActor(app.db, caseNoInput, opts.actor, io);
  if (!target) return;
  const { caseNo, actor } = target;
  try {
    const r = await app.workflow.transition(caseNo, actionInput as CaseAction, actor, { note: opts.note, days: opts.days ? Number(opts.days) : undefined, unitId: opts.unit });
    if (opts.json) return io.out(`${JSON.stringify(r)}\n`);
    io.out(`${r.caseNo}: ${r.from} → ${r.to} (${r.notifications} notification${r.notifications === 1 ? "" : "s"} queued)\n`);
  } catch (err) {
    if (err instanceof CaseNotFoundError || err instanceof ForbiddenActionError || err instanceof InvalidTransitionError || err instanceof ActionRefusedError || err instanceof ConcurrentTransitionError) {
      io.err(`${err.message}\n`);
      return io.exitCode(1);
    }
    throw err;
  }
}

/** `petition-bot cases supervise|unsupervise <caseNo> [--note reason] [--actor id]`: the supervision list (挂牌督办). */
export async function casesSupervise(app: { workflow: CaseWorkflow; db: Db }, caseNoInput: string, listed: boolean, opts: { note?: string; actor: string; json?: boolean }, io: CliIo): Promise<void> {
  const target = await caseAndActor(app.db, caseNoInput, opts.actor, io);
  if (!target) return;
  const { caseNo, actor } = target;
  try {
    const changed = await app.workflow.setSupervision(caseNo, listed, actor, opts.note ?? null);
    if (opts.json) return io.out(`${JSON.stringify({ caseNo, supervised: listed, changed })}\n`);
    io.out(`${caseNo}: ${changed ? (listed ? "listed for supervision" : "taken off the supervision list") : listed ? "already listed" : "was not listed"}\n`);
  } catch (err) {
    if (err instanceof CaseNotFoundError || err instanceof ForbiddenActionError) {
      io.err(`${err.message}\n`);
      return io.exitCode(1);
    }
    throw err;
  }
}
