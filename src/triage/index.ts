export { classifyTriage, isShortMessage, mentionsMatter, normalise, type EmergencyCall, type Triage, type TriageKind } from "./classify.js";
export { evaluateTriage, formatTriageReport, TRIAGE_KINDS, type KindScore, type TriageEvaluation, type TriageRow } from "./evaluate.js";
