import pino, { type Logger } from "pino";

/** Fields whose values never reach a log line (pino redaction). */
export const REDACT_PATHS = [
  "phone", "*.phone", "*.*.phone", "contactPhone", "*.contactPhone", "idCard", "*.idCard", "text", "*.text",
  "description", "*.description", "token", "*.token", "authorization", "*.authorization", "req.headers.authorization",
  "DATABASE_URL", "*.DATABASE_URL", "ADMIN_TOKEN",
];

/**
 * Creates the structured logger (JSON lines on stderr, so stdout stays free for `--json`
 * output). Phone numbers, ID numbers, message texts and tokens are redacted.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { app: "petition-bot" } }, destination as pino.DestinationStream);
}

export type { Logger };
