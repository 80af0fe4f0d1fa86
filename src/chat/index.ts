// The chat layer: what every channel talks to. A channel adapts its SDK to `Inbound`/`Reply`
// and hands each message to the inbound pipeline (see docs/architecture.md).

// Commonly used: the message vocabulary and the desks.
export type { Button, Conversation, Inbound, InboundKind, Reply } from "./message.js";
export { frontDesk, residentsOnly, type FrontDeskOptions } from "./front-desk.js";
export { desk, pipeline, type Middleware, type Step } from "./pipeline.js";
export { CadreDesk, INVITE_TTL_HOURS, caseActionButtons, type CadreDeskOptions } from "./cadre-desk.js";
export { FollowUpDesk, pollButtons, COMMENT_WINDOW_MS, type FollowUpDeskOptions } from "./follow-up-desk.js";
export { triageLines } from "./triage-lines.js";

// The inbound pipeline and its middleware.
export { InFlight } from "./middleware/in-flight.js";
export { triage, type AlertDesk, type TriageOptions } from "./middleware/triage.js";
export {
  dataRights, ERASE_NO, ERASE_YES, type DataRightsDesk, type DataRightsOptions, type DataOverview, type ErasureOutcome,
} from "./middleware/data-rights.js";
export { MemoryHitCounter, RedisHitCounter, failFastRedis, rateLimit, type HitCounter, type RateLimitOptions } from "./middleware/rate-limit.js";

// Storage of the resident's form.
export { PrismaSessionStore } from "./resident/prisma-session-store.js";
