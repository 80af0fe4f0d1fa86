import { maskIdCards, type IntakeForm } from "../domain/index.js";

// What the domain's maskIdCards leaves of an 18-digit number (first 6 and last 4), to cut to the last 4.
const MASKED_18 = /(?<![\dXx*])\d{6}(\*{8}\d{3}[\dXx])(?![\dXx])/g;
// A 15-digit (first-generation) ID-card number: region, YYMMDD, sequence.
const ID_15 = /(?<!\d)[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)/g;

/**
 * Masks every 18- and 15-digit ID-card number in `text` to its last 4 characters
 * (`**************123X`, `***********1234`), so the number is not stored at all. Idempotent.
 * The one caller of the domain's ID-card masking (src/domain/masking.ts) in the case store.
 *
 * @example
 * maskIdNumbers("身份证110101199003074218") // "身份证**************4218"
 */
export function maskIdNumbers(text: string): string;
export function maskIdNumbers(text: string | null | undefined): string | null | undefined;
export function maskIdNumbers(text: string | null | undefined): string | null | undefined {
  if (!text) return text;
  return maskIdCards(text)
    .replace(MASKED_18, (_m, tail: string) => `${"*".repeat(6)}${tail}`)
    .replace(ID_15, (m) => `${"*".repeat(11)}${m.slice(-4)}`);
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
