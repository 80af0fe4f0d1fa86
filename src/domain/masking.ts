/**
 * Masking of personal data for logs, group chats and public outputs: phone numbers keep the
 * first 3 and last 4 digits (138****5678), ID-card numbers the first 6 and last 4.
 */

/** Masks one phone number; anything shorter than 7 digits is fully masked. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 7) return "*".repeat(digits.length || 4);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

const ID_CARD = /(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g;
const CN_MOBILE = /(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?\d{3,4}(\d{4})(?!\d)/g;

/** Masks every ID-card number and phone number inside free text. */
export function maskPersonalData(text: string): string {
  return text
    .replace(ID_CARD, "$1********$2")
    .replace(CN_MOBILE, "$1****$2")
    .replace(LANDLINE, "$1****$2");
}

/** Masks ID-card numbers only (for showing a resident their own text back). */
export function maskIdCards(text: string): string {
  return text.replace(ID_CARD, "$1********$2");
}
