import type { Category } from "./categories.js";
import type { Locale } from "./locale.js";
import type { Receipt } from "./receipt.js";

/** The fields of the intake form, in the order they are asked. */
export const SLOTS = ["description", "category", "location", "occurredAt", "demands", "name", "phone"] as const;
/** One form field. */
export type Slot = (typeof SLOTS)[number];
/** What the bot is waiting for: a form field, the final confirmation, or nothing. */
export type Expectation = Slot | "confirm";

/** Fields a resident may skip at any time. Others may be skipped only after two failed answers. */
export const OPTIONAL_SLOTS: ReadonlySet<Slot> = new Set(["occurredAt", "demands", "name"]);

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
  /**
   * The resident's answer at the summary to "may the matter, without your name, appear in the public
   * list?": true, false, or undefined (not asked yet — such a case is never listed publicly).
   */
  publicConsent?: boolean;
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

