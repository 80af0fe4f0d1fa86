import type { CaseAction } from "./case-state.js";
import { STATUTORY } from "./clocks.js";
import { addCalendarDays, endOfLocalDay, startOfLocalDay, toLocalDate } from "./local-date.js";
import type { WorkingDays } from "./working-days.js";

/**
 * Answers of the satisfaction poll (满意度回访), in the order the buttons show them:
 * 满意 / 基本满意 / 不满意. Source: DESIGN.md "Satisfaction".
 */
export const SATISFACTION = ["satisfied", "basically_satisfied", "unsatisfied"] as const;
/** One poll answer. */
export type Satisfaction = (typeof SATISFACTION)[number];

/** True when `value` is a poll answer. */
export function isSatisfaction(value: unknown): value is Satisfaction {
  return typeof value === "string" && (SATISFACTION as readonly string[]).includes(value);
}

/** Why a case was closed (办结); stored in `Case.closeReason`. */
export type CloseReason = Satisfaction | "no_answer" | "opted_out" | "operator";

/**
 * The handling stages of one matter: the first handling, review by the level above (复查,
 * 信访工作条例 Art. 35), re-examination (复核, Art. 36). After re-examination the matter is final:
 * the same facts are not accepted again.
 */
export const STAGES = ["handling", "review", "reexamination"] as const;
/** One handling stage. */
export type Stage = (typeof STAGES)[number];

/** True when `value` is a handling stage. */
export function isStage(value: unknown): value is Stage {
  return typeof value === "string" && (STAGES as readonly string[]).includes(value);
}

/**
 * The action that takes a replied matter in `stage` one level up: review after the first
 * handling (Art. 35), re-examination after review (Art. 36); null after re-examination (final).
 */
export function escalationActionOf(stage: Stage): Extract<CaseAction, "request_review" | "request_reexamination"> | null {
  return stage === "handling" ? "request_review" : stage === "review" ? "request_reexamination" : null;
}

/** The stage a review or re-examination request opens. */
export function stageAfter(action: "request_review" | "request_reexamination"): Stage {
  return action === "request_review" ? "review" : "reexamination";
}

/**
 * The last instant (end of that local day) a resident may ask for review or re-examination of
 * an opinion given at `repliedAt`: 30 calendar days, moved to the next working day when the
 * last day is a rest day (信访工作条例 Arts. 35/36; 民法典 Art. 203).
 */
export function reviewRequestDueAt(repliedAt: Date, calendar: WorkingDays, timeZone: string): Date {
  return endOfLocalDay(calendar.addCalendarPeriod(toLocalDate(repliedAt, timeZone), STATUTORY.reviewRequestDays), timeZone);
}

/**
 * When a review or re-examination requested at `requestedAt` must be answered: 30 calendar days
 * (Arts. 35/36), end of that local day, rolled forward past rest days.
 */
export function reviewAnswerDueAt(requestedAt: Date, calendar: WorkingDays, timeZone: string): Date {
  return endOfLocalDay(calendar.addCalendarPeriod(toLocalDate(requestedAt, timeZone), STATUTORY.reviewAnswerDays), timeZone);
}

/**
 * Why a case is on the supervision list (挂牌督办); `danger`: filed after triage raised a danger
 * alert in the same chat (emergency, self-harm, threat — issue #14), listed from intake.
 */
export type SupervisionReason = "manual" | "overdue" | "unsatisfied" | "danger";

/** Timing of the satisfaction poll; every value is configurable (see src/config.ts). */
export interface PollTimings {
  /** Remind after this long without an answer, in hours (default 48). */
  reminderHours: number;
  /** Close the case as "no answer" this many days after the poll was sent (default 7). */
  closeDays: number;
  /**
   * Hours after the reply before the poll is sent when the reply promises no date (default 0:
   * at the next scheduler run). POLL_DELAY_HOURS in the configuration; see README "Poll timing".
   */
  delayHours?: number;
}

/** Default poll timings: a reminder after 48 h, closed as "no answer" after 7 days. */
export const DEFAULT_POLL_TIMINGS: PollTimings = { reminderHours: 48, closeDays: 7 };

/** Local hour at which a poll that waited for a promised date is sent (09:00, not at midnight). */
const POLL_HOUR = 9;

/**
 * When the satisfaction poll may be sent: the morning (09:00 local) after the date the reply
 * promised the work by (`promised`, YYYY-MM-DD, e.g. from nlu `findPromisedDate` on "本周内修复"),
 * else `delayHours` after the reply. Never later than leaves the resident the poll's `closeDays`
 * and one more day inside the 30-day window for a review request (信访工作条例 Art. 35), so an
 * unsatisfied answer can still become a 复查.
 */
export function pollSendAt(repliedAt: Date, promised: string | undefined, timings: PollTimings, timeZone: string): Date {
  const latest = new Date(repliedAt.getTime() + (STATUTORY.reviewRequestDays - timings.closeDays - 1) * 86_400_000);
  const wanted = promised
    ? new Date(startOfLocalDay(addCalendarDays(promised, 1), timeZone).getTime() + POLL_HOUR * 3_600_000)
    : new Date(repliedAt.getTime() + (timings.delayHours ?? 0) * 3_600_000);
  return wanted > latest ? latest : wanted;
}

const TOWN = /([\p{Script=Han}]{1,8}?(?:镇|乡|街道))/u;
const VILLAGE = /([\p{Script=Han}]{1,8}?(?:村|社区|居委会))/u;
const TOWN_EN = /\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:Town|Township|Subdistrict|Street Office))\b/;
const VILLAGE_EN = /\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:Village|Community))\b/;

/**
 * The town (镇/乡/街道) and village (村/社区) named in a place, for the ledger's per-town and
 * per-village figures (三知一账): "青山镇石桥村三组" → {town: "青山镇", village: "石桥村"};
 * "Qingshan Town, Shiqiao Village" works too. Missing parts are null.
 */
export function placeParts(location: string | null | undefined): { town: string | null; village: string | null } {
  if (!location) return { town: null, village: null };
  const t = location.normalize("NFKC");
  const town = TOWN.exec(t)?.[1] ?? TOWN_EN.exec(t)?.[1] ?? null;
  const rest = town ? t.slice(t.indexOf(town) + town.length) : t;
  const village = VILLAGE.exec(rest)?.[1] ?? VILLAGE_EN.exec(t)?.[1] ?? null;
  return { town, village };
}
