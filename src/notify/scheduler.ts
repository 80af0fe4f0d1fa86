import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import { ConcurrentTransitionError, nextEventTime, residentRecipient, supervisorRecipients, unitRecipients, type CaseWorkflow, type Recipient } from "../cases/index.js";
import { PersonalDataStore, isUniqueViolation } from "../cases/index.js";
import { DEFAULT_POLL_TIMINGS, InvalidTransitionError, pollSendAt, toLocalDate, type PollTimings } from "../domain/index.js";
import { findPromisedDate } from "../nlu/promised-date.js";

/** States in which a unit still owes the resident a report or a reply (clocks running). */
const WORKING_STATES = ["assigned", "accepted", "in_progress", "registered"];

/** Channels that cannot receive a poll: nothing is sent and the case closes after the poll delay. */
const CHANNELS_WITHOUT_CHAT: ReadonlySet<string> = new Set(["open311"]);

/** Options of {@link runScheduler}. */
export interface SchedulerOptions {
  db: Db;
  timeZone: string;
  /** Remind this long before a colour deadline, in ms (default 24 h; supervised cases also 2 h). */
  remindBeforeMs?: number;
  /** Local hour (0–23) from which the daily digest goes out (default 8). */
  digestHour?: number;
  /** Closes cases whose poll went unanswered; without it polls are sent but nothing closes. */
  workflow?: CaseWorkflow;
  /** Poll delay, reminder and closing (default: at once, 48 h and 7 days; a promised date defers the poll). */
  poll?: PollTimings;
  /**
   * The daily retention run (first run of each local day): closed cases older than `years`
   * calendar years are anonymised (0 = never) and stored free text is checked for ID-card
   * numbers. Without it, no retention run.
   */
  retention?: { years: number };
}

/** What one run did; printed by `petition-bot scheduler run-once --json`. */
export interface SchedulerReport {
  now: string;
  reminders: Array<{ caseNo: string; dueAt: string; recipients: number }>;
  escalations: Array<{ caseNo: string; clock: "colour" | "reply"; dueAt: string; recipients: number }>;
  digests: Array<{ unitId: string | null; date: string; recipients: number; new: number; dueToday: number; overdue: number }>;
  /** Satisfaction polls sent and reminded, and cases closed because nobody answered (or polls are off). */
  polls: { sent: string[]; reminded: string[]; closed: Array<{ caseNo: string; reason: "no_answer" | "opted_out" }> };
  /** Erasures asked for while cases were open, finished now that they closed (个人信息保护法 Art. 47); counts only. */
  erasures: Array<{ residentId: string; anonymised: number; complete: boolean }>;
  /**
   * The day's retention run, when it ran now: cutoff (ISO; null = never), cases anonymised,
   * cases whose ID numbers were masked.
   */
  retention: { date: string; cutoff: string | null; anonymised: number; idNumbersMasked: number } | null;
}

function localHour(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" }).format(now));
}

/**
 * Everything the clocks make due at `now`, done once however often it runs (each outbox row and
 * escalation has a key made of the case, the deadline and the recipient): reminders to the owner
 * (or the unit) before a colour deadline — supervised cases get a second one 2 h before; on a
 * missed colour or statutory reply deadline, the case is escalated to the unit's leaders and the
 * supervisors and listed for supervision (挂牌督办); from `digestHour` local time, one daily
 * digest per unit and one for the supervisors (new, due today, overdue). The long-running
 * scheduler and `scheduler run-once --now ISO` call this same function.
 */
export async function runScheduler(o: SchedulerOptions, now: Date): Promise<SchedulerReport> {
  const db = o.db;
  const report: SchedulerReport = {
    now: now.toISOString(), reminders: [], escalations: [], digests: [], polls: { sent: [], reminded: [], closed: [] },
    erasures: [], retention: null,
  };
  const before = o.remindBeforeMs ?? 24 * 3_600_000;
  const queue = async (tx: Pick<Db, "outboxMessage">, kind: string, key: string, to: Recipient, payload: Record<string, unknown>) => {
    const exists = await tx.outboxMessage.findUnique({ where: { dedupeKey: key } });
    if (exists) return false;
    await tx.outboxMessage.create({ data: { id: randomUUID(), kind, dedupeKey: key, channel: to.channel, chatId: to.chatId, payload: { ...payload, audience: to.audience, locale: to.locale }, availableAt: now } });
    return true;
  };
  const ownerOrUnit = async (c: { unitId: string | null; ownerCadreId: string | null }) => {
    if (c.ownerCadreId) {
      const owner = await db.cadre.findUnique({ where: { id: c.ownerCadreId } });
      if (owner?.channel && owner.chatId) return [{ channel: owner.channel, chatId: owner.chatId, audience: "private" as const, locale: owner.locale, cadreId: owner.id }];
    }
    return c.unitId ? unitRecipients(db, c.unitId) : [];
  };
  // Supervisors (督办) hear of every escalation and get the district digest; read once per run.
  const supervisors = await supervisorRecipients(db);

  // Reminders before the colour deadline.
  const soon = await db.case.findMany({ where: { state: { in: WORKING_STATES }, colourDueAt: { gt: now, lte: new Date(now.getTime() + before) } } });
  for (const c of soon) {
    const marks = [`${c.colourDueAt.toISOString()}`];
    if (c.supervised && c.colourDueAt.getTime() - now.getTime() <= 2 * 3_600_000) marks.push(`${c.colourDueAt.toISOString()}:2h`);
    let recipients = 0;
    for (const mark of marks) for (const to of await ownerOrUnit(c)) {
      if (await queue(db, "cadre.reminder", `cadre.reminder:${c.id}:${mark}:${to.channel}:${to.chatId}`, to, { caseNo: c.caseNo, dueAt: c.colourDueAt.toISOString() })) recipients++;
    }
    if (recipients) report.reminders.push({ caseNo: c.caseNo, dueAt: c.colourDueAt.toISOString(), recipients });
  }

  // Escalation on a missed colour deadline or statutory reply deadline.
  const late = await db.case.findMany({ where: { OR: [{ state: { in: WORKING_STATES }, colourDueAt: { lt: now } }, { state: { in: WORKING_STATES }, replyDueAt: { lt: now } }] } });
  for (const c of late) {
    const clock: "colour" | "reply" = c.replyDueAt < now ? "reply" : "colour";
    const dueAt = clock === "reply" ? c.replyDueAt : c.colourDueAt;
    const mark = `escalated:${clock}:${dueAt.toISOString()}`;
    const done = await db.caseEvent.findFirst({ where: { caseId: c.id, type: "escalated", note: mark } });
    if (done) continue;
    const leaders = c.unitId ? await unitRecipients(db, c.unitId, { roles: ["leader"] }) : [];
    const to = [...leaders, ...supervisors];
    let recipients = 0;
    await db.$transaction(async (tx) => {
      await tx.case.update({ where: { id: c.id }, data: { supervised: true, supervisedAt: c.supervisedAt ?? now, supervisionReason: c.supervisionReason ?? "overdue" } });
      await tx.caseEvent.create({ data: { id: randomUUID(), caseId: c.id, type: "escalated", actorType: "system", fromState: c.state, toState: c.state, note: mark, createdAt: await nextEventTime(tx, c.id, now) } });
      for (const r of to) if (await queue(tx, "cadre.escalation", `cadre.escalation:${c.id}:${clock}:${dueAt.toISOString()}:${r.channel}:${r.chatId}`, r, { caseNo: c.caseNo, clock, dueAt: dueAt.toISOString() })) recipients++;
    });
    report.escalations.push({ caseNo: c.caseNo, clock, dueAt: dueAt.toISOString(), recipients });
  }

  // Satisfaction polls (满意度回访), after every reply: one per reply, one waiting poll per resident
  // at a time (so a resident who comes back is not met by a burst), a reminder, then closed.
  const timing = o.poll ?? DEFAULT_POLL_TIMINGS;
  const closeMs = timing.closeDays * 86_400_000;
  const waiting = new Set((await db.case.findMany({ where: { state: "replied", pollSentAt: { not: null }, pollAnsweredAt: null }, select: { residentId: true } })).map((c) => c.residentId));
  const unpolled = await db.case.findMany({ where: { state: "replied", pollSentAt: null, pollDueAt: null }, include: { resident: { select: { pollOptOut: true } } }, orderBy: { repliedAt: "asc" } });
  for (const c of unpolled) {
    // Cases filed through Open311 have no chat to poll in (the caller polls the API instead).
    if (c.resident.pollOptOut || CHANNELS_WITHOUT_CHAT.has(c.channel)) {
      // No poll; the case closes after the same delay as an unanswered one.
      await db.case.updateMany({ where: { id: c.id, pollDueAt: null }, data: { pollDueAt: new Date((c.repliedAt ?? now).getTime() + closeMs) } });
      continue;
    }
    if (waiting.has(c.residentId)) continue;
    // Not before the morning after the date the reply promised ("本周内修复"), else POLL_DELAY_HOURS.
    const repliedAt = c.repliedAt ?? now;
    const promised = findPromisedDate(c.replyText ?? "", repliedAt, o.timeZone, o.workflow?.calendar);
    if (pollSendAt(repliedAt, promised?.date, timing, o.timeZone) > now) continue;
    const to = residentRecipient(c);
    const sent = await db.$transaction(async (tx) => {
      const { count } = await tx.case.updateMany({ where: { id: c.id, state: "replied", pollSentAt: null }, data: { pollSentAt: now, pollDueAt: new Date(now.getTime() + closeMs) } });
      return count === 1 && (await queue(tx, "resident.poll", `resident.poll:${c.id}:${c.repliedAt?.toISOString()}`, to, { caseNo: c.caseNo }));
    });
    if (sent) {
      waiting.add(c.residentId);
      report.polls.sent.push(c.caseNo);
    }
  }
  const unanswered = await db.case.findMany({ where: { state: "replied", pollSentAt: { lte: new Date(now.getTime() - timing.reminderHours * 3_600_000) }, pollRemindedAt: null, pollAnsweredAt: null, pollDueAt: { gt: now } } });
  for (const c of unanswered) {
    const to = residentRecipient(c);
    const reminded = await db.$transaction(async (tx) => {
      const { count } = await tx.case.updateMany({ where: { id: c.id, pollRemindedAt: null }, data: { pollRemindedAt: now } });
      return count === 1 && (await queue(tx, "resident.poll_reminder", `resident.poll_reminder:${c.id}:${c.repliedAt?.toISOString()}`, to, { caseNo: c.caseNo }));
    });
    if (reminded) report.polls.reminded.push(c.caseNo);
  }
  if (o.workflow) {
    for (const c of await db.case.findMany({ where: { state: "replied", pollAnsweredAt: null, pollDueAt: { lte: now } } })) {
      const reason = c.pollSentAt ? "no_answer" : "opted_out";
      try {
        await o.workflow.transition(c.caseNo, "close", { kind: "system" }, { closeReason: reason }, now);
        report.polls.closed.push({ caseNo: c.caseNo, reason });
      } catch (err) {
        // Answered or closed by someone else meanwhile: nothing to do.
        if (!(err instanceof ConcurrentTransitionError || err instanceof InvalidTransitionError)) throw err;
      }
    }
  }

  // Erasures waiting for open cases to close, then the day's retention run (once per local day).
  const personalData = new PersonalDataStore(db);
  for (const e of await personalData.completeErasures(now)) {
    report.erasures.push({ residentId: e.residentId, anonymised: e.anonymised.length, complete: e.complete });
  }
  if (o.retention) {
    const date = toLocalDate(now, o.timeZone);
    const key = `staff.retention:${date}`;
    if (!(await db.outboxMessage.findUnique({ where: { dedupeKey: key } }))) {
      const r = await personalData.retention(o.retention.years, now);
      const cutoff = r.cutoff?.toISOString() ?? null;
      report.retention = { date, cutoff, anonymised: r.anonymised, idNumbersMasked: r.idNumbersMasked };
      // The run's audit row (counts and the cutoff only); also marks the day as done.
      const row = { id: randomUUID(), kind: "staff.retention", dedupeKey: key, availableAt: now };
      await db.outboxMessage.create({ data: { ...row, channel: null, chatId: null, payload: report.retention } })
        .catch((err: unknown) => {
          if (!isUniqueViolation(err)) throw err;
        });
    }
  }

  // Daily digests.
  if (localHour(now, o.timeZone) >= (o.digestHour ?? 8)) {
    const date = toLocalDate(now, o.timeZone);
    const open = await db.case.findMany({ where: { state: { in: WORKING_STATES } }, select: { caseNo: true, unitId: true, receivedAt: true, colourDueAt: true }, orderBy: { colourDueAt: "asc" } });
    // The supervision list (挂牌督办): listed by a leader, overdue, or answered "unsatisfied".
    const listed = await db.case.findMany({ where: { supervised: true }, select: { caseNo: true, unitId: true, repliedUnitId: true }, orderBy: { supervisedAt: "asc" } });
    /** Counts and (up to 10) case numbers of each list. */
    const count = (unitId: string | null) => {
      const mine = open.filter((c) => unitId === null || c.unitId === unitId);
      const lists = {
        new: mine.filter((c) => now.getTime() - c.receivedAt.getTime() < 86_400_000),
        dueToday: mine.filter((c) => toLocalDate(c.colourDueAt, o.timeZone) === date && c.colourDueAt >= now),
        overdue: mine.filter((c) => c.colourDueAt < now),
      };
      const supervised = listed.filter((c) => unitId === null || c.unitId === unitId || c.repliedUnitId === unitId);
      return {
        supervised: supervised.length, supervisedCases: supervised.slice(0, 10).map((c) => c.caseNo),
        new: lists.new.length, dueToday: lists.dueToday.length, overdue: lists.overdue.length,
        newCases: lists.new.slice(0, 10).map((c) => c.caseNo), dueTodayCases: lists.dueToday.slice(0, 10).map((c) => c.caseNo), overdueCases: lists.overdue.slice(0, 10).map((c) => c.caseNo),
      };
    };
    const targets: Array<{ unitId: string | null; to: Recipient[] }> = [];
    for (const u of await db.unit.findMany({ select: { id: true } })) targets.push({ unitId: u.id, to: await unitRecipients(db, u.id) });
    targets.push({ unitId: null, to: supervisors });
    for (const { unitId, to } of targets) {
      if (to.length === 0) continue;
      const n = count(unitId);
      let recipients = 0;
      for (const r of to) if (await queue(db, "cadre.digest", `cadre.digest:${unitId ?? "all"}:${date}:${r.channel}:${r.chatId}`, r, { unitId, date, ...n })) recipients++;
      if (recipients) report.digests.push({ unitId, date, recipients, new: n.new, dueToday: n.dueToday, overdue: n.overdue });
    }
  }
  return report;
}
