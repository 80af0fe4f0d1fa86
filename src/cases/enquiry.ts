import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { ENQUIRY_CODE_LENGTH, READABLE_CODE_ALPHABET } from "../domain/index.js";

/** Wrong enquiry codes allowed per case number and per chat before lookups are locked. */
export const ENQUIRY_MAX_FAILURES = 5;
/** How long lookups stay locked after {@link ENQUIRY_MAX_FAILURES} wrong codes, in ms (15 minutes). */
export const ENQUIRY_LOCK_MS = 15 * 60_000;

/** A new random enquiry code (查询码): 6 characters of the readable alphabet, from the OS's CSPRNG. */
export function newEnquiryCode(): string {
  return Array.from({ length: ENQUIRY_CODE_LENGTH }, () => READABLE_CODE_ALPHABET[randomInt(READABLE_CODE_ALPHABET.length)]).join("");
}

/**
 * What is stored for a code: SHA-256 (hex) of the case's submission key and the code. The key
 * salts the hash per case; the code itself is never stored. Brute force against the live service
 * is what the lock stops (5 tries per case and per chat, then 15 minutes).
 */
export function enquiryCodeHash(submissionKey: string, code: string): string {
  return createHash("sha256").update(`${submissionKey}\n${code}`).digest("hex");
}

/** True when `code` is the case's code (constant-time comparison of the hashes). */
export function enquiryCodeMatches(submissionKey: string, storedHash: string | null, code: string): boolean {
  if (!storedHash) return false;
  const given = Buffer.from(enquiryCodeHash(submissionKey, code), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Lock keys of one lookup: the case number asked for (whether or not it exists) and the chat asking. */
export function enquiryLockKeys(caseNo: string, channel: string, externalId: string): [string, string] {
  return [`case:${caseNo}`, `chat:${channel}:${externalId}`];
}

export type { EnquiryOutcome } from "../domain/index.js";
