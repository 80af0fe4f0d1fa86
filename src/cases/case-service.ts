import { randomUUID } from "node:crypto";
import {
  ALERT_PRIORITY, DailyCaseLimitError, OPEN_STATES, computeClocks, formatCaseNumber, placeParts, startOfLocalDay,
  suggestColour, toLocalDate, type Receipt, type TriageNote, type WorkingDays,
} from "../domain/index.js";
import { SIMILARITY_THRESHOLDS, samePlace, textSimilarity } from "../nlu/similarity.js";
import { maskPhone, redactPersonalData } from "../privacy/index.js";
import type { CaseStatus, DangerAlert, IntakeForm, Submission } from "../domain/index.js";
import type { Locale } from "../i18n.js";
import {
  ENQUIRY_LOCK_MS, ENQUIRY_MAX_FAILURES, enquiryCodeHash, enquiryCodeMatches, enquiryLockKeys, newEnquiryCode, type EnquiryOutcome,
} from "./enquiry.js";
import {
  CaseRepository, isUniqueViolation,
  type CaseEventRecord, type CaseFilter, type CaseRecord, type NewOutboxRow, type TriageNoteRecord,
} from "./case-repository.js";
import { routeCategory, type RoutedUnit } from "./routing.js";
import { formWithoutIdNumbers } from "./id-numbers.js";

/** How far back a resident's earlier cases are offered as "the same matter?", in days. */
const PRIOR_MATTER_DAYS = 365;
/** How far back other residents' open cases are looked at for a cluster, in days. */
const CLUSTER_DAYS = 30;
/** How long a triage note of a chat (danger alert, another procedure) waits for a case filed from it, in hours. */
const TRIAGE_NOTE_HOURS = 24;
/** Triage notes that make the next case red and supervised from intake (issue #14). */
const DANGER_KINDS: ReadonlySet<string> = new Set(["emergency", "self_harm", "threat"]);
/**
 * Channels the daily limit does not apply to: Open311 files for a whole hotline platform under
 * one client identity (its API keys are its control).
 */
const UNLIMITED_CHANNELS: ReadonlySet<string> = new Set(["open311"]);

/** Options of the {@link CaseService}. */
export interface CaseServiceOptions {
  repository: CaseRepository;
  calendar: WorkingDays;
  /** IANA zone for local dates (case numbers, deadlines). */
  timeZone: string;
  /** Letters before case numbers, e.g. XF. */
  prefix: string;
  /**
   * Most cases filed per local day by one resident, and by one phone across all identities
   * (DAILY_CASE_LIMIT; issue #14). Unset or 0: no limit. Open311 filings are not counted against.
   */
  dailyCaseLimit?: number;
}

/** A case with everything `cases show` prints; personal data is masked unless asked for. */
export interface CaseDetails {
  caseNo: string;
  category: string;
  state: string;
  colour: string;
  unit: { id: string; name: string } | null;
  description: string;
  location: string | null;
  occurredAt: string | null;
  occurredOn: string | null;
  demands: string | null;
  attachments: Array<{ kind: string; fileId: string; channel?: string; caption?: string }>;
  name: string | null;
  phone: string | null;
  channel: string;
  receivedAt: string;
  clocks: {
    colourDueAt: string;
    registerDueAt: string;
    acceptanceDueAt: string;
    objectionDueAt: string | null;
    replyDueAt: string;
  };
  classifier: { suggested: string | null; confidence: number | null };
  /** Follow-up: handling stage (handling | review | reexamination), the latest poll answer, supervision, cluster. */
  followUp: { stage: string; satisfaction: string | null; supervised: boolean; clusterNo: string | null };
  /** History, oldest first; `actor` is e.g. "cadre:张科长 (cadre-ab12cd34)", "resident", "system". */
  events: Array<{ type: string; actor: string; from: string | null; to: string | null; note: string | null; at: string }>;
}

/** One line of an operator's case list (`cases list --json`, `GET /admin/api/cases`); the phone masked. */
export interface CaseSummary {
  caseNo: string;
  category: string;
  state: string;
  colour: string;
  unit: string | null;
  receivedAt: string;
  colourDueAt: string;
  phone: string | null;
}

/** A case as one line of an operator's list. */
export function caseSummary(c: CaseRecord): CaseSummary {
  return {
    caseNo: c.caseNo, category: c.category, state: c.state, colour: c.colour, unit: c.unitId,
    receivedAt: c.receivedAt.toISOString(), colourDueAt: c.colourDueAt.toISOString(), phone: maskPhone(c.contactPhone),
  };
}

/**
 * The case desk: files cases from completed forms (numbered, routed, clocks set, first
 * events and outbox rows written in one transaction), answers residents' status questions
 * (their own cases only) and serves operators' queries. Implements the dialog's CaseDesk.
 */
export class CaseService {
  constructor(private readonly o: CaseServiceOptions) {}

  /** The resident's earlier case that may be the same matter, open ones first (see CaseDesk.priorMatter). */
  async priorMatter(q: { channel: string; userId: string; form: IntakeForm; now: Date }): Promise<CaseStatus | null> {
    const residentId = await this.o.repository.residentIdOf(q.channel, q.userId);
    if (!residentId || !q.form.category) return null;
    const since = new Date(q.now.getTime() - PRIOR_MATTER_DAYS * 86_400_000);
    const mine = (await this.o.repository.sameKindCases({ category: q.form.category, since, residentId }))
      .filter((c) => samePlace(q.form.location, c.location));
    if (mine.length === 0) return null;
    // Text similarity only orders the candidates: on near-duplicate pairs it cannot tell "the
    // same matter" from "another matter at the same place" (README: Repeat petitions), so the
    // resident is asked rather than told.
    const text = q.form.description ?? "";
    const score = (c: CaseRecord) => (OPEN_STATES.has(c.state) || c.state === "replied" ? 1 : 0) + textSimilarity(text, c.description);
    const best = mine.sort((a, b) => score(b) - score(a))[0]!;
    return this.statusOf(best);
  }

  /**
   * Files a case; the same `submission.key` always returns the first case's receipt. When the
   * resident said the form is about their earlier case (`form.sameAs`): an open case gets the new
   * text linked to it (Art. 19 ¶3), a closed one a new case marked as a repeat visit routed to
   * the level above for verification, a final one (re-examined, Art. 36) nothing new.
   * ID-card numbers (18 and 15 digits) in the form's free text are masked to their last 4
   * characters first, so they never reach the database.
   */
  async submit(submission: Submission): Promise<Receipt> {
    const existing = await this.o.repository.findBySubmissionKey(submission.key);
    if (existing) return this.receipt(existing);
    // ID-card numbers are not stored at all: masked to their last 4 before anything is written.
    const sub: Submission = { ...submission, form: formWithoutIdNumbers(submission.form) };
    const f = sub.form;
    const units = await this.o.repository.units();
    let unit = routeCategory(f.category, units, f.location);
    let repeatOf: CaseRecord | null = null;
    if (f.sameAs) {
      const earlier = await this.o.repository.findByNumber(f.sameAs);
      const residentId = await this.o.repository.residentIdOf(sub.channel, sub.userId);
      if (earlier && earlier.residentId === residentId) {
        const outcome = await this.sameMatter(sub, earlier);
        if (outcome) return outcome;
        repeatOf = earlier;
        unit = await this.o.repository.levelAbove(earlier.repliedUnitId ?? earlier.unitId);
      }
    }
    await this.checkDailyLimit(sub);
    const cluster = repeatOf ? null : await this.clusterOf(sub);
    // What triage noticed in this chat before the form: danger makes the case red and supervised
    // from intake, another procedure named is recorded on it (诉访分离; still routed as usual, Art. 22).
    const notesSince = new Date(sub.receivedAt.getTime() - TRIAGE_NOTE_HOURS * 3_600_000);
    const notes = await this.o.repository.openTriageNotes(sub.channel, sub.userId, notesSince);
    const danger = notes.filter((n) => DANGER_KINDS.has(n.kind)).at(-1) ?? null;
    const procedure = notes.filter((n) => n.kind === "other_procedure" && n.subtype).at(-1)?.subtype ?? null;
    const colour = danger ? "red" : suggestColour(f.category, `${f.description}\n${f.demands ?? ""}`);
    const receivedAt = sub.receivedAt;
    const assignedAt = unit ? receivedAt : null;
    const clocks = computeClocks({ receivedAt, assignedAt, colour }, this.o.calendar, this.o.timeZone);
    const day = toLocalDate(receivedAt, this.o.timeZone);
    const enquiryCode = newEnquiryCode();
    try {
      const record = await this.o.repository.insert(
        {
          submissionKey: sub.key,
          enquiryCodeHash: enquiryCodeHash(sub.key, enquiryCode),
          publicConsent: f.publicConsent ?? null,
          category: f.category,
          suggestedCategory: f.suggestedCategory ?? null,
          classifierScore: f.classifierScore ?? null,
          state: unit ? "assigned" : "registered",
          colour,
          description: f.description,
          location: f.location ?? null,
          occurredText: f.occurredText ?? null,
          ...placeParts(f.location),
          repeatOfCaseId: repeatOf?.id ?? null,
          clusterNo: cluster?.clusterNo ?? null,
          occurredOn: f.occurredOn ? startOfLocalDay(f.occurredOn, this.o.timeZone) : null,
          demands: f.demands ?? null,
          attachments: f.attachments ?? [],
          contactName: f.name ?? null,
          contactPhone: f.phone ?? null,
          channel: sub.channel,
          chatId: sub.chatId,
          locale: sub.locale,
          unitId: unit?.id ?? null,
          receivedAt,
          assignedAt,
          ...clocks,
          extendedDays: 0,
          idNumbersMaskedAt: receivedAt,
          ...(danger ? { supervised: true, supervisedAt: receivedAt, supervisionReason: "danger" } : {}),
          advisedProcedure: procedure,
          triageNoteIds: notes.map((n) => n.id),
          resident: { channel: sub.channel, externalId: sub.userId, name: f.name ?? null, phone: f.phone ?? null, locale: sub.locale },
          events: [
            { type: "created", actorType: "resident", actorId: null, fromState: null, toState: "registered", note: null },
            ...this.triageEvents(danger, procedure),
            ...(repeatOf ? [{ type: "repeat_visit", actorType: "system", actorId: null, fromState: "registered", toState: "registered", note: repeatOf.caseNo }] : []),
            ...(unit ? [{ type: "assigned", actorType: "system", actorId: null, fromState: "registered", toState: "assigned", note: unit.id }] : []),
          ],
          // The unit's cadres and groups hear of the new case in the same transaction; after a
          // danger alert the duty desk hears its case number too, ahead of everything else.
          outbox: [...(danger ? await this.alertCaseRows(sub, danger) : []), ...(unit
            ? (await this.o.repository.recipientsOf(unit.id)).map((r) => ({
                kind: "cadre.new_case", dedupeKey: `cadre.new_case:${sub.key}:${r.channel}:${r.chatId}`, channel: r.channel, chatId: r.chatId,
                payload: { unitId: unit.id, audience: r.audience, locale: r.locale, repeatOf: repeatOf?.caseNo ?? null, clusterNo: cluster?.clusterNo ?? null, clusterSize: cluster ? cluster.size + 1 : null },
              }))
            : [])],
        },
        `${this.o.prefix}:${day}`,
        (seq) => formatCaseNumber(this.o.prefix, day, seq),
      );
      if (cluster) await this.o.repository.startCluster(cluster.headId, cluster.clusterNo);
      return { ...this.receipt(record), enquiryCode, ...(repeatOf ? { disposition: "repeat" as const, repeatOf: repeatOf.caseNo } : {}) };
    } catch (err) {
      if (isUniqueViolation(err)) {
        // A second "confirm" (another process, or a double tap) got there first.
        const again = await this.o.repository.findBySubmissionKey(sub.key);
        if (again) return this.receipt(again);
      }
      throw err;
    }
  }

  /**
   * Refuses a new case when the resident, or the phone given (in the form, else the resident's
   * stored one), already filed `dailyCaseLimit` cases since local midnight — counted over every
   * identity with that phone (Telegram + web). Linked submissions are no new cases and pass.
   * @throws DailyCaseLimitError with the resident's own open cases (at most 5, newest first).
   */
  private async checkDailyLimit(sub: Submission): Promise<void> {
    const limit = this.o.dailyCaseLimit ?? 0;
    if (limit <= 0 || UNLIMITED_CHANNELS.has(sub.channel)) return;
    const residentId = await this.o.repository.residentIdOf(sub.channel, sub.userId);
    const phone = sub.form.phone ?? (residentId ? await this.o.repository.residentPhone(residentId) : null);
    const tz = this.o.timeZone;
    const since = startOfLocalDay(toLocalDate(sub.receivedAt, tz), tz);
    if ((await this.o.repository.countFiledSince({ residentId, phone, since })) < limit) return;
    const own = residentId ? await this.o.repository.listForResident(residentId, 50) : [];
    const open = own.filter((c) => OPEN_STATES.has(c.state) || c.state === "replied").slice(0, 5);
    throw new DailyCaseLimitError(limit, open.map((c) => this.statusOf(c)));
  }

  /** History lines of a case filed after triage: why it is supervised from intake, which procedure was named. */
  private triageEvents(danger: TriageNoteRecord | null, procedure: string | null) {
    const line = (type: string, note: string) =>
      ({ type, actorType: "system", actorId: null, fromState: "registered", toState: "registered", note });
    return [
      // e.g. "danger:emergency:gas" — a machine mark, like "unsatisfied" on the other listings.
      ...(danger ? [line("supervised", ["danger", danger.kind, danger.subtype].filter(Boolean).join(":"))] : []),
      // Filed after being told of procedure X (court, labour_arbitration …) and insisting.
      ...(procedure ? [line("procedure_advised", procedure)] : []),
    ];
  }

  /** The duty desk's follow-up alert for a case filed after a danger alert: its number, place and contact. */
  private async alertCaseRows(sub: Submission, danger: TriageNoteRecord): Promise<NewOutboxRow[]> {
    const duty = (await this.o.repository.units()).find((u) => u.isDutyDesk);
    const f = sub.form;
    return (duty ? await this.o.repository.recipientsOf(duty.id) : []).map((r) => ({
      kind: "cadre.alert_case", dedupeKey: `cadre.alert_case:${sub.key}:${r.channel}:${r.chatId}`,
      channel: r.channel, chatId: r.chatId, priority: ALERT_PRIORITY,
      payload: {
        kind: danger.kind, subtype: danger.subtype, channel: sub.channel, location: f.location ?? null,
        name: f.name ?? null, phone: f.phone ?? null, audience: r.audience, locale: r.locale,
      },
    }));
  }

  /**
   * A submission about the resident's earlier case `earlier`: linked to it when it is still
   * being handled (or waits for the poll), refused as final after re-examination; null when a
   * new case should be filed as a repeat visit (the earlier one is closed).
   */
  private async sameMatter(sub: Submission, earlier: CaseRecord): Promise<Receipt | null> {
    const f = sub.form;
    const data = { submissionKey: sub.key, description: f.description, location: f.location ?? null, demands: f.demands ?? null, attachments: f.attachments ?? [] };
    const now = sub.receivedAt;
    // Re-examined (Art. 36): final even while its last poll is still open.
    if (earlier.stage === "reexamination" && (earlier.state === "closed" || earlier.state === "replied")) {
      await this.o.repository.linkSubmission(earlier.id, sub.key, "repeat_refused", f.description.slice(0, 4000), data, [], now);
      return { ...this.receipt(earlier), disposition: "final" };
    }
    if (OPEN_STATES.has(earlier.state) || earlier.state === "replied") {
      // The unit hears what the resident added (their cadres and groups; masked in groups).
      const outbox = earlier.unitId
        ? (await this.o.repository.recipientsOf(earlier.unitId)).map((r) => ({
            kind: "cadre.linked", dedupeKey: `cadre.linked:${sub.key}:${r.channel}:${r.chatId}`, channel: r.channel, chatId: r.chatId,
            payload: { caseNo: earlier.caseNo, text: f.description.slice(0, 1500), audience: r.audience, locale: r.locale },
          }))
        : [];
      await this.o.repository.linkSubmission(earlier.id, sub.key, "linked", f.description.slice(0, 4000), data, outbox, now);
      return { ...this.receipt(earlier), disposition: "linked" };
    }
    return null;
  }

  /**
   * Other residents' open case on the same matter (same category and town/village, last 30
   * days, text similarity ≥ SIMILARITY_THRESHOLDS.cluster), for grouping reports of one matter.
   */
  private async clusterOf(sub: Submission): Promise<{ clusterNo: string; headId: string; size: number } | null> {
    const f = sub.form;
    const place = placeParts(f.location);
    if (!place.town && !place.village) return null;
    const residentId = (await this.o.repository.residentIdOf(sub.channel, sub.userId)) ?? "";
    const since = new Date(sub.receivedAt.getTime() - CLUSTER_DAYS * 86_400_000);
    let best: { c: CaseRecord; score: number } | null = null;
    // The 50 newest open reports of the kind in that village (or town): enough to find the matter, bounded per filing.
    for (const c of await this.o.repository.sameKindCases({ category: f.category, since, othersThan: residentId, openOnly: true, town: place.town, village: place.village, limit: 50 })) {
      if (!c.town && !c.village) continue;
      if (!samePlace(f.location, c.location)) continue;
      const score = textSimilarity(f.description, c.description);
      if (score >= SIMILARITY_THRESHOLDS.cluster && (!best || score > best.score)) best = { c, score };
    }
    if (!best) return null;
    const clusterNo = best.c.clusterNo ?? best.c.caseNo;
    return { clusterNo, headId: best.c.id, size: best.c.clusterNo ? await this.o.repository.clusterSize(clusterNo) : 1 };
  }

  private statusOf(c: CaseRecord): CaseStatus {
    return { ...this.receipt(c), lastEvent: c.state, updatedAt: c.updatedAt };
  }

  /**
   * Status of a case for the chat (channel, userId): the resident's own case, or one the chat
   * proved with the enquiry code; null otherwise (also when there is no such case — the two are
   * never told apart).
   */
  async status(channel: string, userId: string, caseNo: string): Promise<CaseStatus | null> {
    const c = await this.o.repository.findByNumber(caseNo);
    if (!c || !(await this.mayFollow(channel, userId, c))) return null;
    const events = await this.o.repository.events(c.id);
    return { ...this.receipt(c), lastEvent: events[events.length - 1]?.type ?? "created", updatedAt: c.updatedAt };
  }

  /** The chat's latest cases, newest first: the resident's own and those it follows by enquiry code. */
  async recent(channel: string, userId: string, limit: number): Promise<CaseStatus[]> {
    const residentId = await this.o.repository.residentIdOf(channel, userId);
    const own = residentId ? await this.o.repository.listForResident(residentId, limit) : [];
    const granted = await this.o.repository.grantedCases(channel, userId, limit);
    const seen = new Set(own.map((c) => c.id));
    const all = [...own, ...granted.filter((c) => !seen.has(c.id))].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
    return all.slice(0, limit).map((c) => this.statusOf(c));
  }

  /**
   * A lookup by case number and enquiry code (查询码) from any chat. The right code lets the chat
   * follow the case from then on (status, poll, review request); a wrong code, or a number that
   * does not exist, counts against both the case number and the chat, and after
   * {@link ENQUIRY_MAX_FAILURES} lookups are locked for {@link ENQUIRY_LOCK_MS} ms — also for the right code.
   */
  async enquire(channel: string, userId: string, caseNo: string, code: string, now = new Date()): Promise<EnquiryOutcome> {
    const keys = enquiryLockKeys(caseNo, channel, userId);
    const locked = (await this.o.repository.enquiryLocks(keys)).map((l) => l.lockedUntil).filter((d): d is Date => d !== null && d > now);
    if (locked.length) return { kind: "locked", until: new Date(Math.max(...locked.map((d) => d.getTime()))) };
    const c = await this.o.repository.findByNumber(caseNo);
    if (c && enquiryCodeMatches(c.submissionKey, c.enquiryCodeHash, code)) {
      await this.o.repository.grant(channel, userId, c.id);
      await this.o.repository.clearEnquiryLocks(keys);
      return { kind: "granted", caseNo: c.caseNo };
    }
    const until = (await Promise.all(keys.map((k) => this.o.repository.countEnquiryFailure(k, now, ENQUIRY_MAX_FAILURES, ENQUIRY_LOCK_MS))))
      .filter((d): d is Date => d !== null);
    return until.length ? { kind: "locked", until: until[0]! } : { kind: "refused" };
  }

  /**
   * A new enquiry code for the resident's own case, for a resident who lost it or whose receipt
   * someone else saw: the old code stops working and every other chat that followed the case by
   * it loses access. Null when the case is not theirs; only the filing resident's chats may ask.
   */
  async reissueEnquiryCode(channel: string, userId: string, caseNo: string): Promise<string | null> {
    const residentId = await this.o.repository.residentIdOf(channel, userId);
    const c = residentId ? await this.o.repository.findByNumber(caseNo) : null;
    if (!c || c.residentId !== residentId) return null;
    const code = newEnquiryCode();
    await this.o.repository.setEnquiryCodeHash(c.id, enquiryCodeHash(c.submissionKey, code));
    return code;
  }

  /** The resident's own case, or one the chat proved with its enquiry code. */
  private async mayFollow(channel: string, userId: string, c: CaseRecord): Promise<boolean> {
    const residentId = await this.o.repository.residentIdOf(channel, userId);
    return (residentId !== null && c.residentId === residentId) || this.o.repository.hasGrant(channel, userId, c.id);
  }

  /** Records a request for a person to take over (an outbox row for the duty desk). */
  async handoff(req: { channel: string; userId: string; chatId: string; locale: Locale; reason: string; form: IntakeForm }): Promise<number> {
    // The duty desk's cadres (and its group) are told who asked and how to reach them; the
    // phone is masked for groups when the message is rendered.
    const snapshot = { channel: req.channel, reason: req.reason, description: req.form.description?.slice(0, 500) ?? null, location: req.form.location ?? null, name: req.form.name ?? null, phone: req.form.phone ?? null };
    return this.toDutyDesk("handoff", snapshot, { channel: req.channel, chatId: req.chatId }, { userId: req.userId, locale: req.locale, reason: req.reason, form: { ...req.form, phone: maskPhone(req.form.phone) } });
  }

  /**
   * Queues a danger alert (triage: emergency, self-harm, threat) to every chat of the duty desk
   * (值班), plus an audit row even when nobody is bound. The resident's words are kept as written
   * for private chats and masked for groups when rendered. Returns how many chats were queued.
   */
  async raiseAlert(alert: DangerAlert): Promise<number> {
    const payload = { channel: alert.channel, kind: alert.kind, subtype: alert.subtype, call: alert.call, text: alert.text, at: alert.receivedAt.toISOString() };
    return this.toDutyDesk("alert", payload, { channel: alert.channel, chatId: alert.chatId }, { ...payload, userId: alert.userId, locale: alert.locale, text: redactPersonalData(alert.text) });
  }

  /**
   * Notes what triage noticed in a resident's chat (a danger alert, another procedure named) for
   * the next case filed from it within 24 hours: see {@link submit}.
   */
  async noteTriage(note: TriageNote): Promise<void> {
    await this.o.repository.noteTriage(note);
  }

  /**
   * Queues `cadre.<what>` with `payload` to every chat of the duty desk (值班), and a
   * `staff.<what>` audit row with `audit` (personal data already masked) for the resident's chat
   * `from` — written even when nobody is bound, so operators see it with the outbox. Returns how
   * many duty-desk chats were queued.
   */
  private async toDutyDesk(what: "handoff" | "alert", payload: Record<string, unknown>, from: { channel: string; chatId: string }, audit: Record<string, unknown>): Promise<number> {
    const duty = (await this.o.repository.units()).find((u) => u.isDutyDesk);
    const recipients = duty ? await this.o.repository.recipientsOf(duty.id) : [];
    const id = randomUUID();
    for (const r of recipients) {
      await this.o.repository.enqueue({
        kind: `cadre.${what}`, dedupeKey: `cadre.${what}:${id}:${r.channel}:${r.chatId}`,
        channel: r.channel, chatId: r.chatId, payload: { ...payload, audience: r.audience, locale: r.locale },
        priority: what === "alert" ? ALERT_PRIORITY : 0,
      });
    }
    await this.o.repository.enqueue({ kind: `staff.${what}`, dedupeKey: `staff.${what}:${id}`, channel: from.channel, chatId: from.chatId, payload: { ...audit, notified: recipients.length } });
    return recipients.length;
  }

  /** Cases for operators, newest first. */
  async list(filter: CaseFilter = {}): Promise<CaseRecord[]> {
    return this.o.repository.list(filter);
  }

  /** How many cases match `filter` (for paging). */
  async count(filter: CaseFilter = {}): Promise<number> {
    return this.o.repository.count(filter);
  }

  /**
   * One case with clocks and history, or null. Phone and ID-card numbers (also inside the
   * description) are masked unless `revealPhone`.
   */
  async show(caseNo: string, revealPhone = false): Promise<CaseDetails | null> {
    const c = await this.o.repository.findByNumber(caseNo);
    if (!c) return null;
    const events = await this.o.repository.events(c.id);
    const names = await this.o.repository.cadreNames(events.filter((e) => e.actorType === "cadre" && e.actorId).map((e) => e.actorId!));
    return this.details(c, events, revealPhone, names);
  }

  /** The routing units, by id. */
  async units(): Promise<RoutedUnit[]> {
    return this.o.repository.units();
  }

  /** Inserts or updates the routing units. */
  async loadUnits(units: Parameters<CaseRepository["upsertUnits"]>[0]): Promise<void> {
    await this.o.repository.upsertUnits(units);
  }

  private receipt(c: CaseRecord): Receipt {
    const tz = this.o.timeZone;
    return {
      caseNo: c.caseNo, category: c.category, state: c.state, unitId: c.unitId, unitName: c.unitName, unitNameEn: c.unitNameEn, colour: c.colour,
      colourDueDate: toLocalDate(c.colourDueAt, tz), replyDueDate: toLocalDate(c.replyDueAt, tz), receivedDate: toLocalDate(c.receivedAt, tz),
    };
  }

  private details(c: CaseRecord, events: CaseEventRecord[], revealPhone: boolean, names: ReadonlyMap<string, string>): CaseDetails {
    const iso = (d: Date) => d.toISOString();
    return {
      caseNo: c.caseNo, category: c.category, state: c.state, colour: c.colour,
      unit: c.unitId ? { id: c.unitId, name: c.unitName ?? c.unitId } : null,
      description: revealPhone ? c.description : redactPersonalData(c.description), location: c.location, occurredAt: c.occurredText,
      occurredOn: c.occurredOn ? toLocalDate(c.occurredOn, this.o.timeZone) : null, demands: c.demands, attachments: c.attachments,
      name: c.contactName, phone: revealPhone ? c.contactPhone : maskPhone(c.contactPhone), channel: c.channel,
      receivedAt: iso(c.receivedAt),
      clocks: {
        colourDueAt: iso(c.colourDueAt), registerDueAt: iso(c.registerDueAt), acceptanceDueAt: iso(c.acceptanceDueAt),
        objectionDueAt: c.objectionDueAt ? iso(c.objectionDueAt) : null, replyDueAt: iso(c.replyDueAt),
      },
      classifier: { suggested: c.suggestedCategory, confidence: c.classifierScore },
      followUp: { stage: c.stage, satisfaction: c.satisfaction, supervised: c.supervised, clusterNo: c.clusterNo },
      events: events.map((e) => ({ type: e.type, actor: e.actorType === "resident" ? "resident" : e.actorId ? `${e.actorType}:${names.has(e.actorId) ? `${names.get(e.actorId)} (${e.actorId})` : e.actorId}` : e.actorType, from: e.fromState, to: e.toState, note: e.note, at: iso(e.createdAt) })),
    };
  }
}
