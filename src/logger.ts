import pino, { type Logger } from "pino";
import { applyMasks, findPersonalData } from "./privacy/index.js";

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
 * Masks the personal data left in one JSON log line. JSON escapes (`\n`, `\"`) are read as two
 * spaces, so "…\n13800001234" is still a phone; masks never contain `"` or `\`, so the line stays JSON.
 */
const redactLine = (line: string): string => applyMasks(line, findPersonalData(line.replace(/\\[nrt"\\/]/g, "  ")));

/**
 * Creates the structured logger (JSON lines on stderr, so stdout stays free for `--json`
 * output). Phone numbers, ID numbers, message texts, tokens, secrets and cookies are redacted; any personal data
 * left anywhere else in a line (phones, ID and card numbers, e-mail, names after 我叫…) is masked.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  // Redaction removes known fields; the last line of defence masks any personal data
  // left in a free-text field (an error message, a message quoted by a library) in every line.
  return pino(
    {
      level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { app: "petition-bot" },
      hooks: { streamWrite: redactLine },
    },
    destination as pino.DestinationStream,
  );
}

export type { Logger };
