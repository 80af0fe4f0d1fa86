import type { Attachment, Expectation } from "../domain/index.js";
import type { Locale } from "../domain/locale.js";

/** A button shown to the resident: `id` is stable ASCII, `label` is in the resident's language. */
export interface Button {
  id: string;
  label: string;
}

/**
 * One bot message. The shape of `petition-bot chat --json` output; keep it stable.
 * `expects` names the slot being asked for; `caseNo` is set on the receipt.
 */
export interface Reply {
  text: string;
  buttons: Button[];
  expects: Expectation | null;
  caseNo: string | null;
}

/** What kind of content arrived; anything but text at a text step gets a helpful answer. */
export type InboundKind = "text" | "photo" | "voice" | "video" | "document" | "sticker" | "location" | "contact" | "other";

/** One message from a resident, as every channel hands it to the engine. */
export interface Inbound {
  /** Channel name: web, terminal, telegram, wechat … */
  channel: string;
  /** The resident's id on that channel. */
  userId: string;
  /** Where replies go (defaults to userId). */
  chatId?: string;
  /** Typed text (raw; the engine normalises it). */
  text?: string;
  /** Id of a pressed button, when the channel has buttons. */
  buttonId?: string;
  kind?: InboundKind;
  /** The channel's message id, for dropping duplicates and for matching edits. */
  messageId?: string;
  /** Set when this is an edit of an earlier message: that message's id. */
  editOf?: string;
  /** A photo, file, voice or video the channel can fetch later by `fileId`. */
  attachment?: Attachment;
  /** Sent in a group (a unit's cadre group): only cadre commands are answered, personal data masked. */
  group?: boolean;
  /** Locale the channel knows (e.g. the app's language); the resident can still switch. */
  locale?: Locale;
  /** Instant the message was received; default now. */
  receivedAt?: Date;
}

/** Anything that answers an inbound message with replies: the dialog engine, a desk, the whole pipeline. */
export interface Conversation {
  handle(msg: Inbound): Promise<Reply[]>;
}
