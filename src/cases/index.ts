export { CaseService, type CaseServiceOptions, type CaseDetails } from "./case-service.js";
export { CaseRepository, CorruptCaseError, isUniqueViolation, type CaseRecord, type CaseFilter, type CaseEventRecord } from "./case-repository.js";
export { PrismaSessionStore } from "./prisma-session-store.js";
export { routeCategory, type RoutedUnit } from "./routing.js";
export { PrismaChannelStore, cadreGroupChats, type ChannelStore } from "./channel-store.js";
