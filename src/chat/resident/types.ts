import type { CaseStatus, EnquiryOutcome, IntakeForm, Receipt, Submission } from "../../domain/index.js";
import type { Locale } from "../../i18n.js";

export type { Button, Conversation, Inbound, InboundKind, Reply } from "../message.js";
export { MAX_ATTACHMENTS, OPTIONAL_SLOTS, SLOTS, type Attachment, type CaseStatus, type Expectation, type IntakeForm, type Slot, type Submission } from "../../domain/index.js";

/**
 * The port through which the dialog files and looks up cases; implemented by src/cases.
 * Residents see only their own cases: lookups are by (channel, userId).
 */
export interface CaseDesk {
  /** Saves the case (idempotent on `submission.key`) and returns its receipt. */
  submit(submission: Submission): Promise<Receipt>;
  /** Status of one case, or null when it is not this resident's (or does not exist). */
  status(channel: string, userId: string, caseNo: string): Promise<CaseStatus | null>;
  /**
   * A lookup by number and enquiry code from any chat (src/cases/enquiry.ts): granted (the chat may
   * follow the case), refused (wrong code or no such case, never told apart) or locked until a time.
   */
  enquire(channel: string, userId: string, caseNo: string, code: string): Promise<EnquiryOutcome>;
  /** A new enquiry code for the resident's own case (the old one stops working); null when not theirs. */
  reissueEnquiryCode(channel: string, userId: string, caseNo: string): Promise<string | null>;
  /** The resident's most recent cases, newest first. */
  recent(channel: string, userId: string, limit: number): Promise<CaseStatus[]>;
  /**
   * The resident's earlier case that may be the same matter (same category and place, last
   * 365 days, not declined/withdrawn), open ones first; null when none. The form then asks.
   */
  priorMatter?(q: { channel: string; userId: string; form: IntakeForm; now: Date }): Promise<CaseStatus | null>;
  /** Asks a person to take over; the form so far travels with the request. Returns how many staff chats were notified. */
  handoff(request: { channel: string; userId: string; chatId: string; locale: Locale; reason: string; form: IntakeForm }): Promise<number>;
}
