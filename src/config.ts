import { z } from "zod";
import { CASE_PREFIX } from "./domain/case-number.js";

// One Open311 API key entry: an optional client name, then the key itself.
const SCOPE = "(?:file|read|read_full)";
const API_KEY = `(?:[a-z0-9_-]{1,32}:)?[A-Za-z0-9_.~-]{16,128}(?:@${SCOPE}(?:\\+${SCOPE})*)?`;
const API_KEY_LIST = new RegExp(`^\\s*${API_KEY}\\s*(?:,\\s*${API_KEY}\\s*)*$`);

/**
 * Runtime configuration, read once from the environment. Bad values stop start-up with one
 * line naming the variable (see {@link ConfigError}).
 */
const Env = z.object({
  /** file:./data/petition-bot.db (SQLite, default) or postgresql://… (PostgreSQL). */
  DATABASE_URL: z.string().regex(/^(file:.+|postgres(ql)?:\/\/.+)/, "must be file:PATH (SQLite) or postgresql://… (PostgreSQL)").default("file:./data/petition-bot.db"),
  /** redis://… enables the BullMQ queue (scale mode); unset = in-process queue. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis://").optional(),
  /** HTTP port of the web chat and APIs. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on; 127.0.0.1 keeps the embedded default on this machine only. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** IANA time zone for dates, deadlines and case numbers. */
  TZ_NAME: z.string().refine(isTimeZone, "must be an IANA time zone such as Asia/Shanghai").default("Asia/Shanghai"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Bearer token for admin endpoints; admin endpoints are disabled without it. */
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /**
   * Key that signs the web chat's session cookie (≥ 32 characters; the same on every process).
   * Unset: one is generated once and kept in the database (table DeploymentSecret). Never logged.
   */
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. openssl rand -base64 32)").optional(),
  /** Days a web chat session lives after the browser's last visit (cookie Max-Age; browsers cap it at 400). */
  WEB_SESSION_DAYS: z.coerce.number().int().min(1).max(400).default(180),
  /**
   * Behind a reverse proxy: `true` (any proxy) or its addresses (comma-separated IPs/CIDRs) —
   * then X-Forwarded-Proto/-Host decide the scheme (Secure cookie) and the origin (CSRF check).
   */
  TRUST_PROXY: z.string()
    .regex(/^(true|false|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/,
      "must be true, false or comma-separated proxy addresses such as 10.0.0.1,10.1.0.0/16")
    .default("false"),
  /**
   * Open311 API keys, comma-separated, each `KEY` or `name:KEY` (name: which system files the case), optionally
   * followed by `@scope+scope` with scopes `file` (POST requests; the default), `read` (read every case, personal
   * data redacted) and `read_full` (read every case as typed).
   */
  OPEN311_API_KEYS: z.string().regex(API_KEY_LIST, "must be comma-separated keys of 16–128 characters A-Z a-z 0-9 _ - . ~, each optionally name:KEY with a name of 1–32 a-z 0-9 _ - and @scope+scope of file, read, read_full").optional(),
  /**
   * What Open311 `GET requests` shows a caller without a read key: `none` (nothing: 403), `redacted` (only cases
   * whose resident agreed to publication, personal data redacted, the address cut to town and village), `full`
   * (every case as typed — only for a closed network).
   */
  OPEN311_PUBLIC_READ: z.enum(["none", "redacted", "full"]).default("redacted"),
  /** Letters before every case number (XF = 信访). */
  CASE_PREFIX: z.string().regex(CASE_PREFIX, "must be 1–6 capital letters A–Z").default("XF"),
  /** Locale for residents whose language is unknown. */
  DEFAULT_LOCALE: z.enum(["zh-CN", "en"]).default("zh-CN"),
  /** JSON file of holidays and make-up working days (default: config/holidays-cn.json). */
  HOLIDAYS_FILE: z.string().optional(),
  /** JSON file of units and the categories each handles (default: config/units.default.json). */
  UNITS_FILE: z.string().optional(),
  /** JSON file of towns and their villages, for reading places (default: config/places.default.json). */
  PLACES_FILE: z.string().optional(),
  /** Phone number residents can call to reach staff, shown when the bot hands over. */
  HOTLINE: z.string().max(40).default("12345"),
  /** Telegram bot token from @BotFather; the Telegram channel starts when it is set. */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456:ABC… (from @BotFather)").optional(),
  /** Bot API address (default Telegram's); tests use a local fake server. */
  TELEGRAM_API_ROOT: z.string().url("must be a URL such as http://127.0.0.1:8081").optional(),
  /** Public HTTPS address of this server's /telegram/webhook; set = webhook mode, unset = long polling. */
  TELEGRAM_WEBHOOK_URL: z.string().url("must be an https:// URL ending in /telegram/webhook").refine((u) => u.startsWith("https://"), "must be https://").optional(),
  /** Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (default: derived from the token). */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 of A-Z a-z 0-9 _ -").optional(),
  /** wechaty puppet package (e.g. wechaty-puppet-service, wechaty-puppet-wechat4u); set = the WeChat channel starts. Its token variable (WECHATY_PUPPET_SERVICE_TOKEN …) is read by wechaty. */
  WECHATY_PUPPET: z.string().regex(/^[@a-z0-9/_.-]+$/i, "must be a wechaty puppet package name").optional(),
  /** Accept WeChat friend requests automatically. */
  WECHAT_ACCEPT_FRIENDS: z.enum(["true", "false"]).default("false"),
  /** Classifier confidence below which the form offers the top 3 categories instead of one. */
  NLU_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
  /** Hours after the satisfaction poll without an answer before one reminder (1–720). */
  POLL_REMINDER_HOURS: z.coerce.number().int().min(1).max(720).default(48),
  /** Days after the poll was sent before the case closes as "no answer" (1–30; review stays open 30 days from the reply). */
  POLL_CLOSE_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  /**
   * Hours after a reply that promises no date before the poll is sent (0–480, default 24: the
   * resident has a day to see the result). A reply that promises a date ("本周内修复") waits until
   * the morning after it. FixMyStreet asks after four weeks; here the 30-day review window
   * (信访工作条例 Art. 35) must stay open after the poll closes, so the poll comes sooner.
   */
  POLL_DELAY_HOURS: z.coerce.number().int().min(0).max(480).default(24),
  /**
   * Cases one resident may file per local day, and one phone across all its identities (Telegram +
   * web count together); the next is answered kindly with their open cases. 0 = no limit. Issue #14.
   */
  DAILY_CASE_LIMIT: z.coerce.number().int().min(0).max(1000).default(5),
  /** Messages one resident may send per RATE_LIMIT_WINDOW_SECONDS (all channels; the next one gets a slow-down reply). */
  RATE_LIMIT_MESSAGES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Length of the rate-limit window in seconds. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** Seconds a notification being sent stays reserved; a worker that dies mid-send frees it after this. */
  /** Local hour (0–23) from which the daily digest goes to each unit; 24 sends none. */
  DIGEST_HOUR: z.coerce.number().int().min(0).max(24).default(8),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  /**
   * Years after closing before a case's free text and its resident's contact data are erased
   * (个人信息保护法 Art. 19/47; set from the bureau's 信访档案 retention rule); 0 = never. Daily run.
   */
  RETENTION_YEARS: z.coerce.number().int("must be a whole number of years").min(0).max(100).default(10),
});

/** The validated configuration. */
export type Config = z.infer<typeof Env>;

/** Thrown when an environment variable has a bad value; the message is one line naming it. */
export class ConfigError extends Error {
  readonly code = "CONFIG.INVALID";
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the configuration from `env` (default: process.env). Empty strings count as unset.
 * @throws ConfigError naming the first bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  return parsed.data;
}
