import type { CaseAction, CaseState } from "./case-state.js";
import { DomainError } from "./errors.js";
import { STATUTORY } from "./clocks.js";

/** Roles of cadres (干部): handlers work cases, leaders oversee their unit, supervisors (督办) any case. */
export const CADRE_ROLES = ["handler", "leader", "supervisor"] as const;
export type CadreRole = (typeof CADRE_ROLES)[number];

/** True when `value` is a cadre role. */
export function isCadreRole(value: unknown): value is CadreRole {
  return typeof value === "string" && (CADRE_ROLES as readonly string[]).includes(value);
}

/** Who does something to a case. */
export type Actor =
  | { kind: "cadre"; cadreId: string; unitId: string; role: CadreRole; name: string }
  | { kind: "operator"; id: string }
  | { kind: "resident"; residentId: string }
  | { kind: "system" };

/** What the permission rule needs to know about a case. */
export interface CaseForAction {
  state: CaseState;
  unitId: string | null;
  ownerCadreId: string | null;
  objectionDueAt: Date | null;
  extendedDays: number;
  /** The resident who filed it (residents act only on their own cases). */
  residentId?: string;
  /** handling | review | reexamination (see follow-up.ts). */
  stage?: string;
  /** Last instant to ask for review / re-examination of the latest reply (Arts. 35/36); null before a reply. */
  reviewRequestDueAt?: Date | null;
}

/** The extra input an action needs. */
export interface ActionInput {
  /** Reason, progress report or handling opinion (处理意见), depending on the action. */
  note?: string;
  /** Extension in calendar days (1–30). */
  days?: number;
  /** Target unit of `assign`. */
  unitId?: string;
}

/** A cadre or operator may not act on this case (another unit's case, or owned by someone else). */
export class ForbiddenActionError extends DomainError {
  readonly code = "CASE.FORBIDDEN";
  constructor(readonly caseNo: string, readonly action: string) {
    super(`Not allowed to ${action} case ${caseNo}`);
    this.name = "ForbiddenActionError";
  }
}

/** Why an allowed action was refused; each reason has a text in locales (`workflow.refused.<reason>`). */
export type RefusalReason =
  | "note_required" | "objection_window_closed" | "already_extended" | "extension_days" | "unit_required" | "same_unit"
  | "review_window_closed" | "final" | "review_first";

/** The action is allowed in this state but its input breaks a rule (e.g. a second extension). */
export class ActionRefusedError extends DomainError {
  readonly code = "CASE.ACTION_REFUSED";
  constructor(readonly reason: RefusalReason, detail: string) {
    super(detail);
    this.name = "ActionRefusedError";
  }
}

/** What a resident may do to their own case. */
const RESIDENT_ACTIONS: ReadonlySet<CaseAction> = new Set(["close", "request_review", "request_reexamination"]);

/** Actions only the duty desk, leaders and supervisors take (they route cases). */
const ROUTING_ACTIONS: ReadonlySet<CaseAction> = new Set(["assign", "decline", "close"]);

/**
 * Whether `actor` may take `action` on case `c` — the permission rule of the cadre workflow:
 * operators and supervisors (督办) may act on any case; leaders on their unit's cases; handlers on
 * their unit's cases, and once a case is accepted only its owner (首问负责); duty-desk cadres
 * route cases that sit at the duty desk. Residents answer the poll on and ask for review of
 * their own cases only.
 */
export function mayAct(actor: Actor, c: CaseForAction, action: CaseAction, dutyDeskUnitId: string | null): boolean {
  if (actor.kind === "operator" || actor.kind === "system") return true;
  // Residents answer the poll (close) and ask for review / re-examination of their own cases.
  if (actor.kind === "resident") return c.residentId === actor.residentId && RESIDENT_ACTIONS.has(action);
  if (actor.role === "supervisor") return true;
  const ownUnit = c.unitId !== null && c.unitId === actor.unitId;
  const atDutyDesk = dutyDeskUnitId !== null && actor.unitId === dutyDeskUnitId;
  if (ROUTING_ACTIONS.has(action)) return actor.role === "leader" ? ownUnit || atDutyDesk : atDutyDesk && (c.unitId === dutyDeskUnitId || c.unitId === null);
  if (!ownUnit) return false;
  if (actor.role === "leader") return true;
  return c.ownerCadreId === null || c.ownerCadreId === actor.cadreId;
}

/**
 * Checks an action's input against the statutory rules; returns the cleaned input.
 * Sources: object within 5 working days (信访工作条例 Art. 23 ¶3); one extension of at most 30
 * days with reasons (Art. 34); not accepting names the procedure to use (Arts. 28/31).
 * @throws ActionRefusedError naming the broken rule.
 */
export function checkActionInput(action: CaseAction, c: CaseForAction, input: ActionInput, now: Date): ActionInput {
  const note = input.note?.trim();
  const needsNote: CaseAction[] = ["object", "extend", "reply", "decline", "report_progress"];
  if (needsNote.includes(action) && !note) throw new ActionRefusedError("note_required", `${action} needs a note (reason, progress or opinion)`);
  if (action === "object" && c.objectionDueAt && now > c.objectionDueAt) {
    throw new ActionRefusedError("objection_window_closed", "the 5-working-day objection window has closed (Art. 23 ¶3)");
  }
  if (action === "extend") {
    if (c.extendedDays > 0) throw new ActionRefusedError("already_extended", "a case can be extended only once (Art. 34)");
    const days = input.days ?? STATUTORY.maxExtensionDays;
    if (!Number.isInteger(days) || days < 1 || days > STATUTORY.maxExtensionDays) throw new ActionRefusedError("extension_days", `an extension is 1–${STATUTORY.maxExtensionDays} days (Art. 34)`);
    return { ...input, note, days };
  }
  if (action === "request_review" || action === "request_reexamination") {
    // Review after the first handling, re-examination after review, nothing after that (Art. 36).
    const stage = c.stage ?? "handling";
    if (stage === "reexamination") throw new ActionRefusedError("final", "the matter was re-examined and is final (信访工作条例 Art. 36)");
    if (action === "request_reexamination" && stage !== "review") throw new ActionRefusedError("review_first", "re-examination follows a review (Art. 36); ask for review first");
    if (action === "request_review" && stage !== "handling") throw new ActionRefusedError("review_first", "the matter was reviewed already; ask for re-examination (Art. 36)");
    if (c.reviewRequestDueAt && now > c.reviewRequestDueAt) throw new ActionRefusedError("review_window_closed", "review and re-examination are asked for within 30 days of the reply (Arts. 35/36)");
  }
  if (action === "assign") {
    if (!input.unitId) throw new ActionRefusedError("unit_required", "assign needs a target unit");
    if (input.unitId === c.unitId) throw new ActionRefusedError("same_unit", "the case is already with that unit");
  }
  return { ...input, note };
}
