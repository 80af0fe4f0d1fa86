// Pure domain: types and rules, no I/O.
export * from "./affected-people.js";
export * from "./categories.js";
export * from "./chinese-number.js";
export * from "./case-state.js";
export * from "./colour.js";
export * from "./clocks.js";
export * from "./enquiry-code.js";
export * from "./case-number.js";
export * from "./errors.js";
export * from "./follow-up.js";
export * from "./local-date.js";
export * from "./locale.js";
export * from "./receipt.js";
export * from "./submission.js";
export * from "./working-days.js";
export * from "./workflow.js";
export { ALERT_PRIORITY, type DangerAlert, type TriageNote } from "./alert.js";
export * from "./holiday-notice.js";
