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
