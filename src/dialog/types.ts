import type { Category, Receipt } from "../domain/index.js";
import type { Locale } from "../i18n.js";

/** The fields of the intake form, in the order they are asked. */
export const SLOTS = ["description", "category", "location", "occurredAt", "demands", "name", "phone"] as const;
/** One form field. */
export type Slot = (typeof SLOTS)[number];
/** What the bot is waiting for: a form field, the final confirmation, or nothing. */
export type Expectation = Slot | "confirm";

/** Fields a resident may skip at any time. Others may be skipped only after two failed answers. */
export const OPTIONAL_SLOTS: ReadonlySet<Slot> = new Set(["occurredAt", "demands", "name"]);

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

/** A file the resident sent, kept with the case by reference (the channel stores the bytes). */
export interface Attachment {
  channel?: string;
  kind: "photo" | "document" | "voice" | "video";
  /** The channel's id for fetching the file (Telegram file_id). */
  fileId: string;
  caption?: string;
}

/** Most attachments kept per form. */
export const MAX_ATTACHMENTS = 10;

/** The values collected so far. */
export interface IntakeForm {
  description?: string;
  /** True when the description was cut to the maximum length. */
  descriptionTruncated?: boolean;
  category?: Category;
  suggestedCategory?: Category;
  classifierScore?: number;
  location?: string;
  /** The resident's own words for when it happened. */
  occurredText?: string;
  /** The parsed local date (YYYY-MM-DD), when it could be parsed. */
  occurredOn?: string;
  /** How precise the resident was: a day, a month (上个月) or a year (去年). */
  occurredPrecision?: "day" | "month" | "year";
  demands?: string;
  name?: string;
  phone?: string;
  attachments?: Attachment[];
  /**
   * The resident's answer to "is this the matter of your case XF-…?": that case's number (yes),
   * null (a new matter), undefined (not asked yet).
   */
  sameAs?: string | null;
}

/** A completed form handed to the case desk. */
export interface Submission {
  /** Idempotency key: the same key always yields the same case. */
  key: string;
  channel: string;
  userId: string;
  chatId: string;
  locale: Locale;
  form: Required<Pick<IntakeForm, "description" | "category">> & IntakeForm;
  receivedAt: Date;
}

/** What a resident may see about one of their cases. */
export interface CaseStatus extends Receipt {
  /** Label key of the latest event, e.g. `created`. */
  lastEvent: string;
  updatedAt: Date;
}

/**
 * The port through which the dialog files and looks up cases; implemented by src/cases.
 * Residents see only their own cases: lookups are by (channel, userId).
 */
export interface CaseDesk {
  /** Saves the case (idempotent on `submission.key`) and returns its receipt. */
  submit(submission: Submission): Promise<Receipt>;
  /** Status of one case, or null when it is not this resident's (or does not exist). */
  status(channel: string, userId: string, caseNo: string): Promise<CaseStatus | null>;
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
