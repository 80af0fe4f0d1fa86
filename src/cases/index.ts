export { CaseService, caseSummary, type CaseServiceOptions, type CaseDetails, type CaseSummary } from "./case-service.js";
export {
  CaseRepository, CorruptCaseError, isUniqueViolation, nextEventTime,
  type CaseRecord, type CaseFilter, type CaseEventRecord, type TriageNoteRecord,
} from "./case-repository.js";
export { routeCategory, type RoutedUnit } from "./routing.js";
export { PrismaChannelStore, cadreGroupChats, type ChannelStore } from "./channel-store.js";
export { CaseWorkflow, ConcurrentTransitionError, type TransitionResult, type CaseWorkflowOptions } from "./case-workflow.js";
export { residentRecipient, supervisorRecipients, unitRecipients, type Recipient } from "./recipients.js";
export { parseUnitsFile } from "./units-file.js";
export { actorById, importUnits, type UnitsImportResult } from "./units-import.js";
export { casesByState } from "./case-counts.js";
export {
  PersonalDataStore, UnknownResidentError, phoneLast4,
  type ErasedBy, type ErasureReport, type ResidentExport, type ResidentOverview, type RetentionReport,
} from "./personal-data.js";
export { formWithoutIdNumbers, maskIdNumbers } from "./id-numbers.js";
export {
  CadreAlreadyRevokedError, CadreNotFoundError, listCadres, maskExternalId, releaseCadreChat, revokeCadre,
  type CadreAccount, type RevokeResult,
} from "./cadre-accounts.js";
