import type { Db } from "../db/database.js";
import type { Reply } from "../chat/message.js";
import { caseActionButtons, pollButtons, triageLines } from "../chat/index.js";
import { localDateTime, toLocalDate, type CaseState } from "../domain/index.js";
import { maskPhone, redactPersonalData } from "../privacy/index.js";
import { isLocale, localName, type Texts } from "../i18n.js";

/** An outbox row as the renderer needs it. */
export interface OutboxRow {
  id: string;
  kind: string;
  channel: string | null;
  chatId: string | null;
  payload: unknown;
}

/** Kinds of outbox rows this module turns into chat messages. */
export const RENDERED_KINDS = [
  "resident.status", "resident.poll", "resident.poll_reminder",
  "cadre.new_case", "cadre.accepted_by", "cadre.reminder", "cadre.escalation", "cadre.digest", "cadre.handoff", "cadre.unsatisfied", "cadre.linked", "cadre.alert",
  "cadre.alert_case",
] as const;

/**
 * Turns an outbox row into the message to send, in the recipient's locale, from the case as it
 * is now. Personal data is masked for group chats. Returns null when the case is gone or the
 * kind is not one of RENDERED_KINDS, or when a poll is no longer waiting at `now`.
 */
export async function renderOutbox(row: OutboxRow, db: Db, texts: Texts, timeZone: string, now: Date = new Date()): Promise<Reply | null> {
  const p = (row.payload ?? {}) as Record<string, string | null | undefined>;
  const locale = isLocale(p.locale) ? p.locale : "zh-CN";
  const t = texts.t(locale);
  if (row.kind === "cadre.digest") {
    const unit = p.unitId ? await db.unit.findUnique({ where: { id: p.unitId } }) : null;
    const name = localName(unit, locale) ?? t("notify.all_units");
    const list = (key: string) => {
      const v = (row.payload as Record<string, unknown>)[key];
      return Array.isArray(v) && v.length ? `\n  ${v.join("\n  ")}` : "";
    };
    return {
      text: t("notify.digest", {
        unit: name, date: p.date, new: p.new, dueToday: p.dueToday, overdue: p.overdue, supervised: p.supervised ?? 0,
        newList: list("newCases"), dueTodayList: list("dueTodayCases"), overdueList: list("overdueCases"), supervisedList: list("supervisedCases"),
      }),
      buttons: [], expects: null, caseNo: null,
    };
  }
  if (row.kind === "cadre.alert") {
    const group = p.audience === "group";
    const kind = p.kind === "self_harm" || p.kind === "threat" ? p.kind : "emergency";
    const at = p.at ? new Date(p.at) : now;
    return {
      text: t("triage.alert.duty", { kind: t(`triage.alert.kind.${kind}`), time: localDateTime(at, timeZone), channel: p.channel, call: p.call, text: group ? redactPersonalData(p.text ?? "") : p.text ?? "" }),
      buttons: [], expects: null, caseNo: null,
    };
  }
  if (row.kind === "cadre.alert_case") {
    // The follow-up of a danger alert: the case filed from that chat, its place and contact.
    const kind = p.kind === "self_harm" || p.kind === "threat" ? p.kind : "emergency";
    const phone = p.audience === "group" ? maskPhone(p.phone) : p.phone;
    const contact = [p.name, phone].filter(Boolean).join(" ") || t("summary.none");
    return {
      text: t("triage.alert.case", {
        kind: t(`triage.alert.kind.${kind}`), caseNo: p.caseNo, channel: p.channel,
        location: p.location ?? t("summary.none"), contact,
      }),
      buttons: [], expects: null, caseNo: null,
    };
  }
  if (row.kind === "cadre.handoff") {
    const group = p.audience === "group";
    const phone = (group ? maskPhone(p.phone) : p.phone) ?? t("summary.none");
    return {
      text: t("notify.handoff", { channel: p.channel, name: p.name ?? t("summary.none"), phone, location: p.location ?? t("summary.none"), description: p.description ? (group ? redactPersonalData(p.description) : p.description) : t("summary.none") }),
      buttons: [], expects: null, caseNo: null,
    };
  }
  const caseNo = p.caseNo;
  if (!caseNo) return null;
  const c = await db.case.findUnique({ where: { caseNo }, include: { unit: true } });
  if (!c) return null;
  const day = (d: Date | string) => toLocalDate(new Date(d), timeZone);
  const unitName = localName(c.unit, locale) ?? t("receipt.unit_pending");
  const say = (text: string, buttons: Reply["buttons"] = []): Reply => ({ text, buttons, expects: null, caseNo: null });
  switch (row.kind) {
    case "resident.status":
      return say(t(`notify.resident.${p.action}`, { caseNo, unit: unitName, note: p.note ?? "", replyDue: day(p.replyDueAt ?? c.replyDueAt), reviewDue: p.reviewDueAt ? day(p.reviewDueAt) : "" }));
    case "resident.poll":
    case "resident.poll_reminder":
      // Only while the poll still waits: a stale one (answered, closed) is not sent at all.
      if (c.state !== "replied" || c.pollAnsweredAt || !c.pollDueAt || c.pollDueAt <= now) return null;
      return say(t(row.kind === "resident.poll" ? "poll.ask" : "poll.reminder", { caseNo, unit: unitName, opinion: (c.replyText ?? "").slice(0, 500), due: day(c.pollDueAt) }), pollButtons(t, caseNo));
    case "cadre.unsatisfied": {
      // The unit that gave the opinion, even if the case has since gone up for review.
      const answered = p.unitId ? await db.unit.findUnique({ where: { id: p.unitId } }) : c.unit;
      const name = localName(answered, locale) ?? unitName;
      return say(t("notify.unsatisfied", { caseNo, unit: name, category: t(`category.${c.category}`), comment: c.satisfactionComment ?? t("summary.none") }));
    }
    case "cadre.linked": {
      const text = String(p.text ?? "");
      return say(t("notify.linked", { caseNo, text: p.audience === "group" ? redactPersonalData(text) : text }));
    }
    case "cadre.new_case": {
      const group = p.audience === "group";
      const contact = `${c.contactName ?? "-"} ${(group ? maskPhone(c.contactPhone) : c.contactPhone) ?? ""}`.trim();
      const description = (group ? redactPersonalData(c.description) : c.description).slice(0, 1500);
      const text = t("notify.new_case", {
        caseNo, category: t(`category.${c.category}`), colour: t(`colour.${c.colour}`), due: day(c.colourDueAt),
        location: c.location ?? "-", demands: c.demands ?? "-", contact, description,
        reason: p.reason ? t("notify.returned", { reason: p.reason }) : "",
      }) + (p.review ? t(`notify.review_request.${p.review}`) : "")
        + (p.repeatOf ? t("notify.repeat_visit", { earlier: p.repeatOf }) : "")
        + (p.clusterNo ? t("notify.cluster", { clusterNo: p.clusterNo, size: p.clusterSize ?? 2 }) : "")
        + triageLines(t, c);
      const buttons = caseActionButtons(t, c.state as CaseState, caseNo, c.state === "assigned" ? ["accept", "object"] : ["accept", "object", "progress", "extend", "reply"]);
      return say(text, buttons);
    }
    case "cadre.accepted_by":
      return say(t("notify.accepted_by", { caseNo, by: p.by ?? "-" }));
    case "cadre.reminder":
      return say(t("notify.reminder", { caseNo, category: t(`category.${c.category}`), state: t(`state.${c.state}`), due: day(p.dueAt ?? c.colourDueAt) }), [{ id: `c:progress:${caseNo}`, label: t("cadre.button.progress") }]);
    case "cadre.escalation":
      return say(t(`notify.escalation.${p.clock === "reply" ? "reply" : "colour"}`, { caseNo, unit: unitName, category: t(`category.${c.category}`), state: t(`state.${c.state}`), due: day(p.dueAt ?? c.colourDueAt) }));
    default:
      return null;
  }
}
