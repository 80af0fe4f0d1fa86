import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import {
  CaseNotFoundError, ForbiddenActionError, checkActionInput, computeClocks, mayAct, nextState,
  type ActionInput, type Actor, type CaseAction, type CaseState, type Colour, type WorkingDays,
} from "../domain/index.js";
import { unitRecipients, type Recipient } from "./recipients.js";

/** Options of the {@link CaseWorkflow}. */
export interface CaseWorkflowOptions {
  db: Db;
  calendar: WorkingDays;
  timeZone: string;
}

/** The result of one transition. */
export interface TransitionResult {
  caseNo: string;
  action: CaseAction;
  from: CaseState;
  to: CaseState;
  /** Outbox rows written with it (notifications to deliver). */
  notifications: number;
}

/** Two people acted on the same case at the same moment; the other one was first. */
export class ConcurrentTransitionError extends Error {
  readonly code = "CASE.CONCURRENT_CHANGE";
  constructor(readonly caseNo: string) {
    super(`Case ${caseNo} was changed by someone else just now; look at it again`);
    this.name = "ConcurrentTransitionError";
  }
}

/**
 * The time for a new event of a case: `now`, or 1 ms after its latest event when that is later,
 * so a case's history keeps its order even when two events fall in the same millisecond.
 */
export async function nextEventTime(db: Pick<Db, "caseEvent">, caseId: string, now: Date): Promise<Date> {
  const last = await db.caseEvent.findFirst({ where: { caseId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  return new Date(Math.max(now.getTime(), (last?.createdAt.getTime() ?? 0) + 1));
}

const actorType = (a: Actor) => a.kind;
const actorId = (a: Actor) => (a.kind === "cadre" ? a.cadreId : a.kind === "operator" ? a.id : null);

/**
 * The cadre workflow (交办、受理、异议、延期、答复…): moves a case by the transition table, checks
 * who may act (mayAct) and the statutory input rules (checkActionInput), recomputes the clocks,
 * and writes the case event and every notification (outbox rows) in the same transaction, so a
 * status change is never without its notifications and vice versa.
 */
export class CaseWorkflow {
  constructor(private readonly o: CaseWorkflowOptions) {}

  /**
   * Applies `action` to case `caseNo` as `actor`.
   * @throws CaseNotFoundError, InvalidTransitionError, ForbiddenActionError, ActionRefusedError,
   *   ConcurrentTransitionError (someone else changed the case first, e.g. accepted it).
   */
  async transition(caseNo: string, action: CaseAction, actor: Actor, input: ActionInput = {}, now = new Date()): Promise<TransitionResult> {
    const db = this.o.db;
    return db.$transaction(async (tx) => {
      const c = await tx.case.findUnique({ where: { caseNo }, include: { unit: true } });
      if (!c) throw new CaseNotFoundError(caseNo);
      const from = c.state as CaseState;
      const duty = await tx.unit.findFirst({ where: { isDutyDesk: true } });
      const view = { state: from, unitId: c.unitId, ownerCadreId: c.ownerCadreId, objectionDueAt: c.objectionDueAt, extendedDays: c.extendedDays };
      // Who may act is checked first, so another unit's cadre learns nothing about the case.
      if (!mayAct(actor, view, action, duty?.id ?? null)) throw new ForbiddenActionError(caseNo, action);
      const to = nextState(from, action);
      const clean = checkActionInput(action, view, input, now);

      const data: Record<string, unknown> = { state: to };
      let unitId = c.unitId;
      if (action === "accept") {
        data.ownerCadreId = actor.kind === "cadre" ? actor.cadreId : c.ownerCadreId;
        data.acceptedAt = now;
      }
      if (action === "object") {
        unitId = duty?.id ?? null;
        Object.assign(data, { unitId, ownerCadreId: null, assignedAt: null, objectionDueAt: null });
      }
      if (action === "assign") {
        const target = await tx.unit.findUnique({ where: { id: clean.unitId! } });
        if (!target) throw new CaseNotFoundError(`unit ${clean.unitId}`);
        unitId = target.id;
        Object.assign(data, { unitId, ownerCadreId: null, assignedAt: now });
      }
      if (action === "extend") data.extendedDays = clean.days;
      if (action === "reply") Object.assign(data, { repliedAt: now, replyText: clean.note });
      // Clocks follow assignment, acceptance and the extension.
      const clocks = computeClocks({
        receivedAt: c.receivedAt,
        assignedAt: (data.assignedAt as Date | null | undefined) === undefined ? c.assignedAt : (data.assignedAt as Date | null),
        acceptedAt: (data.acceptedAt as Date | undefined) ?? c.acceptedAt,
        colour: c.colour as Colour,
        extendedDays: (data.extendedDays as number | undefined) ?? c.extendedDays,
      }, this.o.calendar, this.o.timeZone);
      if (action === "accept" || action === "assign" || action === "extend" || action === "object") {
        Object.assign(data, { replyDueAt: clocks.replyDueAt, colourDueAt: clocks.colourDueAt });
        if (action === "assign") data.objectionDueAt = clocks.objectionDueAt;
      }
      // Only if nobody changed the case meanwhile: the first cadre to accept owns it (首问负责).
      const { count } = await tx.case.updateMany({ where: { id: c.id, state: from, updatedAt: c.updatedAt }, data });
      if (count !== 1) throw new ConcurrentTransitionError(caseNo);
      const eventId = randomUUID();
      const at = await nextEventTime(tx, c.id, now);
      await tx.caseEvent.create({
        data: { id: eventId, caseId: c.id, type: action, actorType: actorType(actor), actorId: actorId(actor), fromState: from, toState: to, note: clean.note ?? (clean.unitId ? `→ ${clean.unitId}` : null), createdAt: at, data: clean.days ? { days: clean.days } : undefined },
      });

      // Notifications, in the same transaction.
      const rows: Array<{ kind: string; to: Recipient; payload: Record<string, unknown> }> = [];
      const resident: Recipient = { channel: c.channel, chatId: c.chatId, audience: "private", locale: c.locale, cadreId: null };
      const residentNews: Partial<Record<CaseAction, true>> = { accept: true, decline: true, assign: true, extend: true, reply: true, object: true };
      if (residentNews[action]) rows.push({ kind: "resident.status", to: resident, payload: { caseNo, action, note: action === "object" ? null : clean.note ?? null, unitId, replyDueAt: ((data.replyDueAt as Date | undefined) ?? c.replyDueAt).toISOString() } });
      if ((action === "assign" || action === "object") && unitId) {
        for (const r of await unitRecipients(tx, unitId)) rows.push({ kind: "cadre.new_case", to: r, payload: { caseNo, reason: action === "object" ? clean.note : null } });
      }
      if (action === "accept" && c.unitId) {
        const who = actor.kind === "cadre" ? actor.name : "operator";
        for (const r of await unitRecipients(tx, c.unitId, { except: actor.kind === "cadre" ? actor.cadreId : null })) rows.push({ kind: "cadre.accepted_by", to: r, payload: { caseNo, by: who } });
      }
      for (const row of rows) {
        await tx.outboxMessage.create({
          data: { id: randomUUID(), kind: row.kind, dedupeKey: `${row.kind}:${eventId}:${row.to.channel}:${row.to.chatId}`, channel: row.to.channel, chatId: row.to.chatId, payload: { ...row.payload, audience: row.to.audience, locale: row.to.locale }, availableAt: now },
        });
      }
      return { caseNo, action, from, to, notifications: rows.length };
    }, { maxWait: 10_000, timeout: 20_000 });
  }
}
