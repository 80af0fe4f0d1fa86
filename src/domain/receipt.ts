import type { Category } from "./categories.js";
import type { Colour } from "./colour.js";
import type { CaseState } from "./case-state.js";

/**
 * Contents of a receipt (受理回执) — what the resident must be told when a case is saved:
 * number, category, responsible unit, colour deadline and how to ask for status.
 * Source: DESIGN.md "Receipt". Rendering into a sentence is the dialog's job (locales/).
 */
export interface Receipt {
  caseNo: string;
  category: Category;
  state: CaseState;
  /** Unit id, or null when it will be assigned by the duty desk. */
  unitId: string | null;
  unitName: string | null;
  /** English name of the unit, when it has one. */
  unitNameEn: string | null;
  colour: Colour;
  /** Local date (YYYY-MM-DD) the unit reports back by. */
  colourDueDate: string;
  /** Local date (YYYY-MM-DD) of the statutory reply deadline (Art. 34). */
  replyDueDate: string;
  /** Local date of receipt. */
  receivedDate: string;
  /**
   * What became of the submission: a new case (`filed`, the default); added to the resident's
   * open case on the same matter (`linked`, 信访工作条例 Art. 19 ¶3); a new case marked as a repeat
   * visit on a closed one, checked by the level above (`repeat`); refused because the matter was
   * re-examined and is final (`final`, Art. 36). For linked/final the receipt is the earlier case's.
   */
  disposition?: "filed" | "linked" | "repeat" | "final";
  /** Number of the earlier case a repeat visit is about. */
  repeatOf?: string;
  /**
   * The enquiry code (查询码) of a case just filed: shown once, on this receipt, and stored only as a
   * hash. Absent when the receipt is shown again (a second "confirm"): the resident can ask for a new code.
   */
  enquiryCode?: string;
}
