import type { Category } from "../../domain/index.js";
import type { Locale } from "../../i18n.js";
import type { Button, Expectation, IntakeForm, Slot } from "./types.js";

/** Everything the engine remembers about one conversation. Plain JSON; persisted as is. */
export interface DialogState {
  v: 1;
  locale: Locale;
  /** True once the resident chose a language; then it is never guessed again. */
  localeChosen: boolean;
  /** What the bot waits for; null when no form is open. */
  step: Expectation | null;
  /**
   * "edit_menu": the resident is picking which field to edit from the summary; "same_matter":
   * answering whether the form is about their earlier case `sameCandidate`.
   */
  mode: "form" | "edit_menu" | "same_matter";
  /** The earlier case asked about in "same_matter" mode. */
  sameCandidate?: { caseNo: string; state: string; received: string; category: string };
  /** Key of the open form; becomes the case's idempotency key. */
  formId: string;
  form: IntakeForm;
  /** Slots asked so far, for "back". */
  history: Slot[];
  /** Invalid answers in a row at this step. */
  attempts: number;
  /** True while editing one field from the summary: after it, go back to the summary. */
  editing: boolean;
  /** Categories offered as buttons at the category step. */
  offered: Category[];
  /** Number and form id of the last case filed in this conversation. */
  lastCaseNo: string | null;
  lastFormId: string | null;
  /** Buttons of the last reply, so a typed label or number selects one. */
  lastButtons: Button[];
  /** Recent channel message ids, to drop duplicates. */
  seen: string[];
  /** Which slot recent messages answered ([messageId, slot]), so an edit can update it. */
  answeredBy?: Array<[string, Slot]>;
  /** The latest message id and the step it was sent at (an edit of it re-answers that step). */
  lastMessage?: [string, Expectation | null];
}

/** A fresh state with no open form. */
export function initialState(locale: Locale, formId: string): DialogState {
  return {
    v: 1, locale, localeChosen: false, step: null, mode: "form", formId, form: {}, history: [],
    attempts: 0, editing: false, offered: [], lastCaseNo: null, lastFormId: null, lastButtons: [], seen: [],
  };
}

/**
 * True when the resident is in the middle of a form: a step is open and it is not just the
 * first question of an empty form (a greeting opens that; a poll answer typed then is not a form answer).
 */
export function formInProgress(state: DialogState | undefined): boolean {
  if (!state?.step) return false;
  return !(state.step === "description" && Object.keys(state.form).length === 0 && state.mode === "form");
}
