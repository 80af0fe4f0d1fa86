import { InvalidTransitionError } from "./errors.js";

/**
 * The states of a petition case. Stored as strings; the meaning of each is in the comment.
 * Source of the flow: 信访工作条例 Arts. 22–36 and DESIGN.md.
 */
export const CASE_STATES = [
  "registered", // 登记: received and numbered, waiting to be assigned to a unit
  "assigned", // 交办/转送: sent to a responsible unit, waiting for its acceptance
  "accepted", // 受理: the unit accepted it and owns it
  "not_accepted", // 不予受理: belongs to litigation/arbitration/review (诉访分离, Arts. 28/31) or similar
  "in_progress", // 办理中: the unit reported progress
  "replied", // 已答复: handling opinion (处理意见) issued, waiting for the satisfaction poll
  "under_review", // 复查中 (Art. 35)
  "under_reexamination", // 复核中 (Art. 36)
  "closed", // 办结
  "withdrawn", // 撤回: the resident withdrew it
] as const;

/** One case state, e.g. `"accepted"`. */
export type CaseState = (typeof CASE_STATES)[number];

/** States in which a unit still owes the resident something (the case counts as open). */
export const OPEN_STATES: ReadonlySet<CaseState> = new Set([
  "registered", "assigned", "accepted", "in_progress", "under_review", "under_reexamination",
]);

/** States after which nothing more happens on the case. */
export const FINAL_STATES: ReadonlySet<CaseState> = new Set(["closed", "not_accepted", "withdrawn"]);

/** The actions that move a case, as cadres, residents and the system name them. */
export type CaseAction =
  | "assign" // 交办 to a unit
  | "accept" // 受理
  | "object" // 异议: not our unit (Art. 23 ¶3) — back to the duty desk
  | "decline" // 不予受理
  | "report_progress" // 报告进展
  | "extend" // 延期 (Art. 34, once, ≤ 30 days; state unchanged)
  | "reply" // 答复: issue the handling opinion
  | "close" // 办结
  | "request_review" // 申请复查 (Art. 35)
  | "request_reexamination" // 申请复核 (Art. 36)
  | "withdraw"; // 撤回

/** The one transition table: for each state, the actions allowed and the state each leads to. */
export const TRANSITIONS: Readonly<Record<CaseState, Partial<Record<CaseAction, CaseState>>>> = {
  registered: { assign: "assigned", decline: "not_accepted", withdraw: "withdrawn" },
  assigned: { accept: "accepted", object: "registered", decline: "not_accepted", withdraw: "withdrawn" },
  accepted: { report_progress: "in_progress", extend: "accepted", reply: "replied", withdraw: "withdrawn" },
  in_progress: { report_progress: "in_progress", extend: "in_progress", reply: "replied", withdraw: "withdrawn" },
  // A reply waits for the satisfaction poll; answering it (or its deadline) closes the case.
  // Review and re-examination each end in a reply of their own, with a poll of its own.
  replied: { close: "closed", request_review: "under_review", request_reexamination: "under_reexamination" },
  under_review: { reply: "replied", report_progress: "under_review" },
  under_reexamination: { reply: "replied", report_progress: "under_reexamination" },
  closed: { request_review: "under_review", request_reexamination: "under_reexamination" },
  not_accepted: {},
  withdrawn: {},
};

/** True when `value` is a known case state. */
export function isCaseState(value: unknown): value is CaseState {
  return typeof value === "string" && (CASE_STATES as readonly string[]).includes(value);
}

/** Actions allowed in `state`, for menus and buttons. */
export function allowedActions(state: CaseState): CaseAction[] {
  return Object.keys(TRANSITIONS[state]) as CaseAction[];
}

/**
 * The state a case in `from` moves to on `action`.
 * @throws InvalidTransitionError when the table does not allow it.
 */
export function nextState(from: CaseState, action: CaseAction): CaseState {
  const to = TRANSITIONS[from][action];
  if (!to) throw new InvalidTransitionError(from, action);
  return to;
}
