import type { Inbound, Reply } from "../message.js";
import type { Middleware } from "../pipeline.js";
import { CASE_NUMBER_IN_TEXT, type DangerAlert, type TriageNote } from "../../domain/index.js";
import type { Locale, Texts } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import { isShortMessage, mentionsMatter, type Triage } from "../../triage/index.js";

/** Where danger alerts go: implemented by the case store (outbox rows for the duty desk). */
export interface AlertDesk {
  /** Queues an alert to every chat of the duty desk; returns how many were queued. */
  raiseAlert(alert: DangerAlert): Promise<number>;
  /**
   * Notes a danger alert or another procedure named for the next case filed from the chat (it is
   * then red and supervised, or records the procedure): src/cases CaseService.noteTriage.
   */
  noteTriage?(note: TriageNote): Promise<void>;
}

/** Options of {@link triage}. */
export interface TriageOptions {
  /** The triage rules: src/triage `classifyTriage`. */
  classify: (text: string) => Triage;
  alerts: AlertDesk;
  texts: Texts;
  /** The resident's language (default: the channel's, then zh-CN for CJK text, else en). */
  localeOf?: (msg: Inbound) => Promise<Locale | undefined>;
  /**
   * True while the resident is in the middle of a form: then a question, small talk or a court
   * matter is an answer to the form, not a first message (only danger is acted on mid-form).
   */
  inForm?: (msg: Inbound) => Promise<boolean>;
  /** Whether the text names a matter (default: src/triage `mentionsMatter`). */
  mentionsMatter?: (text: string) => boolean;
  /** The government service hotline named to general questions (HOTLINE, default 12345). */
  hotline?: string;
  /** Called once an alert is queued (e.g. to deliver it now rather than at the next poll). */
  onAlert?: (alert: DangerAlert, queued: number) => void;
  logger?: Logger;
}

const EMERGENCY_SUBTYPES = new Set(["fire", "gas", "medical", "violence"]);
/** Kinds of "not a petition" answered here; greetings and empty messages go on to the form's welcome. */
const NOT_PETITION_REPLIES = new Set(["question", "chitchat", "spam"]);
const PROCEDURES = new Set(["court", "labour_arbitration", "admin_reconsideration", "discipline"]);
const CJK = /[\u3400-\u9fff]/;

function reply(text: string): Reply {
  return { text, buttons: [], expects: null, caseNo: null };
}

/**
 * Triage before the form, as a receptionist reads a message before opening a file: a message
 * that signals danger to life is answered at once with the emergency number and a person on
 * duty is alerted (outbox row for the duty desk), before any form question.
 *
 * - emergency (fire, gas, medical, violence …): the emergency reply first, then the rest of the
 *   chain answers as usual, so a resident who also has a matter can go on reporting it — the case
 *   filed from the chat within 24 h is red and supervised from intake (`noteTriage`);
 * - self_harm: a safe reply (110/120 and the 12356 psychological support line) and an alert;
 *   no form;
 * - threat to harm others: a calm reply and an alert; no form;
 * - a status question ("我的案子办得怎么样了"): the resident's own cases instead of a new form;
 * - abuse alone: a calm answer (依法信访) and no case; questions and small talk: what this service
 *   is for (and the hotline for general questions); spam: one line, never echoed — none of them
 *   opens a form;
 * - a matter for another procedure (诉访分离: court, labour arbitration, administrative
 *   reconsideration, discipline inspection 12388): the competent procedure and body first, then
 *   the form goes on, so a resident who insists can still file — the case records the procedure.
 *
 * Only danger is acted on while a form is in progress (`inForm`): there the other readings are
 * answers to the form's questions.
 *
 * Buttons, slash commands and group messages pass untouched. When the alert cannot be queued
 * (database down) the resident still gets the emergency reply, and the failure is logged.
 *
 * @example
 * const front = frontDesk({ cadres, followUp, before: [triage({ classify: classifyTriage, alerts: cases, texts })], residents });
 */
export function triage(options: TriageOptions): Middleware {
  return async function triage(msg, next) {
    // A note for the case the resident may file next; a failure to write it never blocks the answer.
    const note = (n: Pick<TriageNote, "kind" | "subtype">) =>
      options.alerts.noteTriage?.({ ...n, channel: msg.channel, userId: msg.userId, at: msg.receivedAt ?? new Date() })
        .catch((err: unknown) => {
          options.logger?.error({ err, channel: msg.channel, kind: n.kind }, "triage note could not be saved");
        });
    const text = msg.text?.trim();
    if (!text || msg.buttonId !== undefined || msg.group || text.startsWith("/")) return next();
    const reading = options.classify(text);
    // "我的案子办得怎么样了": the resident's cases, not a new form (the form's status command,
    // which also re-asks the current question mid-form). A message naming a case number is
    // already a status request for the form.
    if (reading.kind === "status" && !CASE_NUMBER_IN_TEXT.test(text)) return next({ ...msg, text: "/status" });
    const fallback: Locale = CJK.test(text) ? "zh-CN" : "en";
    const localeOf = async () => (await options.localeOf?.(msg).catch(() => undefined)) ?? msg.locale ?? fallback;
    const subtype = reading.subtype ?? "";
    const advice = reading.kind === "abuse" || (reading.kind === "not_petition" && NOT_PETITION_REPLIES.has(subtype))
      || (reading.kind === "other_procedure" && PROCEDURES.has(subtype));
    if (advice) {
      // A misread complaint must still reach the form: only a message naming no matter is answered here.
      if (reading.kind !== "other_procedure" && (options.mentionsMatter ?? mentionsMatter)(text)) return next();
      // Abuse, questions and small talk are short; a longer message may be a complaint the rules do not know.
      if (reading.kind !== "other_procedure" && subtype !== "spam" && !isShortMessage(text)) return next();
      if (await options.inForm?.(msg).catch(() => false)) return next();
      const t = options.texts.t(await localeOf());
      options.logger?.info({ channel: msg.channel, kind: reading.kind, subtype: reading.subtype }, "triage answered before the form");
      if (reading.kind === "abuse") return [reply(t("triage.abuse"))];
      if (reading.kind === "not_petition") return [reply(t(`triage.not_petition.${subtype}`, { hotline: options.hotline ?? "12345" }))];
      await note({ kind: "other_procedure", subtype });
      return [reply(`${t(`triage.procedure.${subtype}`)}\n${t("triage.procedure.may_file")}`), ...(await next())];
    }
    if (reading.kind !== "emergency" && reading.kind !== "self_harm" && reading.kind !== "threat") return next();
    const kind = reading.kind;
    const locale = await localeOf();
    const t = options.texts.t(locale);
    const call = reading.call ?? (kind === "emergency" ? 110 : kind === "self_harm" ? 120 : 110);
    const alert: DangerAlert = {
      channel: msg.channel, userId: msg.userId, chatId: msg.chatId ?? msg.userId, locale, kind,
      subtype: reading.subtype ?? null, call, text: text.slice(0, 1000), receivedAt: msg.receivedAt ?? new Date(),
    };
    try {
      const queued = await options.alerts.raiseAlert(alert);
      options.logger?.warn({ channel: msg.channel, kind, subtype: alert.subtype, call, queued }, "danger alert raised");
      options.onAlert?.(alert, queued);
    } catch (err) {
      options.logger?.error({ err, channel: msg.channel, kind }, "danger alert could not be queued");
    }
    await note({ kind, subtype: alert.subtype });
    if (kind === "self_harm") return [reply(t("triage.self_harm"))];
    if (kind === "threat") return [reply(t("triage.threat"))];
    const emergency = EMERGENCY_SUBTYPES.has(subtype) ? subtype : "generic";
    const first = reply(`${t(`triage.emergency.${emergency}`, { call })}\n${t("triage.continue")}`);
    return [first, ...(await next())];
  };
}
