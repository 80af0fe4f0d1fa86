import type { IntakeForm } from "../domain/index.js";
import { redactPersonalData } from "../privacy/index.js";

/**
 * Masks every 18- and 15-digit ID-card number in `text` to its last 4 characters
 * (`**************123X`, `***********1234`) with the shared redactor (src/privacy), so the number
 * is not stored at all. Idempotent.
 *
 * @example
 * maskIdNumbers("身份证110101199003074218") // "身份证**************4218"
 */
export function maskIdNumbers(text: string): string;
export function maskIdNumbers(text: string | null | undefined): string | null | undefined;
export function maskIdNumbers(text: string | null | undefined): string | null | undefined {
  if (!text) return text;
  return redactPersonalData(text, { kinds: ["id_number"] });
}

/**
 * The form with ID-card numbers masked in its free text (description, place, time, demands,
 * name, phone, attachment captions): what the case store keeps of a submission (intake).
 */
export function formWithoutIdNumbers<F extends IntakeForm>(form: F): F {
  return {
    ...form,
    description: maskIdNumbers(form.description),
    location: maskIdNumbers(form.location),
    occurredText: maskIdNumbers(form.occurredText),
    demands: maskIdNumbers(form.demands),
    name: maskIdNumbers(form.name),
    phone: maskIdNumbers(form.phone),
    ...(form.attachments
      ? { attachments: form.attachments.map((a) => (a.caption ? { ...a, caption: maskIdNumbers(a.caption) } : a)) }
      : {}),
  };
}
