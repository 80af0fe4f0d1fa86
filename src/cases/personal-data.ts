import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import { Prisma } from "../generated/sqlite/client.js";
import { FINAL_STATES, isCaseState, type CaseState } from "../domain/index.js";
import { nextEventTime } from "./case-repository.js";
import { maskIdNumbers } from "./id-numbers.js";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Final states: nothing more happens on the case, so its free text may go (erasure, retention). */
const FINAL: readonly CaseState[] = [...FINAL_STATES];
/** Event types whose note is a machine mark (a unit id, a deadline mark, a case number), kept on erasure. */
const MACHINE_NOTES: ReadonlySet<string> = new Set(["assigned", "escalated", "repeat_visit"]);
/** Cases handled per transaction by the retention run. */
const BATCH = 200;

/** Who erased: the resident in the chat, an operator on the CLI, the scheduler, or the retention period. */
export type ErasedBy = "resident" | "operator" | "scheduler" | "retention";

/** Thrown when no resident has the given id (or phone, or case number); the message names it. */
export class UnknownResidentError extends Error {
  readonly code = "RESIDENT.NOT_FOUND";
  constructor(readonly what: string) {
    super(`No resident found for ${what}`);
    this.name = "UnknownResidentError";
  }
}

/** What is stored about a resident, as the resident is shown it (phone: last 4 digits only). */
export interface ResidentOverview {
  residentId: string;
  /** The resident's language (zh-CN | en). */
  locale: string;
  name: string | null;
  /** `*******1234`; null when none is stored. */
  phone: string | null;
  /** Channels the resident is known on, with how many identities each (web browsers, chats). */
  channels: Array<{ channel: string; count: number }>;
  /** The resident's cases, newest first. */
  cases: Array<{ caseNo: string; state: string; category: string; receivedAt: Date; anonymised: boolean }>;
  /** When erasure was asked for (open cases are erased when they close); null when not asked. */
  erasureRequestedAt: Date | null;
}

/** What one erasure did (also the payload of its `staff.erasure` audit row): counts, no personal data. */
export interface ErasureReport {
  residentId: string;
  by: ErasedBy;
  /** Case numbers whose free text was erased now. */
  anonymised: string[];
  /** Case numbers still open: their text is kept until they close, then the scheduler erases it. */
  pending: string[];
  /** Channel identities deleted now (when nothing open needs them to send the reply or poll). */
  identitiesDeleted: number;
  /** True when nothing personal is left (no open case). */
  complete: boolean;
}

/** What one retention run did: the cutoff (closed before it = anonymised) and counts. */
export interface RetentionReport {
  /** Cases closed before this instant were anonymised; null when RETENTION_YEARS is 0 (never). */
  cutoff: Date | null;
  anonymised: number;
  /** Stored cases whose free text had ID-card numbers, now masked. */
  idNumbersMasked: number;
}

/** The `residents export` document: everything stored about each resident found. */
export interface ResidentExport {
  exportedAt: string;
  residents: Array<Record<string, unknown>>;
}

/** Last 4 digits of a phone number, the rest as `*`; null for none. */
export function phoneLast4(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, "");
  return digits.length <= 4 ? "*".repeat(digits.length || 4) : `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** An event's note and data as kept on an anonymised case: machine marks and numbers, no words. */
function anonymousEvent(e: { type: string; note: string | null; data: unknown }): {
  note: string | null;
  data: Record<string, unknown> | null;
} {
  const d = e.data && typeof e.data === "object" && !Array.isArray(e.data) ? (e.data as Record<string, unknown>) : {};
  const data: Record<string, unknown> = {};
  if (typeof d.days === "number") data.days = d.days;
  if (typeof d.closeReason === "string") data.closeReason = d.closeReason;
  if (typeof d.stage === "string") data.stage = d.stage;
  const note = e.note;
  const machine =
    note !== null &&
    (MACHINE_NOTES.has(e.type) ||
      /^(→ |poll: )/.test(note) ||
      (e.type === "close" && note === d.closeReason) ||
      (e.type === "supervised" && note === "unsatisfied"));
  return { note: machine ? note : null, data: Object.keys(data).length ? data : null };
}

/** A JSON value with every string's ID-card numbers masked. */
function maskJson(v: unknown): unknown {
  if (typeof v === "string") return maskIdNumbers(v);
  if (Array.isArray(v)) return v.map(maskJson);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskJson(x)]));
  return v;
}

const json = (v: unknown) => (v === null || v === undefined ? Prisma.DbNull : (v as Prisma.InputJsonValue));

/**
 * The resident's data rights in the case store (个人信息保护法 Arts. 44–47): what is stored about
 * them (Art. 45, access and copy), erasure on request (Art. 47) and the retention period
 * (Art. 19: kept no longer than needed; Art. 47 ¶1 (2) once it has passed). Erasing keeps the
 * anonymous case record the ledger needs (category, town/village, unit, dates, colour, outcome,
 * satisfaction) and removes names, phones, channel identities, dialog state and every free text.
 * The only place that erases; the chat, the CLI and the scheduler call it.
 */
export class PersonalDataStore {
  constructor(private readonly db: Db) {}

  /** The resident behind a channel identity, or null. */
  async residentOf(channel: string, externalId: string): Promise<string | null> {
    const r = await this.db.channelIdentity.findUnique({ where: { channel_externalId: { channel, externalId } } });
    return r?.residentId ?? null;
  }

  /**
   * Resident ids matching a resident id, a phone number (the resident's or a case's contact
   * phone, digits compared) or a case number. [] when none.
   */
  async find(q: { residentId?: string; phone?: string; caseNo?: string }): Promise<string[]> {
    if (q.residentId) return (await this.db.resident.count({ where: { id: q.residentId } })) ? [q.residentId] : [];
    if (q.caseNo) {
      const c = await this.db.case.findUnique({
        where: { caseNo: q.caseNo.trim().toUpperCase() },
        select: { residentId: true },
      });
      return c ? [c.residentId] : [];
    }
    const digits = (q.phone ?? "").replace(/\D/g, "");
    if (digits.length < 5) return [];
    // Stored as typed (spaces, +86): compare digits, over the rows whose phone ends with the last 4.
    const tail = digits.slice(-4);
    const same = (p: string | null) =>
      (p ?? "").replace(/\D/g, "").replace(/^86(?=1\d{10}$)/, "") === digits.replace(/^86(?=1\d{10}$)/, "");
    const residents = await this.db.resident.findMany({
      where: { phone: { endsWith: tail } },
      select: { id: true, phone: true },
    });
    const cases = await this.db.case.findMany({
      where: { contactPhone: { endsWith: tail } },
      select: { residentId: true, contactPhone: true },
    });
    return [
      ...new Set([
        ...residents.filter((r) => same(r.phone)).map((r) => r.id),
        ...cases.filter((c) => same(c.contactPhone)).map((c) => c.residentId),
      ]),
    ];
  }

  /** What is stored about the resident behind (channel, userId), as shown to them; null when nothing. */
  async overviewOf(channel: string, userId: string): Promise<ResidentOverview | null> {
    const id = await this.residentOf(channel, userId);
    return id ? this.overview(id) : null;
  }

  /**
   * What is stored about resident `residentId`: name, phone (last 4 digits), channels, cases.
   * @throws UnknownResidentError for an unknown id.
   */
  async overview(residentId: string): Promise<ResidentOverview> {
    const r = await this.db.resident.findUnique({
      where: { id: residentId },
      include: {
        identities: { select: { channel: true } },
        cases: {
          select: { caseNo: true, state: true, category: true, receivedAt: true, anonymisedAt: true },
          orderBy: { receivedAt: "desc" },
        },
      },
    });
    if (!r) throw new UnknownResidentError(`resident id ${residentId}`);
    const channels = new Map<string, number>();
    for (const i of r.identities) channels.set(i.channel, (channels.get(i.channel) ?? 0) + 1);
    return {
      residentId: r.id,
      locale: r.locale,
      name: r.name,
      phone: phoneLast4(r.phone),
      channels: [...channels].map(([channel, count]) => ({ channel, count })),
      cases: r.cases.map((c) => ({
        caseNo: c.caseNo,
        state: c.state,
        category: c.category,
        receivedAt: c.receivedAt,
        anonymised: c.anonymisedAt !== null,
      })),
      erasureRequestedAt: r.erasureRequestedAt,
    };
  }

  /** Records that the resident behind (channel, userId) asked to erase, to confirm by `until`; false if unknown. */
  async askErasure(channel: string, userId: string, until: Date): Promise<boolean> {
    const id = await this.residentOf(channel, userId);
    if (!id) return false;
    await this.db.resident.update({ where: { id }, data: { erasureConfirmUntil: until } });
    return true;
  }

  /** True while the resident behind (channel, userId) has an unexpired request waiting for confirmation. */
  async erasurePending(channel: string, userId: string, now: Date): Promise<boolean> {
    const r = await this.db.channelIdentity.findUnique({
      where: { channel_externalId: { channel, externalId: userId } },
      select: { resident: { select: { erasureConfirmUntil: true } } },
    });
    const until = r?.resident.erasureConfirmUntil;
    return !!until && until > now;
  }

  /** Drops a request waiting for confirmation (the resident said no, or something else). */
  async cancelErasure(channel: string, userId: string): Promise<void> {
    const id = await this.residentOf(channel, userId);
    if (id)
      await this.db.resident.updateMany({
        where: { id, erasureConfirmUntil: { not: null } },
        data: { erasureConfirmUntil: null },
      });
  }

  /**
   * Confirms the waiting request of the resident behind (channel, userId) and erases (see
   * {@link erase}). Once only: a second confirmation (double tap, two processes) or an expired
   * one returns null and erases nothing more.
   */
  async confirmErasure(channel: string, userId: string, now: Date): Promise<ErasureReport | null> {
    const id = await this.residentOf(channel, userId);
    if (!id) return null;
    const { count } = await this.db.resident.updateMany({
      where: { id, erasureConfirmUntil: { gt: now } },
      data: { erasureConfirmUntil: null },
    });
    return count === 1 ? this.erase(id, "resident", now) : null;
  }

  /**
   * Erases resident `residentId` (个人信息保护法 Art. 47): their name and phone now; for each
   * closed (final) case the free text (description, place, time, demands, contact name and
   * phone, attachments, handling opinion, poll comment, event notes and data with words, chat
   * id) while its anonymous record stays for the ledger; dialog state; messages already sent
   * to their chats. Open cases keep their text until they close — the request is marked on the
   * resident and {@link completeErasures} finishes it — and so do the channel identities their
   * reply and poll need. Writes a `staff.erasure` audit row (counts only). Idempotent.
   * @throws UnknownResidentError for an unknown id.
   */
  async erase(residentId: string, by: ErasedBy, now: Date): Promise<ErasureReport> {
    const r = await this.db.resident.findUnique({
      where: { id: residentId },
      include: {
        identities: true,
        cases: { select: { id: true, caseNo: true, state: true, chatId: true, channel: true, anonymisedAt: true } },
      },
    });
    if (!r) throw new UnknownResidentError(`resident id ${residentId}`);
    const final = (s: string) => isCaseState(s) && FINAL_STATES.has(s);
    const closed = r.cases.filter((c) => final(c.state) && !c.anonymisedAt);
    const pending = r.cases.filter((c) => !final(c.state));
    const report: ErasureReport = {
      residentId,
      by,
      anonymised: closed.map((c) => c.caseNo),
      pending: pending.map((c) => c.caseNo),
      identitiesDeleted: pending.length ? 0 : r.identities.length,
      complete: pending.length === 0,
    };
    const chats = [
      ...r.identities.map((i) => ({ channel: i.channel, chatId: i.externalId })),
      ...r.cases.map((c) => ({ channel: c.channel, chatId: c.chatId })),
    ].filter((c) => c.chatId);
    await this.db.$transaction(
      async (tx) => {
        for (const c of closed) await anonymiseCase(tx, c.id, now, by === "retention" ? "retention" : "erasure");
        await tx.resident.update({
          where: { id: residentId },
          data: {
            name: null,
            phone: null,
            commentCaseId: null,
            commentUntil: null,
            erasureConfirmUntil: null,
            erasureRequestedAt: r.erasureRequestedAt ?? now,
            erasedAt: report.complete ? now : null,
          },
        });
        await tx.dialogSession.deleteMany({
          where: { key: { in: r.identities.map((i) => `${i.channel}:${i.externalId}`) } },
        });
        // What triage noted for the chat's next case (no text, but the chat's identity).
        if (r.identities.length) {
          await tx.triageNote.deleteMany({ where: { OR: r.identities.map((i) => ({ channel: i.channel, userId: i.externalId })) } });
        }
        // Messages already sent to the resident's chats (their words in audit rows, replies): kept as the kind only.
        for (const chat of chats) {
          await tx.outboxMessage.updateMany({
            where: { ...chat, status: { not: "pending" } },
            data: { payload: { erased: true } },
          });
        }
        if (report.complete) await tx.channelIdentity.deleteMany({ where: { residentId } });
        await tx.outboxMessage.create({
          data: {
            id: randomUUID(),
            kind: "staff.erasure",
            dedupeKey: `staff.erasure:${residentId}:${now.toISOString()}:${randomUUID()}`,
            channel: null,
            chatId: null,
            availableAt: now,
            payload: { ...report, at: now.toISOString() },
          },
        });
      },
      { maxWait: 10_000, timeout: 60_000 },
    );
    return report;
  }

  /**
   * Finishes erasures asked for while cases were open (scheduler): for each resident with a
   * request not yet complete whose cases have closed since, erases again. Returns what was done.
   */
  async completeErasures(now: Date): Promise<ErasureReport[]> {
    const waiting = await this.db.resident.findMany({
      where: { erasureRequestedAt: { not: null }, erasedAt: null },
      select: { id: true, cases: { select: { state: true, anonymisedAt: true } } },
    });
    const out: ErasureReport[] = [];
    for (const r of waiting) {
      // Something to do: a case closed since (final, text still there), or nothing open any more.
      const due =
        r.cases.some((c) => FINAL.includes(c.state as CaseState) && !c.anonymisedAt) ||
        r.cases.every((c) => FINAL.includes(c.state as CaseState));
      if (due) out.push(await this.erase(r.id, "scheduler", now));
    }
    return out;
  }

  /**
   * The retention run: cases in a final state that closed (or, declined and withdrawn ones,
   * last changed) more than `years` calendar years before `now` are anonymised as on erasure,
   * and residents left with no case that still has text are erased; then stored free text is
   * checked once for ID-card numbers. `years` 0 = never anonymise. Idempotent.
   */
  async retention(years: number, now: Date): Promise<RetentionReport> {
    let anonymised = 0;
    let cutoff: Date | null = null;
    if (years > 0) {
      cutoff = new Date(now);
      cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
      const touched = new Set<string>();
      for (;;) {
        const due = await this.db.case.findMany({
          where: {
            state: { in: [...FINAL] },
            anonymisedAt: null,
            OR: [{ closedAt: { lt: cutoff } }, { closedAt: null, updatedAt: { lt: cutoff } }],
          },
          select: { id: true, residentId: true },
          take: BATCH,
        });
        if (due.length === 0) break;
        await this.db.$transaction(
          async (tx) => {
            for (const c of due) await anonymiseCase(tx, c.id, now, "retention");
          },
          { maxWait: 10_000, timeout: 120_000 },
        );
        for (const c of due) touched.add(c.residentId);
        anonymised += due.length;
      }
      for (const id of touched) {
        const left = await this.db.case.count({ where: { residentId: id, anonymisedAt: null } });
        if (left === 0) await this.erase(id, "retention", now);
      }
    }
    return { cutoff, anonymised, idNumbersMasked: await this.maskStoredIdNumbers(now) };
  }

  /**
   * Masks ID-card numbers in the free text of cases stored before intake masked them (and in
   * their events); each case is checked once (Case.idNumbersMaskedAt). Returns how many changed.
   */
  async maskStoredIdNumbers(now: Date): Promise<number> {
    let changed = 0;
    for (;;) {
      const rows = await this.db.case.findMany({
        where: { idNumbersMaskedAt: null },
        select: {
          id: true,
          description: true,
          location: true,
          occurredText: true,
          demands: true,
          contactName: true,
          replyText: true,
          satisfactionComment: true,
          attachments: true,
        },
        take: BATCH,
      });
      if (rows.length === 0) return changed;
      for (const c of rows) {
        const text = {
          description: maskIdNumbers(c.description),
          location: maskIdNumbers(c.location),
          occurredText: maskIdNumbers(c.occurredText),
          demands: maskIdNumbers(c.demands),
          contactName: maskIdNumbers(c.contactName),
          replyText: maskIdNumbers(c.replyText),
          satisfactionComment: maskIdNumbers(c.satisfactionComment),
        };
        const attachments = c.attachments === null ? null : maskJson(c.attachments);
        const differs =
          Object.entries(text).some(([k, v]) => v !== c[k as keyof typeof text]) ||
          JSON.stringify(attachments) !== JSON.stringify(c.attachments);
        const events = await this.db.caseEvent.findMany({
          where: { caseId: c.id },
          select: { id: true, note: true, data: true },
        });
        const fixed = events
          .map((e) => ({
            id: e.id,
            note: maskIdNumbers(e.note),
            data: e.data === null ? null : maskJson(e.data),
            before: e,
          }))
          .filter((e) => e.note !== e.before.note || JSON.stringify(e.data) !== JSON.stringify(e.before.data));
        await this.db.$transaction(async (tx) => {
          await tx.case.update({
            where: { id: c.id },
            data: { ...(differs ? { ...text, attachments: json(attachments) } : {}), idNumbersMaskedAt: now },
          });
          for (const e of fixed)
            await tx.caseEvent.update({ where: { id: e.id }, data: { note: e.note, data: json(e.data) } });
        });
        if (differs || fixed.length) changed++;
      }
    }
  }

  /**
   * Everything stored about residents `residentIds` (个人信息保护法 Art. 45: a copy): the
   * resident row, channel identities, cases with every field and event, dialog state and the
   * messages queued or sent to their chats. Dates as ISO strings.
   * @throws UnknownResidentError for an unknown id.
   */
  async export(residentIds: readonly string[], now: Date): Promise<ResidentExport> {
    const residents: Array<Record<string, unknown>> = [];
    for (const id of residentIds) {
      const r = await this.db.resident.findUnique({
        where: { id },
        include: {
          identities: true,
          cases: {
            include: { events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
            orderBy: { receivedAt: "asc" },
          },
        },
      });
      if (!r) throw new UnknownResidentError(`resident id ${id}`);
      const keys = r.identities.map((i) => `${i.channel}:${i.externalId}`);
      const sessions = await this.db.dialogSession.findMany({ where: { key: { in: keys } } });
      const chats = r.identities.map((i) => ({ channel: i.channel, chatId: i.externalId }));
      const messages = chats.length
        ? await this.db.outboxMessage.findMany({
            where: { OR: chats },
            orderBy: { createdAt: "asc" },
            select: { kind: true, status: true, payload: true, createdAt: true, sentAt: true },
          })
        : [];
      const { identities, cases, ...resident } = r;
      residents.push({
        ...resident,
        identities: identities.map(({ residentId: _r, ...i }) => i),
        cases: cases.map(({ events, ...c }) => ({ ...c, events: events.map(({ caseId: _c, ...e }) => e) })),
        dialogSessions: sessions.map((s) => ({ key: s.key, state: s.state, updatedAt: s.updatedAt })),
        messages,
      });
    }
    return JSON.parse(JSON.stringify({ exportedAt: now.toISOString(), residents })) as ResidentExport;
  }
}

/**
 * Erases the free text of one case and of its events, keeping what the ledger reads (category,
 * town/village, unit, dates, colour, state, stage, outcome, satisfaction), and adds an
 * `anonymised` event naming the reason (erasure | retention).
 */
async function anonymiseCase(tx: Tx, caseId: string, now: Date, reason: "erasure" | "retention"): Promise<void> {
  await tx.case.update({
    where: { id: caseId },
    data: {
      description: "",
      location: null,
      occurredText: null,
      demands: null,
      attachments: Prisma.DbNull,
      contactName: null,
      contactPhone: null,
      replyText: null,
      satisfactionComment: null,
      supervisionNote: null,
      chatId: "",
      // The enquiry code and the chats that followed the case by it lead back to the resident.
      enquiryCodeHash: null,
      anonymisedAt: now,
      idNumbersMaskedAt: now,
    },
  });
  await tx.caseGrant.deleteMany({ where: { caseId } });
  const events = await tx.caseEvent.findMany({
    where: { caseId },
    select: { id: true, type: true, note: true, data: true },
  });
  for (const e of events) {
    const kept = anonymousEvent(e);
    if (kept.note !== e.note || JSON.stringify(kept.data) !== JSON.stringify(e.data)) {
      await tx.caseEvent.update({ where: { id: e.id }, data: { note: kept.note, data: json(kept.data) } });
    }
  }
  const at = await nextEventTime(tx, caseId, now);
  await tx.caseEvent.create({
    data: { id: randomUUID(), caseId, type: "anonymised", actorType: "system", note: reason, createdAt: at },
  });
}
