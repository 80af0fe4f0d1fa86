export { CaseService, type CaseServiceOptions, type CaseDetails } from "./case-service.js";
export { CaseRepository, CorruptCaseError, isUniqueViolation, type CaseRecord, type CaseFilter, type CaseEventRecord } from "./case-repository.js";
export { PrismaSessionStore } from "./prisma-session-store.js";
export { routeCategory, type RoutedUnit } from "./routing.js";
export { PrismaChannelStore, cadreGroupChats, type ChannelStore } from "./channel-store.js";
export { CaseWorkflow, ConcurrentTransitionError, type TransitionResult, type CaseWorkflowOptions } from "./case-workflow.js";
export { unitRecipients, type Recipient } from "./recipients.js";
export { CadreDesk, INVITE_TTL_HOURS, type CadreDeskOptions } from "./cadre-desk.js";
export { FrontDesk, type Conversation } from "./front-desk.js";
