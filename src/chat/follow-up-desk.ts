import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import { commandKey, formInProgress, type Inbound, type Reply, type SessionStore } from "./resident/index.js";
import {
  ActionRefusedError, CASE_NUMBER_ATTEMPT, CASE_NUMBER_IN_TEXT, CaseNotFoundError, ForbiddenActionError, InvalidCaseNumberError, InvalidTransitionError,
  SATISFACTION, escalationActionOf, isStage, parseCaseNumber, reviewRequestDueAt, toLocalDate,
  type Satisfaction, type WorkingDays,
} from "../domain/index.js";
import { LOCALES, isLocale, localName, type Locale, type Texts, type Translate } from "../i18n.js";
import { nextEventTime } from "../cases/case-repository.js";
import { ConcurrentTransitionError, type CaseWorkflow } from "../cases/case-workflow.js";

/** Options of the {@link FollowUpDesk}. */
export interface FollowUpDeskOptions {
  db: Db;
  workflow: CaseWorkflow;
  texts: Texts;
  calendar: WorkingDays;
  timeZone: string;
  /** The dialog's sessions: while a form is in progress, digits and words belong to the form. */
  sessions: Pick<SessionStore, "read">;
  now?: () => Date;
}

/** How long after "add a comment" the next message is taken as the poll's comment, in ms. */
export const COMMENT_WINDOW_MS = 10 * 60_000;
/** Longest poll comment kept, in characters. */
const MAX_COMMENT_CHARS = 1000;

const ANSWER_CODES: Record<string, Satisfaction> = { s: "satisfied", b: "basically_satisfied", u: "unsatisfied" };
const CODE_OF: Record<Satisfaction, string> = { satisfied: "s", basically_satisfied: "b", unsatisfied: "u" };

/**
 * The resident's side of the follow-up (回访): answers to the satisfaction poll (buttons
 * `p:<s|b|u>:<caseNo>`, or typed 满意 / 基本满意 / 不满意 / 1–3 while a poll waits and no form is
 * open), the optional comment after it, requests for review (复查, Art. 35) and re-examination
 * (复核, Art. 36) by button `r:<caseNo>` or "复查 XF-…", and opting out of / back into polls.
 * Residents act only on their own cases. Returns null for anything else, which then goes on to
 * the intake form.
 */
export class FollowUpDesk {
  private readonly now: () => Date;
  private readonly words = new Map<string, "stop" | "resume">();
  /** The poll's button labels in every locale, typed whole ("Basically satisfied" is longer than a short answer). */
  private readonly labels = new Map<string, Satisfaction>();
  private readonly reviewWords: string[] = [];
  private readonly commentWords = new Set<string>();
  private readonly dropWords = new Set<string>();
  private readonly stopPhrases: string[] = [];
  private readonly answerWords: Record<Satisfaction, string[]> = { satisfied: [], basically_satisfied: [], unsatisfied: [] };
  private readonly noCommentWords = new Set<string>();

  constructor(private readonly o: FollowUpDeskOptions) {
    this.now = o.now ?? (() => new Date());
    for (const locale of LOCALES) {
      for (const w of o.texts.list(locale, "commands.poll_stop")) this.words.set(commandKey(w), "stop");
      for (const w of o.texts.list(locale, "commands.poll_resume")) this.words.set(commandKey(w), "resume");
      for (const a of SATISFACTION) this.labels.set(commandKey(o.texts.t(locale)(`poll.button.${a}`)), a);
      this.reviewWords.push(...o.texts.list(locale, "commands.review").map((w) => w.toLowerCase()));
      this.commentWords.add(commandKey(o.texts.t(locale)("follow_up.add_comment")));
      this.noCommentWords.add(commandKey(o.texts.t(locale)("follow_up.no_comment")));
      for (const k of ["commands.cancel", "commands.skip", "commands.no"]) for (const w of o.texts.list(locale, k)) this.dropWords.add(commandKey(w));
      this.dropWords.add(commandKey(o.texts.t(locale)("follow_up.no_comment")));
      this.stopPhrases.push(...o.texts.list(locale, "commands.poll_stop").map((w) => commandKey(w)));
      for (const a of SATISFACTION) this.answerWords[a].push(...o.texts.list(locale, `poll.words.${a}`).map((w) => commandKey(w)));
    }
    this.reviewWords.sort((a, b) => b.length - a.length);
  }

  /** Handles a resident's message about polls and reviews; null when it is not about them. */
  async handle(msg: Inbound): Promise<Reply[] | null> {
    if (msg.group) return null;
    const button = msg.buttonId;
    const text = msg.text?.trim() ?? "";
    const poll = button ? /^p:([sbunc]):(.{1,40})$/.exec(button) : null;
    const review = button ? /^r:(.{1,40})$/.exec(button) : null;
    if (!poll && !review && !text) return null;
    // A case this chat follows by enquiry code (查询码) from another device: its poll and review buttons.
    const tapped = poll?.[2] ?? review?.[1];
    if (tapped) {
      const followed = await this.followedCase(msg, tapped);
      if (followed) return this.viaCode(msg, followed, poll, tapped);
    }
    const identity = await this.o.db.channelIdentity.findUnique({ where: { channel_externalId: { channel: msg.channel, externalId: msg.userId } }, include: { resident: true } });
    // Only residents who have filed something have polls and reviews.
    if (!identity) {
      if (poll || review) return [this.say(this.t(msg)("follow_up.not_found", { caseNo: tapped! }))];
      const typed = text ? this.matchReview(text.normalize("NFKC")) : null;
      const followed = typed ? await this.followedCase(msg, typed) : null;
      return followed ? this.viaCode(msg, followed, null, typed!) : null;
    }
    const resident = identity.resident;
    const locale: Locale = isLocale(resident.locale) ? resident.locale : "zh-CN";
    const t = this.o.texts.t(locale);
    if (poll?.[1] === "n") return this.noComment(t, resident.id);
    if (poll?.[1] === "c") return this.armComment(t, resident.id, poll[2]!);
    if (poll) return this.answer(t, resident.id, poll[2]!, ANSWER_CODES[poll[1]!]!);
    if (review) return this.review(t, locale, resident.id, review[1]!);

    // Full-width digits and letters (２, ＸＦ) as typed on phones; trailing particles dropped.
    const key = commandKey(text.normalize("NFKC")).replace(/[了吧啊呀的呢哦嘛]+$/u, "");
    const short = [...key].length <= 16;
    const word = this.words.get(key);
    const stop = word === "stop" || (short && this.stopPhrases.some((w) => key.includes(w)));
    if (stop || word === "resume") {
      await this.o.db.resident.update({ where: { id: resident.id }, data: { pollOptOut: stop } });
      return [this.say(t(stop ? "follow_up.opted_out" : "follow_up.opted_in"))];
    }
    const reviewNo = this.matchReview(text.normalize("NFKC"));
    if (reviewNo !== null) {
      if (reviewNo) {
        const followed = await this.followedCase(msg, reviewNo);
        if (followed && followed.residentId !== resident.id) return this.viaCode(msg, followed, null, reviewNo);
        return this.review(t, locale, resident.id, reviewNo);
      }
      // No number: the one case that can be taken up now, else how to name it.
      const eligible = await this.reviewable(resident.id);
      return eligible.length === 1 ? this.review(t, locale, resident.id, eligible[0]!) : [this.say(t("follow_up.review_how", { cases: eligible.join("、") || "-" }))];
    }
    // While the comment is expected, the next message is it (a cancel word drops it instead).
    if (resident.commentCaseId && resident.commentUntil && resident.commentUntil > this.now() && !CASE_NUMBER_IN_TEXT.test(text)) {
      if (this.dropWords.has(key)) return this.noComment(t, resident.id);
      return this.comment(t, resident.id, resident.commentCaseId, text);
    }
    // A typed answer to the waiting poll: a word for it ("不太满意", "not satisfied"), or its number.
    const typed = ({ "1": "satisfied", "2": "basically_satisfied", "3": "unsatisfied" } as const)[key as "1" | "2" | "3"] ?? this.labels.get(key) ?? (short ? this.answerIn(key) : null);
    // Most messages are none of this: no more queries for them.
    const offered = resident.commentCaseId && !resident.commentUntil && (this.commentWords.has(key) || this.noCommentWords.has(key));
    if (!typed && !offered) return null;
    if (formInProgress((await this.o.sessions.read(`${msg.channel}:${msg.userId}`))?.value)) return null;
    const waiting = await this.o.db.case.findFirst({ where: { residentId: resident.id, state: "replied", pollSentAt: { not: null }, pollAnsweredAt: null }, orderBy: { pollSentAt: "desc" } });
    // After an answer, the offered follow-ups by number: 1 add a comment, 2 no comment, 3 review (when offered).
    if (!waiting && resident.commentCaseId && !resident.commentUntil) {
      const offered = await this.o.db.case.findUnique({ where: { id: resident.commentCaseId }, select: { caseNo: true, satisfaction: true } });
      if (offered && (key === "1" || this.commentWords.has(key))) return this.armComment(t, resident.id, offered.caseNo);
      if (offered && (key === "2" || this.noCommentWords.has(key))) return this.noComment(t, resident.id);
      if (offered && key === "3" && offered.satisfaction === "unsatisfied") return this.review(t, locale, resident.id, offered.caseNo);
    }
    if (waiting && typed) return this.answer(t, resident.id, waiting.caseNo, typed);
    if (!waiting && typed && key !== "1" && key !== "2" && key !== "3") {
      // Answered already (a second "满意"): say so rather than treat it as small talk.
      const recent = await this.o.db.case.findFirst({ where: { residentId: resident.id, pollAnsweredAt: { gte: new Date(this.now().getTime() - 86_400_000) } }, orderBy: { pollAnsweredAt: "desc" } });
      if (recent) return [this.say(t("follow_up.already_answered", { caseNo: recent.caseNo, answer: t(`poll.button.${recent.satisfaction ?? typed}`) }))];
    }
    return null;
  }

  /** "复查 XF-…" / "review XF-…": the number ("" when none), or null when it is not a review request. */
  private matchReview(input: string): string | null {
    const text = input.trim().replace(/^\//, "").replace(/^(?:我要|我想|我需要|请|帮我|麻烦|i want to|i'd like to|please)\s*/iu, "");
    const lower = text.toLowerCase();
    for (const w of this.reviewWords) {
      if (!lower.startsWith(w)) continue;
      const rest = text.slice(w.length).replace(/^[\s:：,，]+/, "").replace(/[了吧啊。.!！]+$/u, "");
      if (rest === "") return "";
      const m = CASE_NUMBER_IN_TEXT.exec(rest);
      // "复查一下我的低保资格" is a complaint, not a review request: only a (partial) case number follows.
      return m ? m[0] : CASE_NUMBER_ATTEMPT.test(rest) ? rest : null;
    }
    return null;
  }

  /** The poll answer a short typed message means, most negative first ("不太满意" is not "满意"); null when none. */
  private answerIn(key: string): Satisfaction | null {
    for (const a of ["unsatisfied", "basically_satisfied", "satisfied"] as const) {
      if (this.answerWords[a].some((w) => key.includes(w))) return a;
    }
    return null;
  }

  /** The resident's case numbers that can go one level up now (answered, not final, within 30 days). */
  private async reviewable(residentId: string): Promise<string[]> {
    const now = this.now();
    const rows = await this.o.db.case.findMany({ where: { residentId, state: { in: ["replied", "closed"] }, stage: { not: "reexamination" }, repliedAt: { not: null } }, orderBy: { repliedAt: "desc" }, take: 20 });
    return rows.filter((c) => c.repliedAt && now <= reviewRequestDueAt(c.repliedAt, this.o.calendar, this.o.timeZone)).map((c) => c.caseNo);
  }

  /** Records a poll answer; `offerComment` false (a chat following by code) leaves the filing chat's comment state alone. */
  private async answer(t: Translate, residentId: string, caseNoInput: string, answer: Satisfaction, offerComment = true): Promise<Reply[]> {
    const c = await this.ownCase(residentId, caseNoInput);
    if (!c) return [this.say(t("follow_up.not_found", { caseNo: caseNoInput.slice(0, 40) }))];
    const now = this.now();
    if (c.state !== "replied") {
      // A second tap, or an answer after the poll closed: nothing changes, the resident is told.
      if (c.pollAnsweredAt) return [this.say(t("follow_up.already_answered", { caseNo: c.caseNo, answer: t(`poll.button.${c.satisfaction ?? answer}`) }))];
      const offer = answer === "unsatisfied" ? this.reviewOffer(t, c, now) : [];
      return [this.say(t("follow_up.poll_closed", { caseNo: c.caseNo, state: t(`state.${c.state}`) })), ...offer];
    }
    try {
      await this.o.workflow.transition(c.caseNo, "close", { kind: "resident", residentId }, { satisfaction: answer }, now);
    } catch (err) {
      if (err instanceof ConcurrentTransitionError || err instanceof InvalidTransitionError) return this.answer(t, residentId, c.caseNo, answer, offerComment);
      throw err;
    }
    if (!offerComment) return [this.say(t(`follow_up.thanks.${answer}`, { caseNo: c.caseNo })), ...(answer === "unsatisfied" ? this.reviewOffer(t, c, now) : [])];
    // A comment is offered, not yet expected (commentUntil stays empty until they choose to add one).
    await this.o.db.resident.update({ where: { id: residentId }, data: { commentCaseId: c.id, commentUntil: null } });
    const out = [this.say(t(`follow_up.thanks.${answer}`, { caseNo: c.caseNo }))];
    // One set of options, on the last message, so numbered options (WeChat, terminal) never clash:
    // 1 add a comment, 2 no comment, 3 ask for review (when offered).
    const offer = answer === "unsatisfied" ? this.reviewOffer(t, c, now) : [];
    out.push(...offer.map((o) => ({ ...o, buttons: [] })));
    out.push({
      text: t("follow_up.comment_prompt"),
      buttons: [{ id: `p:c:${c.caseNo}`, label: t("follow_up.add_comment") }, { id: `p:n:${c.caseNo}`, label: t("follow_up.no_comment") }, ...offer.flatMap((o) => o.buttons)],
      expects: null, caseNo: null,
    });
    return out;
  }

  /** How to ask the level above (review, then re-examination), or that the matter is final. */
  private reviewOffer(t: Translate, c: { caseNo: string; stage: string; repliedAt: Date | null }, now: Date): Reply[] {
    const action = escalationActionOf(isStage(c.stage) ? c.stage : "handling");
    if (!action) return [this.say(t("follow_up.final", { caseNo: c.caseNo }))];
    if (!c.repliedAt) return [];
    const due = reviewRequestDueAt(c.repliedAt, this.o.calendar, this.o.timeZone);
    if (now > due) return [this.say(t("follow_up.refused.review_window_closed", { caseNo: c.caseNo }))];
    return [{
      text: t(`follow_up.offer.${action}`, { caseNo: c.caseNo, due: toLocalDate(due, this.o.timeZone) }),
      buttons: [{ id: `r:${c.caseNo}`, label: t(`follow_up.button.${action}`) }], expects: null, caseNo: null,
    }];
  }

  private async review(t: Translate, locale: Locale, residentId: string, caseNoInput: string): Promise<Reply[]> {
    const c = await this.ownCase(residentId, caseNoInput);
    if (!c) return [this.say(t("follow_up.not_found", { caseNo: caseNoInput.slice(0, 40) }))];
    const action = escalationActionOf(isStage(c.stage) ? c.stage : "handling");
    if (!action) return [this.say(t("follow_up.final", { caseNo: c.caseNo }))];
    try {
      await this.o.workflow.transition(c.caseNo, action, { kind: "resident", residentId }, {}, this.now());
    } catch (err) {
      if (err instanceof ActionRefusedError) return [this.say(t(`follow_up.refused.${err.reason}`, { caseNo: c.caseNo }))];
      if (err instanceof InvalidTransitionError || err instanceof ConcurrentTransitionError || err instanceof ForbiddenActionError) {
        return [this.say(t("follow_up.review_not_now", { caseNo: c.caseNo, state: t(`state.${c.state}`) }))];
      }
      throw err;
    }
    const after = await this.o.db.case.findUnique({ where: { id: c.id }, include: { unit: true } });
    const unit = localName(after?.unit, locale) ?? t("receipt.unit_pending");
    return [this.say(t(`follow_up.requested.${action}`, { caseNo: c.caseNo, unit, due: toLocalDate(after!.replyDueAt, this.o.timeZone) }))];
  }

  private async comment(t: Translate, residentId: string, caseId: string, text: string): Promise<Reply[]> {
    const c = await this.o.db.case.findUnique({ where: { id: caseId } });
    await this.o.db.resident.update({ where: { id: residentId }, data: { commentCaseId: null, commentUntil: null } });
    if (!c || c.residentId !== residentId) return [];
    const note = text.slice(0, MAX_COMMENT_CHARS);
    const now = this.now();
    await this.o.db.$transaction(async (tx) => {
      await tx.case.update({ where: { id: caseId }, data: { satisfactionComment: c.satisfactionComment ? `${c.satisfactionComment}\n${note}`.slice(0, 4000) : note } });
      await tx.caseEvent.create({ data: { id: randomUUID(), caseId, type: "poll_comment", actorType: "resident", actorId: residentId, note, createdAt: await nextEventTime(tx, caseId, now) } });
    });
    return [this.say(t("follow_up.comment_saved", { caseNo: c.caseNo }))];
  }

  /** The resident chose to add a comment on their own case `caseNoInput`: the next message is it. */
  private async armComment(t: Translate, residentId: string, caseNoInput: string): Promise<Reply[]> {
    const c = await this.ownCase(residentId, caseNoInput);
    if (!c) return [this.say(t("follow_up.not_found", { caseNo: caseNoInput.slice(0, 40) }))];
    await this.o.db.resident.update({ where: { id: residentId }, data: { commentCaseId: c.id, commentUntil: new Date(this.now().getTime() + COMMENT_WINDOW_MS) } });
    return [this.say(t("follow_up.comment_ask", { caseNo: c.caseNo }))];
  }

  private async noComment(t: Translate, residentId: string): Promise<Reply[]> {
    await this.o.db.resident.update({ where: { id: residentId }, data: { commentCaseId: null, commentUntil: null } });
    return [this.say(t("follow_up.no_comment_ok"))];
  }

  /**
   * A poll answer or review request for a case the chat follows by enquiry code: acted on for the
   * filing resident, in the chat's language. Comments are offered only in the chat that filed.
   */
  private async viaCode(msg: Inbound, c: { residentId: string; caseNo: string }, poll: RegExpExecArray | null, caseNo: string): Promise<Reply[]> {
    const locale: Locale = isLocale(msg.locale) ? msg.locale : "zh-CN";
    const t = this.o.texts.t(locale);
    if (poll && ANSWER_CODES[poll[1]!]) {
      return this.answer(t, c.residentId, c.caseNo, ANSWER_CODES[poll[1]!]!, false);
    }
    if (poll) return [this.say(t("follow_up.no_comment_ok"))];
    return this.review(t, locale, c.residentId, caseNo);
  }

  /** The case `caseNoInput` when this chat proved its enquiry code (a CaseGrant row), else null. */
  private async followedCase(msg: Inbound, caseNoInput: string) {
    const c = await this.caseByNumber(caseNoInput);
    if (!c) return null;
    const grant = await this.o.db.caseGrant.findUnique({ where: { channel_externalId_caseId: { channel: msg.channel, externalId: msg.userId, caseId: c.id } } });
    return grant ? c : null;
  }

  private async ownCase(residentId: string, caseNoInput: string) {
    const c = await this.caseByNumber(caseNoInput);
    return c && c.residentId === residentId ? c : null;
  }

  /** The case a typed or tapped number names; null for a mistyped number or none. */
  private async caseByNumber(caseNoInput: string) {
    let caseNo: string;
    try {
      caseNo = parseCaseNumber(caseNoInput);
    } catch (err) {
      if (err instanceof InvalidCaseNumberError || err instanceof CaseNotFoundError) return null;
      throw err;
    }
    return this.o.db.case.findUnique({ where: { caseNo } });
  }

  private t(msg: Inbound): Translate {
    return this.o.texts.t(isLocale(msg.locale) ? msg.locale : "zh-CN");
  }

  private say(text: string): Reply {
    return { text, buttons: [], expects: null, caseNo: null };
  }
}

/** The poll's buttons for a case: 满意 / 基本满意 / 不满意. */
export function pollButtons(t: Translate, caseNo: string): Reply["buttons"] {
  return SATISFACTION.map((a) => ({ id: `p:${CODE_OF[a]}:${caseNo}`, label: t(`poll.button.${a}`) }));
}
