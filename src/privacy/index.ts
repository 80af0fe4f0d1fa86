// Personal data (个人信息) in free text: find it, mask it, measure how well that works. Pure: no I/O.

// Commonly used: masking for logs, group chats and public outputs.
export { redactPersonalData, maskPhone, type RedactOptions } from "./redact.js";
export { findPersonalData, PERSONAL_DATA_KINDS, type PersonalDataKind, type Span } from "./find-personal-data.js";

// For evaluation and tools.
export { applyMasks, maskValue } from "./redact.js";
export { evaluateRedactor, formatRedactorReport, type RedactorRow, type RedactorEvaluation } from "./evaluate.js";
