import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import { isCategory, isCaseState, type CaseState, type Category, type Colour } from "../domain/index.js";
import type { RoutedUnit } from "./routing.js";
import { unitRecipients, type Recipient } from "./recipients.js";

/** A case as the rest of the code sees it (no Prisma types leave src/cases). */
export interface CaseRecord {
  id: string;
  caseNo: string;
  submissionKey: string;
  residentId: string;
  category: Category;
  suggestedCategory: Category | null;
  classifierScore: number | null;
  state: CaseState;
  colour: Colour;
  description: string;
  location: string | null;
  occurredText: string | null;
  occurredOn: Date | null;
  demands: string | null;
  contactName: string | null;
  contactPhone: string | null;
  /** Photos and files by channel reference: [{channel, kind, fileId, caption?}]. */
  attachments: Array<{ channel?: string; kind: string; fileId: string; caption?: string }>;
  channel: string;
  chatId: string;
  locale: string;
  unitId: string | null;
  unitName: string | null;
  unitNameEn: string | null;
  receivedAt: Date;
  assignedAt: Date | null;
  colourDueAt: Date;
  registerDueAt: Date;
  acceptanceDueAt: Date;
  objectionDueAt: Date | null;
  replyDueAt: Date;
  extendedDays: number;
  /** handling | review | reexamination. */
  stage: string;
  town: string | null;
  village: string | null;
  repliedAt: Date | null;
  /** The unit that gave the first opinion. */
  repliedUnitId: string | null;
  /** Poll answer of the latest reply. */
  satisfaction: string | null;
  supervised: boolean;
  repeatOfCaseId: string | null;
  clusterNo: string | null;
  /** SHA-256 of the submission key and the enquiry code (src/cases/enquiry.ts); null for cases filed before codes. */
  enquiryCodeHash: string | null;
  /** The resident agreed that the matter, without their name, may be listed publicly; null = not asked. */
  publicConsent: boolean | null;
  /** The other procedure (诉访分离) triage named before the resident insisted on filing; null when none. */
  advisedProcedure: string | null;
  updatedAt: Date;
}

/** What triage noticed in a chat (see TriageNote in prisma/models.prisma). */
export interface TriageNoteRecord {
  id: string;
  /** emergency | self_harm | threat | other_procedure */
  kind: string;
  subtype: string | null;
  createdAt: Date;
}

/** One line of a case's history. */
export interface CaseEventRecord {
  type: string;
  actorType: string;
  actorId: string | null;
  fromState: string | null;
  toState: string | null;
  note: string | null;
  createdAt: Date;
}

/** Everything needed to insert a new case with its first events and outbox rows. */
export interface NewCase extends Omit<CaseRecord, "id" | "caseNo" | "residentId" | "unitName" | "unitNameEn" | "updatedAt" | "stage" | "repliedAt" | "repliedUnitId" | "satisfaction" | "supervised" | "town" | "village" | "repeatOfCaseId" | "clusterNo"
  | "enquiryCodeHash" | "publicConsent" | "advisedProcedure">,
  Partial<Pick<CaseRecord,
    "town" | "village" | "repeatOfCaseId" | "clusterNo" | "enquiryCodeHash" | "publicConsent" | "advisedProcedure">> {
  /** Listed for supervision (挂牌督办) from intake, with when and why (src/domain/follow-up.ts SupervisionReason). */
  supervised?: boolean;
  supervisedAt?: Date;
  supervisionReason?: string;
  /** Triage notes of the chat this case answers: marked as used in the same transaction. */
  triageNoteIds?: string[];
  resident: { channel: string; externalId: string; name: string | null; phone: string | null; locale: string };
  /** Set when the free text was checked for ID-card numbers (at intake); the retention run checks the rest. */
  idNumbersMaskedAt?: Date;
  events: Array<Omit<CaseEventRecord, "createdAt">>;
  outbox: NewOutboxRow[];
}

/** An outbox row to write; `priority` higher = delivered sooner (default 0; alerts: ALERT_PRIORITY). */
export interface NewOutboxRow {
  kind: string;
  dedupeKey: string;
  channel: string | null;
  chatId: string | null;
  payload: Record<string, unknown>;
  priority?: number;
}

/** Filters of {@link CaseRepository.list}; every given field must match. */
export interface CaseFilter {
  state?: CaseState;
  /** Any of these states (with `state`, both apply). */
  states?: readonly CaseState[];
  unitId?: string;
  category?: Category;
  /** Any of these categories. */
  categories?: readonly Category[];
  /** Any of these case numbers. */
  caseNos?: readonly string[];
  /** Received at or after this instant. */
  receivedFrom?: Date;
  /** Received at or before this instant. */
  receivedTo?: Date;
  /**
   * Only cases that may be listed publicly: the resident agreed at the summary, or the case came
   * through Open311 (a public reporting system by nature).
   */
  publicOnly?: boolean;
  /** Cases to skip (paging), default 0. */
  offset?: number;
  limit?: number;
}

function where(filter: CaseFilter) {
  const and: object[] = [];
  if (filter.states) and.push({ state: { in: [...filter.states] } });
  if (filter.categories) and.push({ category: { in: [...filter.categories] } });
  if (filter.caseNos) and.push({ caseNo: { in: [...filter.caseNos] } });
  if (filter.publicOnly) and.push({ OR: [{ publicConsent: true }, { channel: "open311" }] });
  if (filter.receivedFrom || filter.receivedTo) and.push({ receivedAt: { gte: filter.receivedFrom, lte: filter.receivedTo } });
  return { state: filter.state, unitId: filter.unitId, category: filter.category, ...(and.length ? { AND: and } : {}) };
}

/** Thrown when a stored row has a value the domain does not know (a corrupt row). */
export class CorruptCaseError extends Error {
  readonly code = "CASE.CORRUPT";
  constructor(readonly caseNo: string, field: string) {
    super(`Case ${caseNo} has an unknown ${field}`);
    this.name = "CorruptCaseError";
  }
}

type Row = Awaited<ReturnType<Db["case"]["findFirstOrThrow"]>> & { unit?: { name: string; nameEn: string | null } | null };

function toRecord(r: Row): CaseRecord {
  if (!isCategory(r.category)) throw new CorruptCaseError(r.caseNo, "category");
  if (!isCaseState(r.state)) throw new CorruptCaseError(r.caseNo, "state");
  return {
    id: r.id, caseNo: r.caseNo, submissionKey: r.submissionKey, residentId: r.residentId, category: r.category,
    suggestedCategory: isCategory(r.suggestedCategory) ? r.suggestedCategory : null, classifierScore: r.classifierScore,
    state: r.state, colour: r.colour as Colour, description: r.description, location: r.location, occurredText: r.occurredText,
    occurredOn: r.occurredOn, demands: r.demands, attachments: Array.isArray(r.attachments) ? (r.attachments as CaseRecord["attachments"]) : [], contactName: r.contactName, contactPhone: r.contactPhone, channel: r.channel,
    chatId: r.chatId, locale: r.locale, unitId: r.unitId, unitName: r.unit?.name ?? null, unitNameEn: r.unit?.nameEn ?? null, receivedAt: r.receivedAt,
    assignedAt: r.assignedAt, colourDueAt: r.colourDueAt, registerDueAt: r.registerDueAt, acceptanceDueAt: r.acceptanceDueAt,
    objectionDueAt: r.objectionDueAt, replyDueAt: r.replyDueAt, extendedDays: r.extendedDays, stage: r.stage, town: r.town, village: r.village,
    repliedAt: r.repliedAt, repliedUnitId: r.repliedUnitId, satisfaction: r.satisfaction, supervised: r.supervised,
    repeatOfCaseId: r.repeatOfCaseId, clusterNo: r.clusterNo, enquiryCodeHash: r.enquiryCodeHash, publicConsent: r.publicConsent,
    advisedProcedure: r.advisedProcedure, updatedAt: r.updatedAt,
  };
}

/**
 * The time for a new event of a case: `now`, or 1 ms after its latest event when that is later,
 * so a case's history keeps its order even when two events fall in the same millisecond.
 */
export async function nextEventTime(db: Pick<Db, "caseEvent">, caseId: string, now: Date): Promise<Date> {
  const last = await db.caseEvent.findFirst({ where: { caseId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  return new Date(Math.max(now.getTime(), (last?.createdAt.getTime() ?? 0) + 1));
}

/** True for Prisma's unique-constraint violation (P2002), whichever field. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/**
 * Storage of cases, residents, units and the outbox, over Prisma (SQLite or PostgreSQL).
 * The only place besides the session store that talks to the database.
 */
export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** The case filed with this submission key, if any (for idempotent submits). */
  async findBySubmissionKey(key: string): Promise<CaseRecord | null> {
    const r = await this.db.case.findUnique({ where: { submissionKey: key }, include: { unit: { select: { name: true, nameEn: true } } } });
    return r ? toRecord(r) : null;
  }

  /** The case with this number, if any. */
  async findByNumber(caseNo: string): Promise<CaseRecord | null> {
    const r = await this.db.case.findUnique({ where: { caseNo }, include: { unit: { select: { name: true, nameEn: true } } } });
    return r ? toRecord(r) : null;
  }

  /**
   * Stores a new enquiry-code hash for the case: the earlier code stops working, and every chat
   * that followed the case by it loses access (one transaction). Returns how many chats lost it.
   */
  async setEnquiryCodeHash(caseId: string, hash: string): Promise<number> {
    const [, dropped] = await this.db.$transaction([
      this.db.case.update({ where: { id: caseId }, data: { enquiryCodeHash: hash } }),
      this.db.caseGrant.deleteMany({ where: { caseId } }),
    ]);
    return dropped.count;
  }

  /** Lock rows of these keys (see src/cases/enquiry.ts). */
  async enquiryLocks(keys: readonly string[]): Promise<Array<{ key: string; failures: number; lockedUntil: Date | null }>> {
    return this.db.enquiryLock.findMany({ where: { key: { in: [...keys] } } });
  }

  /**
   * Counts one wrong code against `key`; the `max`-th failure locks the key until `now + lockMs`
   * and starts the count again. Returns the lock's end, or null while under the limit.
   */
  async countEnquiryFailure(key: string, now: Date, max: number, lockMs: number): Promise<Date | null> {
    const row = await this.db.enquiryLock.upsert({ where: { key }, create: { key, failures: 1 }, update: { failures: { increment: 1 } } });
    if (row.failures < max) return null;
    const until = new Date(now.getTime() + lockMs);
    await this.db.enquiryLock.update({ where: { key }, data: { failures: 0, lockedUntil: until } });
    return until;
  }

  /** Forgets the wrong-code counts of these keys (after a right code). */
  async clearEnquiryLocks(keys: readonly string[]): Promise<void> {
    await this.db.enquiryLock.deleteMany({ where: { key: { in: [...keys] }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date() } }] } });
  }

  /** Lets the chat (channel, externalId) follow case `caseId` (idempotent). */
  async grant(channel: string, externalId: string, caseId: string): Promise<void> {
    try {
      await this.db.caseGrant.create({ data: { channel, externalId, caseId } });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /** True when the chat proved with the enquiry code that it may follow the case. */
  async hasGrant(channel: string, externalId: string, caseId: string): Promise<boolean> {
    return (await this.db.caseGrant.findUnique({ where: { channel_externalId_caseId: { channel, externalId, caseId } } })) !== null;
  }

  /** Cases the chat may follow by enquiry code, newest first. */
  async grantedCases(channel: string, externalId: string, limit: number): Promise<CaseRecord[]> {
    const grants = await this.db.caseGrant.findMany({ where: { channel, externalId }, select: { caseId: true }, take: 100 });
    if (grants.length === 0) return [];
    const rows = await this.db.case.findMany({
      where: { id: { in: grants.map((g) => g.caseId) } }, orderBy: { receivedAt: "desc" }, take: limit, include: { unit: { select: { name: true, nameEn: true } } },
    });
    return rows.map(toRecord);
  }

  /** The resident id behind a channel identity, or null. */
  async residentIdOf(channel: string, externalId: string): Promise<string | null> {
    const r = await this.db.channelIdentity.findUnique({ where: { channel_externalId: { channel, externalId } } });
    return r?.residentId ?? null;
  }

  /** Cases matching `filter`, newest first (default limit 100, at most 1000). */
  async list(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    const rows = await this.db.case.findMany({
      where: where(filter),
      orderBy: [{ receivedAt: "desc" }, { caseNo: "desc" }],
      skip: filter.offset,
      take: Math.min(filter.limit ?? 100, 1000),
      include: { unit: { select: { name: true, nameEn: true } } },
    });
    return rows.map(toRecord);
  }

  /** How many cases match `filter` (limit and offset ignored). */
  async count(filter: CaseFilter = {}): Promise<number> {
    return this.db.case.count({ where: where(filter) });
  }

  /** A resident's cases, newest first. */
  async listForResident(residentId: string, limit: number): Promise<CaseRecord[]> {
    const rows = await this.db.case.findMany({ where: { residentId }, orderBy: { receivedAt: "desc" }, take: limit, include: { unit: { select: { name: true, nameEn: true } } } });
    return rows.map(toRecord);
  }

  /**
   * Earlier cases that may be the same matter: of `category`, received since `since`, not
   * declined or withdrawn; either one resident's (`residentId`) or other residents' open cases
   * (`othersThan`), optionally in one village (else town). Newest first, at most `limit` (200).
   */
  async sameKindCases(q: { category: string; since: Date; residentId?: string; othersThan?: string; openOnly?: boolean; town?: string | null; village?: string | null; limit?: number }): Promise<CaseRecord[]> {
    const rows = await this.db.case.findMany({
      where: {
        category: q.category, receivedAt: { gte: q.since },
        state: q.openOnly ? { in: ["registered", "assigned", "accepted", "in_progress", "under_review", "under_reexamination", "replied"] } : { notIn: ["not_accepted", "withdrawn"] },
        ...(q.residentId ? { residentId: q.residentId } : {}),
        ...(q.othersThan ? { residentId: { not: q.othersThan } } : {}),
        ...(q.village ? { village: q.village } : q.town ? { town: q.town } : {}),
      },
      orderBy: { receivedAt: "desc" }, take: q.limit ?? 200, include: { unit: { select: { name: true, nameEn: true } } },
    });
    return rows.map(toRecord);
  }

  /**
   * Adds a resident's new message about a matter already filed to that case (Art. 19 ¶3: not
   * accepted again as a new case, linked) — an event with the text, place, demands and
   * attachments, and a notice to the unit — once per submission key.
   * @returns false when this submission was linked before (a double confirm).
   */
  async linkSubmission(caseId: string, key: string, type: "linked" | "repeat_refused", note: string, data: Record<string, unknown>, outbox: NewCase["outbox"], now: Date): Promise<boolean> {
    try {
      await this.db.$transaction(async (tx) => {
        await tx.caseEvent.create({ data: { id: `${type}:${key}`, caseId, type, actorType: "resident", note, data: data as object, createdAt: await nextEventTime(tx, caseId, now) } });
        for (const o of outbox) {
          await tx.outboxMessage.create({
            data: {
              id: randomUUID(), kind: o.kind, dedupeKey: o.dedupeKey, channel: o.channel, chatId: o.chatId,
              payload: o.payload as object, availableAt: now, priority: o.priority ?? 0,
            },
          });
        }
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Marks case `caseId` as the first of cluster `clusterNo` when it has none yet. */
  async startCluster(caseId: string, clusterNo: string): Promise<void> {
    await this.db.case.updateMany({ where: { id: caseId, clusterNo: null }, data: { clusterNo } });
  }

  /** How many cases share `clusterNo`. */
  async clusterSize(clusterNo: string): Promise<number> {
    return this.db.case.count({ where: { clusterNo } });
  }

  /** The level above a unit (Unit.parentId), else the duty desk; null when neither exists. */
  async levelAbove(unitId: string | null): Promise<RoutedUnit | null> {
    const units = await this.units();
    const parentId = unitId ? (await this.db.unit.findUnique({ where: { id: unitId }, select: { parentId: true } }))?.parentId : null;
    return units.find((u) => u.id === parentId) ?? units.find((u) => u.isDutyDesk) ?? null;
  }

  /** Names of cadres by id (for histories); unknown ids are left out. */
  async cadreNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.cadre.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The history of a case, oldest first. */
  async events(caseId: string): Promise<CaseEventRecord[]> {
    const rows = await this.db.caseEvent.findMany({ where: { caseId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    return rows.map((e) => ({ type: e.type, actorType: e.actorType, actorId: e.actorId, fromState: e.fromState, toState: e.toState, note: e.note, createdAt: e.createdAt }));
  }

  /** Where a unit's notifications go (its cadres' chats and groups). */
  async recipientsOf(unitId: string): Promise<Recipient[]> {
    return unitRecipients(this.db, unitId);
  }

  /** All units (for routing). */
  async units(): Promise<RoutedUnit[]> {
    const rows = await this.db.unit.findMany({ orderBy: { id: "asc" } });
    return rows.map((u) => ({
      id: u.id, name: u.name, nameEn: u.nameEn, categories: Array.isArray(u.categories) ? (u.categories as string[]) : [],
      areas: Array.isArray(u.areas) ? (u.areas as string[]) : [],
      chatTargets: Array.isArray(u.chatTargets) ? (u.chatTargets as RoutedUnit["chatTargets"]) : [], isDutyDesk: u.isDutyDesk, parent: u.parentId ?? undefined,
    }));
  }

  /** Inserts or updates units by id (routing data). */
  async upsertUnits(units: readonly RoutedUnit[]): Promise<void> {
    for (const u of units) {
      const data = { name: u.name, nameEn: u.nameEn, categories: u.categories, areas: u.areas ?? [], chatTargets: u.chatTargets ?? [], isDutyDesk: u.isDutyDesk, parentId: u.parent ?? null };
      await this.db.unit.upsert({ where: { id: u.id }, create: { id: u.id, ...data }, update: data });
    }
  }

  /**
   * Notes what triage noticed in chat (channel, userId) — a danger alert or another procedure
   * named — for the next case filed from it; notes older than 7 days are dropped meanwhile.
   */
  async noteTriage(n: { channel: string; userId: string; kind: string; subtype: string | null; at: Date }) {
    await this.db.triageNote.deleteMany({ where: { createdAt: { lt: new Date(n.at.getTime() - 7 * 86_400_000) } } });
    await this.db.triageNote.create({
      data: {
        id: randomUUID(), channel: n.channel, userId: n.userId, kind: n.kind, subtype: n.subtype, createdAt: n.at,
      },
    });
  }

  /** The chat's triage notes since `since` that no case has used yet, oldest first. */
  async openTriageNotes(channel: string, userId: string, since: Date): Promise<TriageNoteRecord[]> {
    return this.db.triageNote.findMany({
      where: { channel, userId, caseId: null, createdAt: { gte: since } }, orderBy: { createdAt: "asc" },
      select: { id: true, kind: true, subtype: true, createdAt: true },
    });
  }

  /**
   * How many cases were received since `since` from resident `residentId` or with phone `phone`
   * (the case's contact phone or its resident's phone, whichever identity filed it).
   */
  async countFiledSince(q: { residentId: string | null; phone: string | null; since: Date }): Promise<number> {
    const who: object[] = [];
    if (q.residentId) who.push({ residentId: q.residentId });
    if (q.phone) who.push({ contactPhone: q.phone }, { resident: { phone: q.phone } });
    if (who.length === 0) return 0;
    return this.db.case.count({ where: { receivedAt: { gte: q.since }, OR: who } });
  }

  /** The phone stored for a resident, or null. */
  async residentPhone(residentId: string): Promise<string | null> {
    return (await this.db.resident.findUnique({ where: { id: residentId }, select: { phone: true } }))?.phone ?? null;
  }

  /** Adds an outbox row unless one with the same dedupe key exists. */
  async enqueue(row: NewOutboxRow): Promise<void> {
    try {
      await this.db.outboxMessage.create({
        data: {
          id: randomUUID(), kind: row.kind, dedupeKey: row.dedupeKey, channel: row.channel, chatId: row.chatId,
          payload: row.payload as object, priority: row.priority ?? 0,
        },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /**
   * Inserts a case, its resident (found or created by channel identity), its first events and
   * its outbox rows in one transaction, numbering it with `numberFor(sequence)` from the
   * day's counter `sequenceKey`. All or nothing: a failure leaves no trace.
   * @throws the Prisma P2002 error when `submissionKey` already exists (caller re-reads).
   */
  async insert(c: NewCase, sequenceKey: string, numberFor: (sequence: number) => string): Promise<CaseRecord> {
    const row = await this.db.$transaction(async (tx) => {
      const identity = await tx.channelIdentity.findUnique({ where: { channel_externalId: { channel: c.resident.channel, externalId: c.resident.externalId } } });
      let residentId = identity?.residentId;
      if (!residentId) {
        residentId = randomUUID();
        await tx.resident.create({ data: { id: residentId, name: c.resident.name, phone: c.resident.phone, locale: c.resident.locale, identities: { create: { id: randomUUID(), channel: c.resident.channel, externalId: c.resident.externalId } } } });
      } else {
        await tx.resident.update({ where: { id: residentId }, data: { locale: c.resident.locale, ...(c.resident.name ? { name: c.resident.name } : {}), ...(c.resident.phone ? { phone: c.resident.phone } : {}) } });
      }
      const seq = await tx.caseSequence.upsert({ where: { key: sequenceKey }, create: { key: sequenceKey, last: 1 }, update: { last: { increment: 1 } } });
      const id = randomUUID();
      const { resident: _r, events, outbox, attachments, triageNoteIds, ...fields } = c;
      const created = await tx.case.create({
        data: { ...fields, ...(attachments.length ? { attachments } : {}), id, caseNo: numberFor(seq.last), residentId },
        include: { unit: { select: { name: true, nameEn: true } } },
      });
      let at = c.receivedAt.getTime();
      for (const e of events) {
        await tx.caseEvent.create({ data: { id: randomUUID(), caseId: id, ...e, createdAt: new Date(at++) } });
      }
      for (const o of outbox) {
        await tx.outboxMessage.create({
          data: {
            id: randomUUID(), kind: o.kind, dedupeKey: o.dedupeKey, channel: o.channel, chatId: o.chatId,
            payload: { ...o.payload, caseNo: created.caseNo }, availableAt: c.receivedAt, priority: o.priority ?? 0,
          },
        });
      }
      if (triageNoteIds?.length) {
        await tx.triageNote.updateMany({ where: { id: { in: triageNoteIds }, caseId: null }, data: { caseId: id } });
      }
      return created;
    }, { maxWait: 10_000, timeout: 20_000 }); // SQLite waits for the file lock when several processes write
    return toRecord(row);
  }
}
