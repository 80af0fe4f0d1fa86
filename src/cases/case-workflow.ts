import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import {
  CaseNotFoundError, ForbiddenActionError, checkActionInput, computeClocks, isSatisfaction, mayAct, nextState,
  reviewAnswerDueAt, reviewRequestDueAt, stageAfter,
  type ActionInput, type Actor, type CaseAction, type CaseState, type CloseReason, type Colour, type WorkingDays,
} from "../domain/index.js";
import { nextEventTime } from "./case-repository.js";
import { residentRecipient, supervisorRecipients, unitRecipients, type Recipient } from "./recipients.js";

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


const actorType = (a: Actor) => a.kind;
const actorId = (a: Actor) => (a.kind === "cadre" ? a.cadreId : a.kind === "operator" ? a.id : a.kind === "resident" ? a.residentId : null);

/** The extra input of a close: the poll answer (resident) or why it closed without one (system). */
export interface CloseInput {
  /** satisfied | basically_satisfied | unsatisfied — the resident's poll answer. */
  satisfaction?: string;
  /** Set by the scheduler: the poll went unanswered, or the resident opted out of polls. */
  closeReason?: CloseReason;
}

/**
 * The cadre workflow (交办、受理、异议、延期、答复…): moves a case by the transition table, checks
 * who may act (mayAct) and the statutory input rules (checkActionInput), recomputes the clocks,
 * and writes the case event and every notification (outbox rows) in the same transaction, so a
 * status change is never without its notifications and vice versa.
 */
export class CaseWorkflow {
  constructor(private readonly o: CaseWorkflowOptions) {}

  /** The holiday calendar the workflow counts working days with (for clocks kept elsewhere, e.g. poll timing). */
  get calendar(): WorkingDays {
    return this.o.calendar;
  }

  /**
   * Lists a case for supervision (挂牌督办) or takes it off the list, with the reason in its history.
   * Leaders of the case's unit (or of the unit that answered it), supervisors and operators may.
   * @throws CaseNotFoundError, ForbiddenActionError (handlers, other units' leaders).
   * @returns false when the case already was in that state (nothing changed).
   */
  async setSupervision(caseNo: string, listed: boolean, actor: Actor, note: string | null, now = new Date()): Promise<boolean> {
    return this.o.db.$transaction(async (tx) => {
      const c = await tx.case.findUnique({ where: { caseNo } });
      if (!c) throw new CaseNotFoundError(caseNo);
      const allowed = actor.kind === "operator" || actor.kind === "system" ||
        (actor.kind === "cadre" && (actor.role === "supervisor" || (actor.role === "leader" && (actor.unitId === c.unitId || actor.unitId === c.repliedUnitId))));
      if (!allowed) throw new ForbiddenActionError(caseNo, listed ? "supervise" : "unsupervise");
      if (c.supervised === listed) return false;
      await tx.case.update({ where: { id: c.id }, data: listed
        ? { supervised: true, supervisedAt: now, supervisionReason: "manual", supervisionNote: note?.trim() || null }
        : { supervised: false, supervisedAt: null, supervisionReason: null, supervisionNote: null } });
      await tx.caseEvent.create({ data: { id: randomUUID(), caseId: c.id, type: listed ? "supervised" : "unsupervised", actorType: actorType(actor), actorId: actorId(actor), fromState: c.state, toState: c.state, note, createdAt: await nextEventTime(tx, c.id, now) } });
      return true;
    });
  }

  /**
   * Applies `action` to case `caseNo` as `actor`.
   * @throws CaseNotFoundError, InvalidTransitionError, ForbiddenActionError, ActionRefusedError,
   *   ConcurrentTransitionError (someone else changed the case first, e.g. accepted it).
   */
  async transition(caseNo: string, action: CaseAction, actor: Actor, input: ActionInput & CloseInput = {}, now = new Date()): Promise<TransitionResult> {
    const db = this.o.db;
    return db.$transaction(async (tx) => {
      const c = await tx.case.findUnique({ where: { caseNo }, include: { unit: true } });
      if (!c) throw new CaseNotFoundError(caseNo);
      const from = c.state as CaseState;
      const duty = await tx.unit.findFirst({ where: { isDutyDesk: true } });
      const view = {
        state: from, unitId: c.unitId, ownerCadreId: c.ownerCadreId, objectionDueAt: c.objectionDueAt, extendedDays: c.extendedDays,
        residentId: c.residentId, stage: c.stage, reviewRequestDueAt: c.repliedAt ? reviewRequestDueAt(c.repliedAt, this.o.calendar, this.o.timeZone) : null,
      };
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
      if (action === "reply") {
        Object.assign(data, { repliedAt: now, replyText: clean.note, pollSentAt: null, pollRemindedAt: null, pollDueAt: null, pollAnsweredAt: null, satisfaction: null, satisfactionComment: null });
        // The first handling opinion is what "replied on time" (by the colour deadline) measures.
        if (!c.firstRepliedAt) Object.assign(data, { firstRepliedAt: now, repliedOnTime: now <= c.colourDueAt, repliedUnitId: c.unitId });
      }
      const satisfaction = isSatisfaction(input.satisfaction) ? input.satisfaction : null;
      if (action === "close") {
        if (actor.kind === "resident" && !satisfaction) throw new ForbiddenActionError(caseNo, action);
        Object.assign(data, { closedAt: now, closeReason: satisfaction ?? input.closeReason ?? "operator" });
        if (satisfaction) Object.assign(data, { satisfaction, pollAnsweredAt: now });
        // The ledger rates the responsible unit by the answer to its own (first) opinion.
        if (satisfaction && c.stage === "handling" && !c.firstSatisfaction) data.firstSatisfaction = satisfaction;
        // An unsatisfied answer lists the case for supervision (挂牌督办, DESIGN.md "Satisfaction").
        if (satisfaction === "unsatisfied") Object.assign(data, { supervised: true, supervisedAt: c.supervised ? c.supervisedAt : now, supervisionReason: c.supervised ? c.supervisionReason : "unsatisfied" });
      }
      let reviewDueAt: Date | null = null;
      if (action === "request_review" || action === "request_reexamination") {
        // One level up from the body whose opinion is contested (信访工作条例 Arts. 35-36): for 复查
        // the unit that replied, for 复核 the body that did the 复查 — the case's unit at its reply
        // (repliedUnitId keeps the first tier's unit, for the ledger). Its Unit.parentId, else the
        // duty desk (区信访局).
        const answered = c.unitId ?? c.repliedUnitId;
        const parentId = (answered ? await tx.unit.findUnique({ where: { id: answered } }) : null)?.parentId ?? null;
        const above = parentId ? await tx.unit.findUnique({ where: { id: parentId } }) : null;
        unitId = above?.id ?? duty?.id ?? c.unitId;
        reviewDueAt = reviewAnswerDueAt(now, this.o.calendar, this.o.timeZone);
        Object.assign(data, {
          stage: stageAfter(action), unitId, ownerCadreId: null, assignedAt: now, objectionDueAt: null, closedAt: null, closeReason: null,
          pollSentAt: null, pollRemindedAt: null, pollDueAt: null, pollAnsweredAt: null,
        });
      }
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
      // Review and re-examination: the colour deadline from the request, the answer within 30 days.
      if (reviewDueAt) Object.assign(data, { replyDueAt: reviewDueAt, colourDueAt: clocks.colourDueAt });
      // Only if nobody changed the case meanwhile: the first cadre to accept owns it (首问负责).
      const { count } = await tx.case.updateMany({ where: { id: c.id, state: from, updatedAt: c.updatedAt }, data });
      if (count !== 1) throw new ConcurrentTransitionError(caseNo);
      const eventId = randomUUID();
      const at = await nextEventTime(tx, c.id, now);
      await tx.caseEvent.create({
        data: {
          id: eventId, caseId: c.id, type: action, actorType: actorType(actor), actorId: actorId(actor), fromState: from, toState: to,
          note: clean.note ?? (clean.unitId ? `→ ${clean.unitId}` : reviewDueAt && unitId ? `→ ${unitId}` : satisfaction ? `poll: ${satisfaction}` : action === "close" ? `${data.closeReason as string}` : null), createdAt: at,
          data: clean.days ? { days: clean.days } : action === "close" ? { closeReason: data.closeReason as string, stage: c.stage } : undefined,
        },
      });
      if (action === "close" && satisfaction === "unsatisfied" && !c.supervised) {
        // Listed for supervision by the answer: its own line in the history (挂牌督办).
        await tx.caseEvent.create({ data: { id: randomUUID(), caseId: c.id, type: "supervised", actorType: "system", fromState: to, toState: to, note: "unsatisfied", createdAt: new Date(at.getTime() + 1) } });
      }

      // Notifications, in the same transaction.
      const rows: Array<{ kind: string; to: Recipient; payload: Record<string, unknown> }> = [];
      const resident = residentRecipient(c);
      // The resident hears of every step except their own poll answer (answered in the chat).
      const residentNews: Partial<Record<CaseAction, true>> = { accept: true, decline: true, assign: true, extend: true, reply: true, object: true, request_review: true, request_reexamination: true };
      const news = actor.kind === "resident" ? null : action === "close" && actor.kind === "system" && (input.closeReason === "no_answer" || input.closeReason === "opted_out") ? "closed_no_answer" : residentNews[action] ? action : null;
      // A review's or re-examination's reply names the next step (复核, or final) instead of 复查.
      const newsKey = news === "reply" && c.stage !== "handling" ? `reply_${c.stage}` : news;
      if (newsKey) rows.push({ kind: "resident.status", to: resident, payload: { caseNo, action: newsKey, note: action === "object" ? null : clean.note ?? null, unitId, replyDueAt: ((data.replyDueAt as Date | undefined) ?? c.replyDueAt).toISOString(), reviewDueAt: c.repliedAt ? reviewRequestDueAt(c.repliedAt, this.o.calendar, this.o.timeZone).toISOString() : null } });
      if ((action === "assign" || action === "object" || reviewDueAt) && unitId) {
        const review = reviewDueAt ? stageAfter(action as "request_review") : null;
        for (const r of await unitRecipients(tx, unitId)) rows.push({ kind: "cadre.new_case", to: r, payload: { caseNo, reason: action === "object" ? clean.note : null, review } });
      }
      if (satisfaction === "unsatisfied") {
        // Leaders of the unit that answered, and the supervisors (督办), hear of it.
        const answered = c.repliedUnitId ?? c.unitId;
        const leaders = answered ? await unitRecipients(tx, answered, { roles: ["leader"] }) : [];
        for (const r of [...leaders, ...(await supervisorRecipients(tx))]) rows.push({ kind: "cadre.unsatisfied", to: r, payload: { caseNo, unitId: c.unitId, stage: c.stage } });
      }
      if (action === "accept" && c.unitId) {
        const who = actor.kind === "cadre" ? actor.name : "operator";
        for (const r of await unitRecipients(tx, c.unitId, { except: actor.kind === "cadre" ? actor.cadreId : null })) rows.push({ kind: "cadre.accepted_by", to: r, payload: { caseNo, by: who } });
      }
      const keys = new Set<string>();
      for (const row of rows) {
        // One message per chat even when a cadre is reached twice (e.g. leader and group).
        const key = `${row.kind}:${eventId}:${row.to.channel}:${row.to.chatId}`;
        if (keys.has(key)) continue;
        keys.add(key);
        await tx.outboxMessage.create({
          data: { id: randomUUID(), kind: row.kind, dedupeKey: key, channel: row.to.channel, chatId: row.to.chatId, payload: { ...row.payload, audience: row.to.audience, locale: row.to.locale }, availableAt: now },
        });
      }
      return { caseNo, action, from, to, notifications: rows.length };
    }, { maxWait: 10_000, timeout: 20_000 });
  }
}
