import type { Locale } from "./locale.js";

/**
 * A message that signals danger (triage: 危及生命, 自伤, 扬言伤人), as the duty desk is told of it.
 * Raised by the chat layer's triage step, queued by the case store.
 */
export interface DangerAlert {
  channel: string;
  userId: string;
  chatId: string;
  locale: Locale;
  /** emergency | self_harm | threat */
  kind: "emergency" | "self_harm" | "threat";
  subtype: string | null;
  call: number;
  /** The resident's words as written (masked for group chats when rendered). */
  text: string;
  receivedAt: Date;
}

/**
 * Outbox priority of danger alerts (OutboxMessage.priority): delivered ahead of every ordinary
 * row (priority 0) by the in-process runner and by BullMQ (信访 issue #14: "ahead of everything else").
 */
export const ALERT_PRIORITY = 10;

/**
 * What triage noticed in a resident's chat that the next case filed from it must carry: a danger
 * alert (the case is red and supervised from intake) or another procedure named (诉访分离, recorded).
 */
export interface TriageNote {
  channel: string;
  userId: string;
  kind: DangerAlert["kind"] | "other_procedure";
  /** e.g. gas, violence; for other_procedure: court | labour_arbitration | admin_reconsideration | discipline. */
  subtype: string | null;
  at: Date;
}
