import type { CaseStatus } from "./submission.js";

/** Base of the errors callers handle by `code`; each subclass is one thing to do differently. */
export abstract class DomainError extends Error {
  /** Stable machine-readable code, e.g. `CASE.NOT_FOUND`. */
  abstract readonly code: string;
}

/** A case action that the case's current state does not allow (see TRANSITIONS). */
export class InvalidTransitionError extends DomainError {
  readonly code = "CASE.INVALID_TRANSITION";
  constructor(
    readonly from: string,
    readonly action: string,
  ) {
    super(`Action "${action}" is not allowed in state "${from}"`);
    this.name = "InvalidTransitionError";
  }
}

/** No case has this number, or the asking resident may not see it (same answer on purpose). */
export class CaseNotFoundError extends DomainError {
  readonly code = "CASE.NOT_FOUND";
  constructor(readonly caseNo: string) {
    super(`Case ${caseNo} not found`);
    this.name = "CaseNotFoundError";
  }
}

/** A case number whose shape or check digit is wrong (a typo, usually). */
export class InvalidCaseNumberError extends DomainError {
  readonly code = "CASE.INVALID_NUMBER";
  constructor(readonly input: string) {
    super(`"${input.slice(0, 40)}" is not a valid case number`);
    this.name = "InvalidCaseNumberError";
  }
}

/** A calendar date string that is not YYYY-MM-DD or not a real day. */
export class InvalidDateError extends DomainError {
  readonly code = "DATE.INVALID";
  constructor(readonly input: string) {
    super(`"${input}" is not a valid date (expected YYYY-MM-DD)`);
    this.name = "InvalidDateError";
  }
}

/**
 * A resident (or a phone, across every identity that gave it) has filed the day's maximum of
 * cases (DAILY_CASE_LIMIT, default 5; issue #14: "19 cases in 63 s"). Nothing was saved; the
 * chat answers kindly with the resident's own open cases, which may still be added to.
 */
export class DailyCaseLimitError extends DomainError {
  readonly code = "CASE.DAILY_LIMIT";
  constructor(
    /** The limit per local day. */
    readonly limit: number,
    /** The resident's own open cases, newest first (never other identities' cases: the phone alone proves nothing). */
    readonly openCases: readonly CaseStatus[],
  ) {
    super(`At most ${limit} cases may be filed in a day by one resident or phone`);
    this.name = "DailyCaseLimitError";
  }
}
