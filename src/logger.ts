import pino, { type Logger } from "pino";
import { maskPersonalData } from "./domain/masking.js";

/** Fields whose values never reach a log line (pino redaction). */
export const REDACT_PATHS = [
  "phone", "*.phone", "*.*.phone", "contactPhone", "*.contactPhone", "idCard", "*.idCard", "text", "*.text",
  "description", "*.description", "token", "*.token", "authorization", "*.authorization", "req.headers.authorization",
  "DATABASE_URL", "*.DATABASE_URL", "ADMIN_TOKEN",
  "SESSION_SECRET", "*.SESSION_SECRET", "sessionSecret", "*.sessionSecret",
  "cookie", "*.cookie", "req.headers.cookie", "*.headers.cookie",
  'res.headers["set-cookie"]', '*.headers["set-cookie"]',
];

/**
 * Creates the structured logger (JSON lines on stderr, so stdout stays free for `--json`
 * output). Phone numbers, ID numbers, message texts, tokens, secrets and cookies are redacted; phone and ID-card
 * numbers anywhere else in a line are masked.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  // Redaction removes known fields; the last line of defence masks any phone or ID-card number
  // left in a free-text field (an error message, a message quoted by a library) in every line.
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { app: "petition-bot" }, hooks: { streamWrite: maskPersonalData } }, destination as pino.DestinationStream);
}

export type { Logger };
