import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import { OPEN_STATES } from "../domain/index.js";

/** One cadre account as operators see it (`cadres list`, GET /admin/api/cadres). */
export interface CadreAccount {
  id: string;
  unitId: string;
  /** handler | leader | supervisor */
  role: string;
  name: string;
  /** Channel of the bound chat (telegram, wechat, web, terminal); null when not bound. */
  channel: string | null;
  /** Whether a chat is bound to the account (false after a revoke or a web logout). */
  bound: boolean;
  /** The chat identity with all but its first and last two characters hidden; null when not bound. */
  externalIdMasked: string | null;
  /** ISO instant (UTC) the account was created (the invite was used). */
  createdAt: string;
  /** ISO instant (UTC) an administrator revoked it; null when not revoked. */
  revokedAt: string | null;
}

/** What {@link revokeCadre} did. */
export interface RevokeResult {
  cadreId: string;
  /** Pending notifications to the cadre's chat that will not be sent. */
  droppedNotifications: number;
  /** Open cases the cadre owned; they stay with the unit, without an owner, for any of its cadres to take. */
  releasedCases: string[];
}

/** No cadre has this id. */
export class CadreNotFoundError extends Error {
  readonly code = "CADRE.NOT_FOUND";
  constructor(readonly cadreId: string) {
    super(`no cadre "${cadreId}" (see cadres list)`);
    this.name = "CadreNotFoundError";
  }
}

/** The cadre was revoked before; a revoke happens once. */
export class CadreAlreadyRevokedError extends Error {
  readonly code = "CADRE.ALREADY_REVOKED";
  constructor(readonly cadreId: string, readonly revokedAt: Date) {
    super(`cadre "${cadreId}" was already revoked at ${revokedAt.toISOString()}`);
    this.name = "CadreAlreadyRevokedError";
  }
}

/** Hides a chat identity (a Telegram user id, a web session id) but for its ends: "77…01". */
export function maskExternalId(id: string | null): string | null {
  if (!id) return null;
  return id.length <= 6 ? "…" : `${id.slice(0, 2)}…${id.slice(-2)}`;
}

/** Every cadre account, by unit then name. */
export async function listCadres(db: Db): Promise<CadreAccount[]> {
  const rows = await db.cadre.findMany({ orderBy: [{ unitId: "asc" }, { name: "asc" }, { id: "asc" }] });
  return rows.map((c) => ({
    id: c.id, unitId: c.unitId, role: c.role, name: c.name, channel: c.channel,
    bound: Boolean(c.channel && c.externalId), externalIdMasked: maskExternalId(c.externalId),
    createdAt: c.createdAt.toISOString(), revokedAt: c.revokedAt?.toISOString() ?? null,
  }));
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Unbinds a cadre's chat inside `tx`: the chat is a resident's (or anonymous) from then on,
 * pending `cadre.*` notifications to it are marked failed (never sent) and a half-typed
 * cadre action (the cadre desk's pending note) is forgotten.
 */
interface Binding { id: string; channel: string | null; externalId: string | null; chatId: string | null }

async function unbind(tx: Tx, c: Binding, reason: string, data: { revokedAt?: Date } = {}): Promise<number> {
  await tx.cadre.update({ where: { id: c.id }, data: { channel: null, externalId: null, chatId: null, ...data } });
  if (c.channel && c.externalId) {
    await tx.dialogSession.deleteMany({ where: { key: `cadre:${c.channel}:${c.externalId}` } });
  }
  if (!c.channel || !c.chatId) return 0;
  const { count } = await tx.outboxMessage.updateMany({
    where: { channel: c.channel, chatId: c.chatId, status: "pending", kind: { startsWith: "cadre." } },
    data: { status: "failed", lastError: reason },
  });
  return count;
}

/**
 * Revokes cadre `cadreId` (an administrator's decision): unbinds their chat (see `unbind`),
 * releases the open cases they owned to their unit (no owner; any cadre of the unit may take
 * them, 首问负责 starts again), and writes a `staff.cadre_revoked` audit row (an outbox row that
 * is never delivered, like the other `staff.*` rows). All in one transaction.
 * @throws CadreNotFoundError, CadreAlreadyRevokedError.
 */
export async function revokeCadre(db: Db, cadreId: string, by: string, now = new Date()): Promise<RevokeResult> {
  return db.$transaction(async (tx) => {
    const c = await tx.cadre.findUnique({ where: { id: cadreId } });
    if (!c) throw new CadreNotFoundError(cadreId);
    if (c.revokedAt) throw new CadreAlreadyRevokedError(cadreId, c.revokedAt);
    const dropped = await unbind(tx, c, `cadre ${cadreId} revoked`, { revokedAt: now });
    const owned = await tx.case.findMany({
      where: { ownerCadreId: cadreId, state: { in: [...OPEN_STATES] } }, select: { id: true, caseNo: true },
    });
    const releasedCases = owned.map((o) => o.caseNo);
    if (owned.length) {
      await tx.case.updateMany({ where: { id: { in: owned.map((o) => o.id) } }, data: { ownerCadreId: null } });
    }
    const id = randomUUID();
    await tx.outboxMessage.create({
      data: {
        id, kind: "staff.cadre_revoked", dedupeKey: `staff.cadre_revoked:${id}`,
        channel: null, chatId: null, availableAt: now,
        payload: {
          cadreId, unitId: c.unitId, role: c.role, name: c.name, by, at: now.toISOString(), channel: c.channel,
          externalId: maskExternalId(c.externalId), droppedNotifications: dropped, releasedCases,
        },
      },
    });
    return { cadreId, droppedNotifications: dropped, releasedCases };
  });
}

/**
 * Unbinds the cadre (if any) whose chat on `channel` is `externalId` — a web logout: that
 * browser session ends, so nothing more should wait for it. The account stays (not revoked);
 * signing in again takes a new invite. Returns the cadre's id, or null when none was bound.
 */
export async function releaseCadreChat(db: Db, channel: string, externalId: string): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const c = await tx.cadre.findUnique({ where: { channel_externalId: { channel, externalId } } });
    if (!c) return null;
    await unbind(tx, c, `cadre ${c.id} signed out`);
    return c.id;
  });
}
