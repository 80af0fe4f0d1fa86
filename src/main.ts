import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import cliProgress from "cli-progress";
import { CaseRepository, CaseService, CaseWorkflow, PrismaChannelStore, cadreGroupChats, casesByState, parseUnitsFile, type RoutedUnit } from "./cases/index.js";
import { CadreDesk, FollowUpDesk, PrismaSessionStore, frontDesk as makeFrontDesk, pipeline, triage, type Conversation, type Inbound } from "./chat/index.js";
import { classifyTriage } from "./triage/index.js";
import { PersonalDataStore } from "./cases/index.js";
import { dataRights } from "./chat/index.js";
import { ChannelHealth } from "./channels/health.js";
import { TelegramStartError, createTelegramChannel } from "./channels/telegram/telegraf.js";
import { createWechatChannel } from "./channels/wechat/wechaty.js";
import { runTerminalChat } from "./channels/terminal/terminal-chat.js";
import { casesList, casesShow, localTime, type CliIo } from "./cli/cases-command.js";
import { runBench } from "./cli/bench-command.js";
import { nluClassify, nluEval, nluTrain } from "./cli/nlu-command.js";
import { triageClassify, triageEval } from "./cli/triage-command.js";
import { holidaysImport, holidaysStatus } from "./cli/holidays-command.js";
import {
  cadresInvite, cadresList, cadresRevoke, casesSupervise, casesTransition, unitsImport, unitsList,
} from "./cli/workflow-command.js";
import { ledgerCommand } from "./cli/ledger-command.js";
import { residentsErase, residentsExport } from "./cli/residents-command.js";
import { printSimulation, simulate, type SimulationApp } from "./cli/simulate.js";
import { renderReplyText } from "./channels/render.js";
import { BullmqDispatcher, OutboxRunner, renderOutbox, runScheduler, takeInbox, takeWebInbox, type Deliverer, type OutboxRow, type SchedulerOptions } from "./notify/index.js";
import type { Reply } from "./chat/message.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { MigrationError, PROJECT_ROOT, migrate, openDatabase, prepareDatabase, providerOf, type Db } from "./db/database.js";
import { DialogEngine, formInProgress } from "./chat/resident/index.js";
import { WorkingDays, calendarLastYear, toLocalDate, zoneOffsetMinutes, type CalendarFile } from "./domain/index.js";
import { ApiKeyring } from "./http/api-keys.js";
import { createHttpServer } from "./http/server.js";
import { PrismaWebSessionStore, storedSessionSecret } from "./http/prisma-web-session-store.js";
import { WebSessions } from "./http/web-sessions.js";
import { Metrics, registerMetricsRoute } from "./http/metrics.js";
import { createOpsServer } from "./http/ops-server.js";
import { readiness, type ReadyReport } from "./http/ready.js";
import { InFlight } from "./chat/middleware/in-flight.js";
import { MemoryHitCounter, RedisHitCounter, failFastRedis, rateLimit } from "./chat/middleware/rate-limit.js";
import type { Redis } from "ioredis";
import { Texts, isLocale } from "./i18n.js";
import { createLogger, type Logger } from "./logger.js";
import { Nlu, parsePlacesFile, type PlaceList } from "./nlu/index.js";

/** Everything a running bot is made of. Built by {@link boot}; closed by `close()`. */
export interface App {
  config: Config;
  logger: Logger;
  db: Db;
  texts: Texts;
  nlu: Nlu;
  cases: CaseService;
  /** The resident's data rights: overview, export, erasure, retention (src/cases/personal-data.ts). */
  personalData: PersonalDataStore;
  workflow: CaseWorkflow;
  cadres: CadreDesk;
  /** What every channel talks to: cadres to the CadreDesk, residents to the intake form (behind the rate limit, metrics and the in-flight count). */
  desk: Conversation;
  /** The front desk itself, without the rate limit: for in-process tools (simulate) that act as many people at once. */
  frontDesk: Conversation;
  /** The in-flight count in front of `desk`; drained at shutdown. */
  inFlight: InFlight;
  /** Called when triage queued a danger alert: the delivery sends it now, not at its next poll. */
  alerted: Set<() => void>;
  metrics: Metrics;
  /** Fail-fast Redis connection (rate limit, readiness) in scale mode. */
  redis?: Redis;
  /** Checks the database, Redis and the channels' states (/readyz). */
  ready: () => Promise<ReadyReport>;
  /** The channels' states (polling, webhook, failing since …), for /readyz and the metrics. */
  health: ChannelHealth;
  engine: DialogEngine;
  /** Renders an outbox row into the message to send. */
  render: (row: OutboxRow) => Promise<Reply | null>;
  close(): Promise<void>;
}

/** Thrown for a bad data file (holidays, units); the message names the file and the problem. */
export class DataFileError extends Error {
  readonly code = "CONFIG.BAD_FILE";
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = "DataFileError";
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new DataFileError(file, err instanceof Error ? err.message : String(err));
  }
}

function loadCalendar(file: string): { calendar: WorkingDays; lastYear: number } {
  const data = readJson(file) as Partial<CalendarFile>;
  if (!Array.isArray(data.holidays) || !Array.isArray(data.workdays)) {
    throw new DataFileError(file, "needs \"holidays\" and \"workdays\" arrays of YYYY-MM-DD");
  }
  try {
    const lastYear = calendarLastYear(data as CalendarFile);
    return { calendar: new WorkingDays({ holidays: data.holidays, workdays: data.workdays, lastYear }), lastYear };
  } catch (err) {
    throw new DataFileError(file, (err as Error).message);
  }
}

/** Days ahead the holiday calendar must cover: deadlines (60-day replies, 30-day extensions) reach that far. */
const CALENDAR_HORIZON_DAYS = 90;

function loadPlaces(file: string): PlaceList {
  const parsed = parsePlacesFile(readJson(file));
  if (!parsed.ok) throw new DataFileError(file, parsed.error);
  return parsed.places;
}

function loadUnits(file: string): RoutedUnit[] {
  const parsed = parseUnitsFile(readJson(file));
  if (!parsed.ok) throw new DataFileError(file, parsed.error);
  return parsed.units;
}

/**
 * Builds the application from the configuration: applies migrations, opens the database,
 * loads units (only into an empty table — imported units are never overwritten), texts and
 * the classifier, and wires the dialog engine to the case service.
 */
export async function boot(config: Config, logger: Logger = createLogger(config.LOG_LEVEL), opts: { now?: () => Date } = {}): Promise<App> {
  await migrate(config.DATABASE_URL);
  const db = openDatabase(config.DATABASE_URL);
  try {
    await prepareDatabase(db, config.DATABASE_URL);
    const holidaysFile = config.HOLIDAYS_FILE ?? join(PROJECT_ROOT, "config", "holidays-cn.json");
    const { calendar, lastYear } = loadCalendar(holidaysFile);
    // A deadline in a year the calendar does not know counts weekends only: say so at every start.
    const horizon = toLocalDate(new Date((opts.now?.() ?? new Date()).getTime() + CALENDAR_HORIZON_DAYS * 86_400_000), config.TZ_NAME);
    if (Number(horizon.slice(0, 4)) > lastYear) {
      logger.warn({ file: holidaysFile, lastYear, horizon }, `holiday calendar ends with ${lastYear}: deadlines after that count weekends only, not public holidays or make-up working days (调休); import the ${lastYear + 1} notice with \`petition-bot holidays import <file>\` (holiday-cn JSON)`);
    }
    const repository = new CaseRepository(db);
    const cases = new CaseService({
      repository, calendar, timeZone: config.TZ_NAME, prefix: config.CASE_PREFIX,
      dailyCaseLimit: config.DAILY_CASE_LIMIT,
    });
    if ((await repository.units()).length === 0) {
      await cases.loadUnits(loadUnits(config.UNITS_FILE ?? join(PROJECT_ROOT, "config", "units.default.json")));
    }
    const texts = await Texts.load(join(PROJECT_ROOT, "locales"));
    const nlu = Nlu.load(NLU_PATHS.intentsDir, NLU_PATHS.modelPath);
    const sessions = new PrismaSessionStore(db);
    const health = new ChannelHealth();
    const metrics = new Metrics({ casesByState: () => casesByState(db), channels: () => health.snapshot() });
    const understand = nlu.understand.bind(nlu);
    nlu.understand = (raw) => metrics.time(() => understand(raw));
    const engine = new DialogEngine({
      texts, nlu, desk: cases, store: sessions, timeZone: config.TZ_NAME,
      defaultLocale: config.DEFAULT_LOCALE, threshold: config.NLU_THRESHOLD, hotline: config.HOTLINE, now: opts.now,
      places: loadPlaces(config.PLACES_FILE ?? join(PROJECT_ROOT, "config", "places.default.json")),
    });
    const workflow = new CaseWorkflow({ db, calendar, timeZone: config.TZ_NAME });
    const cadres = new CadreDesk({ db, workflow, texts, timeZone: config.TZ_NAME, now: opts.now });
    const followUp = new FollowUpDesk({ db, workflow, texts, calendar, timeZone: config.TZ_NAME, now: opts.now, sessions });
    // Triage before the form: danger to life is answered with the emergency number and alerts
    // the duty desk at once; `alerted` listeners (the delivery) send the alert without waiting.
    const alerted = new Set<() => void>();
    // The resident's language for replies written before the form (triage, rate limit).
    const localeOf = async (msg: Inbound) => (await engine.peek(msg.channel, msg.userId))?.locale;
    const inForm = async (msg: Inbound) => formInProgress(await engine.peek(msg.channel, msg.userId));
    const triageStep = triage({
      classify: classifyTriage, alerts: cases, texts, logger, localeOf, inForm, hotline: config.HOTLINE,
      onAlert: () => alerted.forEach((listener) => listener()),
    });
    // The resident's data rights (my data / erase) before triage, so "删除我的个人信息" is no complaint.
    const personalData = new PersonalDataStore(db);
    const rightsStep = dataRights({
      desk: personalData, texts, timeZone: config.TZ_NAME, localeOf, defaultLocale: config.DEFAULT_LOCALE,
      logger, now: opts.now,
    });
    const frontDesk = makeFrontDesk({ cadres, followUp, before: [rightsStep, triageStep], residents: engine });
    const redis = config.REDIS_URL ? failFastRedis(config.REDIS_URL) : undefined;
    const inFlight = new InFlight();
    // The one inbound path of every channel: in-flight count → metrics → per-resident rate limit → front desk.
    const limited = rateLimit({
      counter: redis ? new RedisHitCounter(redis) : new MemoryHitCounter(), texts, logger,
      limit: config.RATE_LIMIT_MESSAGES, windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
      localeOf,
      onLimited: (msg) => metrics.rateLimited.inc({ channel: msg.channel }),
    });
    const inbound = pipeline(inFlight.middleware, metrics.measure, limited, frontDesk);
    const ready = readiness({
      database: () => db.$queryRawUnsafe("SELECT 1"), redis: redis && (() => redis.ping()),
      channels: () => health.snapshot(),
    });
    const render = (row: OutboxRow) => renderOutbox(row, db, texts, config.TZ_NAME, opts.now?.());
    const close = async () => {
      redis?.disconnect();
      await db.$disconnect();
    };
    return {
      config, logger, db, texts, nlu, cases, personalData, workflow, cadres, desk: inbound, frontDesk, inFlight,
      alerted, metrics, redis, ready, health, engine, render, close,
    };
  } catch (err) {
    await db.$disconnect();
    throw err;
  }
}

/** `petition-bot simulate`: boots a fresh database with a movable clock and runs {@link simulate}. */
async function runSimulation(opts: { cases: string; days: string; seed: string; database?: string; json?: boolean }): Promise<void> {
  const cases = Number(opts.cases), days = Number(opts.days), seed = Number(opts.seed);
  if (!Number.isInteger(cases) || cases < 1 || cases > 20_000) throw new ConfigError("--cases", "must be an integer from 1 to 20000");
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new ConfigError("--days", "must be an integer from 1 to 365");
  if (!Number.isInteger(seed)) throw new ConfigError("--seed", "must be an integer");
  let url = opts.database;
  if (!url) {
    const file = join(PROJECT_ROOT, "data", "simulation.db");
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
    url = `file:${file}`;
  }
  const clock = { now: new Date("2026-11-02T00:00:00Z") };
  const app = await boot({ ...loadConfig(), DATABASE_URL: url, LOG_LEVEL: "warn" }, undefined, { now: () => clock.now });
  try {
    if ((await app.db.case.count()) > 0) throw new ConfigError("--database", "already holds cases; simulate into an empty database");
    const bar = opts.json || !process.stderr.isTTY ? null : new cliProgress.SingleBar({ format: "simulating |{bar}| day {value}/{total}", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
    const report = await simulate(
      simulationApp(app),
      { cases, days, seed, intentsDir: NLU_PATHS.intentsDir, clock, start: clock.now, onDay: (d, total) => (d === 0 ? bar?.start(total, 0) : bar?.update(d)) },
    );
    bar?.stop();
    if (opts.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      printSimulation(report, io.out);
      if (!opts.database) io.out(`The simulated cases are in data/simulation.db: DATABASE_URL=file:./data/simulation.db ADMIN_TOKEN=… npm start, then open /admin/dashboard\n`);
    }
    if (report.mismatches.length || report.tally.unanswered.length) io.exitCode(1);
  } finally {
    await app.close();
  }
}

/** What `simulate` needs of the app: the unlimited front desk (it acts as many people at once), the clocks, the renderer. */
export function simulationApp(app: App): SimulationApp {
  return { db: app.db, desk: app.frontDesk, cadres: app.cadres, workflow: app.workflow, scheduler: schedulerOptions(app), render: app.render, timeZone: app.config.TZ_NAME };
}

/** The scheduler's options from the app's configuration (the one place they are put together). */
export function schedulerOptions(app: App): SchedulerOptions {
  return {
    db: app.db, timeZone: app.config.TZ_NAME, digestHour: app.config.DIGEST_HOUR, workflow: app.workflow,
    poll: { reminderHours: app.config.POLL_REMINDER_HOURS, closeDays: app.config.POLL_CLOSE_DAYS, delayHours: app.config.POLL_DELAY_HOURS },
    retention: { years: app.config.RETENTION_YEARS },
  };
}

/** The shipped classifier: trained from intents/ at install into data/ (see `nlu train`). */
const NLU_PATHS = { intentsDir: join(PROJECT_ROOT, "intents"), modelPath: process.env.NLU_MODEL_FILE || join(PROJECT_ROOT, "data", "nlu-model.json") };

const io: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  exitCode: (n) => (process.exitCode = n),
};

/** Asks `question` on stderr and reads one line of stdin ("" when stdin ends first). */
function askLine(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    let answered = false;
    process.stderr.write(question);
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once("close", () => {
      if (!answered) resolve("");
    });
  });
}

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = await boot(loadConfig());
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** TRUST_PROXY as fastify's `trustProxy`: false, true, or the proxies' addresses. */
function trustProxy(config: Config): boolean | string {
  return config.TRUST_PROXY === "true" ? true : config.TRUST_PROXY === "false" ? false : config.TRUST_PROXY;
}

/** What a `serve` process does: `bot` answers chats (HTTP, webhooks), `worker` delivers notifications and runs the clocks, `all` both. */
export type Role = "bot" | "worker" | "all";

/**
 * Starts the bot and keeps running until SIGINT/SIGTERM. `--role all` (default) is the embedded
 * default; with REDIS_URL any number of `--role bot` processes (web chat, Telegram webhook,
 * dialog state in the database) and `--role worker` processes (BullMQ delivery; the clocks run
 * once a minute across all workers) can run side by side.
 */
async function serve(opts: { port?: string; host?: string; role?: string }): Promise<void> {
  const role = (opts.role ?? "all") as Role;
  if (!["bot", "worker", "all"].includes(role)) throw new ConfigError("--role", "must be bot, worker or all");
  const config = loadConfig({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}), ...(opts.host ? { HOST: opts.host } : {}) });
  if (role !== "all" && !config.REDIS_URL) throw new ConfigError("REDIS_URL", `must be set for --role ${role} (bot and worker processes share the queue in Redis)`);
  const app = await boot(config);
  const inbound = role !== "worker";
  const telegram = config.TELEGRAM_BOT_TOKEN
    ? createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, engine: app.desk, texts: app.texts,
        store: new PrismaChannelStore(app.db), logger: app.logger, cadreGroups: () => cadreGroupChats(app.db, "telegram"),
        health: app.health,
        sender: {
          onFailure: (_chat, _method, err) => app.metrics.sendFailures.inc({ channel: "telegram", code: err.code }),
        },
      })
    : undefined;
  // WeChat is one logged-in session: it runs in one bot (or all) process, which also sends its notifications.
  const wechat = inbound && config.WECHATY_PUPPET
    ? createWechatChannel({
        engine: app.desk, texts: app.texts, store: new PrismaChannelStore(app.db), logger: app.logger, printQr: true,
        acceptFriends: config.WECHAT_ACCEPT_FRIENDS === "true", cadreRooms: () => cadreGroupChats(app.db, "wechat"),
      })
    : undefined;
  const webhookSecret = config.TELEGRAM_WEBHOOK_SECRET ?? (config.TELEGRAM_BOT_TOKEN ? createHash("sha256").update(config.TELEGRAM_BOT_TOKEN).digest("hex").slice(0, 48) : "");
  const webSessions = new WebSessions({ store: new PrismaWebSessionStore(app.db), days: config.WEB_SESSION_DAYS });
  const http = inbound
    ? createHttpServer({
        engine: app.desk, texts: app.texts, logger: app.logger, ready: app.ready,
        inbox: (sessionId) => takeWebInbox(app.db, sessionId, app.render),
        sessions: webSessions, trustProxy: trustProxy(config),
        sessionSecret: config.SESSION_SECRET ?? (await storedSessionSecret(app.db)),
        telegram: telegram && config.TELEGRAM_WEBHOOK_URL ? { secret: webhookSecret, handle: (u) => telegram.handleUpdate(u as never) } : undefined,
        adminToken: config.ADMIN_TOKEN, wechatStatus: wechat ? () => wechat.status() : undefined,
        open311: { cases: app.cases, texts: app.texts, keys: ApiKeyring.parse(config.OPEN311_API_KEYS), publicRead: config.OPEN311_PUBLIC_READ, timeZone: config.TZ_NAME, defaultLocale: config.DEFAULT_LOCALE, contact: config.HOTLINE, logger: app.logger },
        adminApi: { db: app.db, cases: app.cases, workflow: app.workflow, cadres: app.cadres, timeZone: config.TZ_NAME },
      })
    : createOpsServer({ ready: app.ready, logger: app.logger });
  registerMetricsRoute(http, app.metrics, config.ADMIN_TOKEN);
  await http.listen({ port: config.PORT, host: config.HOST });
  if (telegram && inbound) {
    if (config.TELEGRAM_WEBHOOK_URL) {
      await telegram.setWebhook(config.TELEGRAM_WEBHOOK_URL, webhookSecret);
      process.stdout.write(`petition-bot: Telegram webhook at ${config.TELEGRAM_WEBHOOK_URL}\n`);
    } else {
      await telegram.startPolling();
      process.stdout.write("petition-bot: Telegram long polling started\n");
    }
  }
  if (wechat) {
    await wechat.start();
    process.stdout.write(`petition-bot: WeChat (${config.WECHATY_PUPPET}) started; scan the QR code above${config.ADMIN_TOKEN ? " or open /admin/wechat" : ""} to log in\n`);
  }
  // Notifications (status pushes to residents, new cases to cadres) go out from the outbox.
  const deliverers = new Map<string, Deliverer>();
  if (telegram && role !== "bot") deliverers.set("telegram", app.metrics.deliverer("telegram", async (chatId, reply, audience) => (await telegram.sender.sendReplies(chatId, [reply], { group: audience === "group" }))[0] ?? "failed"));
  if (wechat) deliverers.set("wechat", app.metrics.deliverer("wechat", async (chatId, reply) => (await wechat.sendTo(chatId, renderReplyText(reply)), "sent")));
  const clock = (now: Date) =>
    runScheduler(schedulerOptions(app), now).then((r) => {
      if (r.escalations.length || r.reminders.length || r.digests.length || r.polls.sent.length || r.polls.closed.length) {
        app.logger.info({ reminders: r.reminders.length, escalations: r.escalations.length, digests: r.digests.length, polls: r.polls.sent.length, pollReminders: r.polls.reminded.length, closedNoAnswer: r.polls.closed.length }, "scheduler ran");
      }
      if (r.erasures.length) {
        const cases = r.erasures.reduce((n, e) => n + e.anonymised, 0);
        app.logger.info({ residents: r.erasures.length, cases }, "erasures completed");
      }
      // One line per retention run: counts and the cutoff, no personal data.
      if (r.retention) {
        const { anonymised, cutoff, idNumbersMasked } = r.retention;
        app.logger.info({ anonymised, cutoff, idNumbersMasked }, "retention run");
      }
    });
  // Scale mode: BullMQ on Redis in worker (and all) processes — the clocks run once a minute
  // across all workers; a bot process with WeChat sends WeChat's rows itself. Embedded default:
  // an in-process runner and a one-minute timer — the same delivery and clock code.
  const leaseMs = config.OUTBOX_LEASE_SECONDS * 1000;
  const delivery = config.REDIS_URL && role !== "bot"
    ? new BullmqDispatcher({ db: app.db, deliverers, render: app.render, logger: app.logger, redisUrl: config.REDIS_URL, onClock: clock, leaseMs })
    : role === "all" || wechat
      ? new OutboxRunner({ db: app.db, deliverers, render: app.render, logger: app.logger, leaseMs })
      : undefined;
  if (delivery instanceof BullmqDispatcher) app.metrics.queueDepth = () => delivery.depth();
  await delivery?.start();
  if (delivery) {
    app.alerted.add(delivery instanceof BullmqDispatcher
      ? () => void delivery.relayOnce().catch((err) => app.logger.error({ err }, "alert relay failed"))
      : () => delivery.nudge());
  }
  const schedule = config.REDIS_URL ? undefined : setInterval(() => void clock(new Date()).catch((err) => app.logger.error({ err }, "scheduler run failed")), 60_000);
  const address = http.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const shown = config.HOST === "0.0.0.0" || config.HOST === "127.0.0.1" ? "localhost" : config.HOST;
  app.logger.info({ port, role, database: providerOf(config.DATABASE_URL) }, "petition-bot serving");
  if (inbound) process.stdout.write(`petition-bot: web chat on http://${shown}:${port}/ (database: ${providerOf(config.DATABASE_URL)}, role ${role})\n`);
  else process.stdout.write(`petition-bot: worker on http://${shown}:${port}/readyz (database: ${providerOf(config.DATABASE_URL)}, queue: Redis)\n`);
  // A stray rejection in a chat SDK's event handler must not take the bot down: log it.
  process.on("unhandledRejection", (err) => app.logger.error({ err }, "unhandled rejection"));
  const deliveries = new PrismaChannelStore(app.db);
  const prune = setInterval(() => {
    void deliveries.pruneDeliveries(new Date(Date.now() - 14 * 86_400_000)).catch(() => undefined);
    if (inbound) void webSessions.prune().catch((err) => app.logger.warn({ err }, "web session prune failed"));
  }, 3_600_000);
  prune.unref();
  // Graceful shutdown: stop taking input, finish the messages in flight (their answers are
  // sent and their state stored), let running deliveries finish, then close.
  const stop = async (signal: string) => {
    app.logger.info({ signal, inFlight: app.inFlight.size }, "shutting down");
    if (schedule) clearInterval(schedule);
    await telegram?.stop();
    await wechat?.stop().catch(() => undefined);
    // Stop accepting and finish the requests in flight; a keep-alive connection that falls idle
    // once its request is answered is closed at once (else close() waits out keepAliveTimeout, 72 s).
    const idle = setInterval(() => http.server.closeIdleConnections(), 100);
    await http.close();
    clearInterval(idle);
    if (!(await app.inFlight.drain(15_000))) app.logger.warn({ inFlight: app.inFlight.size }, "shutdown: messages still in flight after 15 s");
    await delivery?.stop();
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

/**
 * Reads an instant for `--now`: ISO with Z or an offset as given; without one (2026-12-03T09:00,
 * 2026-12-03) as local time in `timeZone`. Returns null when it is not a date-time.
 */
export function parseInstant(text: string, timeZone: string): Date | null {
  const t = text.trim();
  if (/(Z|[+-]\d\d:?\d\d)$/i.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (!m) return null;
  const [y, mo, d, h = "0", mi = "0", se = "0"] = m.slice(1) as string[];
  const naive = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +se);
  const check = new Date(naive);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h > 23 || +mi > 59) return null;
  return new Date(naive - zoneOffsetMinutes(new Date(naive), timeZone) * 60_000);
}

/** The `petition-bot` command line. */
export function program(): Command {
  const cmd = new Command("petition-bot").description("Petition intake chatbot (信访): files complaints as cases and answers every resident.").showHelpAfterError();
  cmd.command("serve").description("run the bot: web chat on http://localhost:3000 (default)").option("--role <role>", "bot | worker | all (default all; bot and worker need REDIS_URL)", "all").option("--port <port>", "HTTP port (default: PORT or 3000)").option("--host <host>", "interface (default: HOST or 127.0.0.1)").action(serve);
  cmd.command("migrate").description("apply database migrations and exit").action(async () => {
    const config = loadConfig();
    await migrate(config.DATABASE_URL);
    io.out(`migrations applied (${providerOf(config.DATABASE_URL)})\n`);
  });
  cmd.command("chat").description("talk to the bot in this terminal").option("--user <id>", "resident id on the terminal channel", "local").option("--locale <locale>", "zh-CN or en").option("--json", "one JSON object per bot reply on stdout; one message per stdin line")
    .action(async (opts: { user: string; locale?: string; json?: boolean }) => {
      if (opts.locale && !isLocale(opts.locale)) throw new ConfigError("--locale", "must be zh-CN or en");
      await withApp((app) => runTerminalChat({
        engine: app.desk, input: process.stdin, output: process.stdout, userId: opts.user, locale: opts.locale as never, json: opts.json,
        t: app.texts.t((opts.locale as never) ?? app.config.DEFAULT_LOCALE),
        onError: (err) => app.logger.error({ err, channel: "terminal" }, "chat turn failed"),
        inbox: () => takeInbox(app.db, "terminal", opts.user, app.render),
      }));
    });
  const cases = cmd.command("cases").description("look up cases");
  cases.command("list").description("newest cases first").option("--json").option("--state <state>").option("--unit <id>").option("--category <id>").option("--limit <n>", "1–1000", "100")
    .action((opts) => withApp((app) => casesList(app.cases, opts, io, app.config.TZ_NAME)));
  cases.command("show <caseNo>").description("one case with its clocks and history").option("--json").option("--reveal-phone", "print the full phone number")
    .action((caseNo: string, opts) => withApp((app) => casesShow(app.cases, caseNo, opts, io, app.config.TZ_NAME)));
  cases.command("transition <caseNo> <action>").description("move a case as an operator: assign|accept|object|decline|report_progress|extend|reply|close")
    .option("--note <text>", "reason, progress or handling opinion").option("--actor <id>", "who acts (operator id; or a cadre id to act as that cadre)", "operator").option("--days <n>", "extension days (1–30)").option("--unit <id>", "target unit of assign").option("--json")
    .action((caseNo: string, action: string, opts) => withApp((app) => casesTransition(app, caseNo, action, opts, io)));
  for (const listed of [true, false]) {
    cases.command(`${listed ? "supervise" : "unsupervise"} <caseNo>`).description(listed ? "list a case for supervision (挂牌督办)" : "take a case off the supervision list")
      .option("--note <text>", "the reason").option("--actor <id>", "operator id, or a cadre id (leader/supervisor) to act as", "operator").option("--json")
      .action((caseNo: string, opts) => withApp((app) => casesSupervise(app, caseNo, listed, opts, io)));
  }
  cmd.command("ledger").description("the ledger (三知一账): received, on time, participation, satisfaction, first-time resolution, open, overdue")
    .option("--from <date>", "first day, YYYY-MM-DD (default: 1 January of this year)").option("--to <date>", "last day, YYYY-MM-DD (default: today)")
    .option("--by <group>", "town | village | unit | category").option("--json", "the figures as JSON (rates 0–1)").option("--csv", "the table as CSV (UTF-8 with BOM, rates in %)")
    .action((opts) => withApp((app) => ledgerCommand(app.db, opts, io, app.config.TZ_NAME)));
  cmd.command("simulate").description("a simulated month: residents file, cadres act (some late), polls answered; prints the ledger beside an independent count")
    .option("--cases <n>", "cases filed (1–20000)", "500").option("--days <n>", "days of filing (1–365)", "30").option("--seed <n>", "random seed", "1")
    .option("--database <url>", "where to simulate (default: a fresh file:./data/simulation.db; never your own database)").option("--json")
    .action((opts: { cases: string; days: string; seed: string; database?: string; json?: boolean }) => runSimulation(opts));
  const residents = cmd.command("residents").description("residents' data rights (个人信息保护法 Arts. 45/47): export, erase");
  residents.command("export [residentId]")
    .description("print as JSON everything stored about a resident: identities, cases with events, dialog state")
    .option("--phone <phone>", "find the resident by phone number")
    .option("--case <caseNo>", "find the resident by one of their case numbers")
    .action((residentId: string | undefined, opts) =>
      withApp((app) => residentsExport(app.personalData, residentId, opts, io)));
  residents.command("erase <residentId>")
    .description("erase a resident's personal data (closed cases now, open ones when they close)")
    .option("--yes", "do not ask for confirmation").option("--json", "print what was erased as JSON")
    .action((residentId: string, opts) =>
      withApp((app) => residentsErase(app.personalData, residentId, opts, io, askLine)));
  const units = cmd.command("units").description("responsible units and routing");
  units.command("import <file>").description("load units from YAML or JSON (units, categories, towns/villages, chat targets)").option("--json")
    .action((file: string, opts) => withApp((app) => unitsImport(app.db, file, opts, io)));
  units.command("list").description("units and the categories each handles").option("--json").action((opts) => withApp((app) => unitsList(app.db, opts, io)));
  const cadresCmd = cmd.command("cadres").description("cadres of the units");
  cadresCmd.command("invite").description("print a one-time code a cadre sends as /bind CODE").requiredOption("--unit <id>").option("--role <role>", "handler | leader | supervisor", "handler").option("--name <name>").option("--ttl-hours <n>", "hours the code stays valid", "72").option("--json")
    .action((opts) => withApp((app) => cadresInvite(app.cadres, opts, io, app.config.TZ_NAME)));
  cadresCmd.command("list").description("cadre accounts: unit, role, name, channel, bound or not (masked id), created")
    .option("--json")
    .action((opts) => withApp((app) => cadresList(app.db, opts, io, app.config.TZ_NAME)));
  cadresCmd.command("revoke <id>")
    .description("unbind a cadre: chat becomes a resident's, waiting notices dropped, open cases stay with the unit")
    .option("--actor <id>", "who revokes (operator id, for the audit row)", "operator").option("--json")
    .action((id: string, opts) => withApp((app) => cadresRevoke(app.db, id, opts, io)));
  const scheduler = cmd.command("scheduler").description("the clocks: reminders, escalation, digests");
  scheduler.command("run-once").description("run everything due at --now (default: now) and print what was done").option("--now <iso>", "the instant, e.g. 2026-12-03T09:00:00+08:00").option("--json")
    .action((opts: { now?: string; json?: boolean }) => withApp(async (app) => {
      const now = opts.now ? parseInstant(opts.now, app.config.TZ_NAME) : new Date();
      if (!now) {
        io.err(`--now: "${opts.now}" is not a date-time; use e.g. 2026-12-03T09:00 (in ${app.config.TZ_NAME}) or 2026-12-03T09:00:00+08:00\n`);
        return io.exitCode(1);
      }
      const report = await runScheduler(schedulerOptions(app), now);
      if (opts.json) return io.out(`${JSON.stringify(report, null, 2)}\n`);
      io.out(`${localTime(report.now, app.config.TZ_NAME)} (${app.config.TZ_NAME}): ${report.reminders.length} reminders, ${report.escalations.length} escalations, ${report.digests.length} digests, ${report.polls.sent.length} polls, ${report.polls.reminded.length} poll reminders queued; ${report.polls.closed.length} cases closed without an answer\n`);
      for (const e of report.escalations) io.out(`  escalated ${e.caseNo} (${e.clock} deadline ${localTime(e.dueAt, app.config.TZ_NAME)}) to ${e.recipients} recipients\n`);
      if (report.escalations.some((e) => e.recipients === 0)) io.err("warning: some escalations reached nobody — bind a leader of the unit or a supervisor (petition-bot cadres invite --role leader|supervisor); the cases are on the supervision list\n");
    }));
  cmd.command("bench").description("complete conversations through the real pipeline on SQLite and on PostgreSQL + Redis, against the storage's own limit")
    .option("--residents <n>", "residents talking at the same time", "50").option("--conversations <n>", "conversations (cases) per mode", "600")
    .option("--rate <n>", "messages/s of the paced latency run", "200").option("--seconds <n>", "seconds of the paced run", "10")
    .option("--mode <mode>", "sqlite | postgresql | both", "both").option("--json")
    .action(async (opts: { residents: string; conversations: string; rate: string; seconds: string; mode: string; json?: boolean }) => {
      const n = (v: string, name: string) => {
        const x = Number(v);
        if (!Number.isInteger(x) || x < 1) throw new ConfigError(`--${name}`, "must be a positive whole number");
        return x;
      };
      if (!["sqlite", "postgresql", "both"].includes(opts.mode)) throw new ConfigError("--mode", "must be sqlite, postgresql or both");
      const env = process.env;
      const postgresUrl = env.BENCH_POSTGRES_URL || (env.DATABASE_URL && providerOf(env.DATABASE_URL) === "postgresql" ? env.DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/test");
      await runBench({
        residents: n(opts.residents, "residents"), conversations: n(opts.conversations, "conversations"), rate: n(opts.rate, "rate"), seconds: n(opts.seconds, "seconds"),
        modes: opts.mode === "both" ? ["sqlite", "postgresql"] : [opts.mode as "sqlite" | "postgresql"], postgresUrl, redisUrl: env.BENCH_REDIS_URL || env.REDIS_URL || "redis://127.0.0.1:6379",
      }, (config) => boot(config), io, opts.json === true);
    });
  const holidays = cmd.command("holidays").description("the holiday calendar (State Council notices) that working-day deadlines use");
  const calendarFile = () => loadConfig().HOLIDAYS_FILE ?? join(PROJECT_ROOT, "config", "holidays-cn.json");
  holidays.command("import <file>").description("add or replace one year from its notice in holiday-cn JSON ({year, papers, days})")
    .option("--dry-run", "validate and report only").option("--json")
    .action((file: string, opts) => holidaysImport(file, opts, io, calendarFile()));
  holidays.command("status").description("the years covered and from when deadlines are provisional").option("--json")
    .action((opts) => holidaysStatus(opts, io, calendarFile()));
  const triageCmd = cmd.command("triage").description("the rules that read danger, threats and other matters before the form");
  triageCmd.command("eval").description("score the rules on a labelled table").option("--file <file>", "JSON Lines {text,kind,call?} (default: test/triage/triage-table.jsonl)").option("--json", "print the report as JSON")
    .action((opts) => triageEval(opts, io, join(PROJECT_ROOT, "test", "triage", "triage-table.jsonl")));
  triageCmd.command("classify <text>").description("what triage reads in one message").option("--json")
    .action((text: string, opts) => triageClassify(text, opts, io));
  const nlu = cmd.command("nlu").description("the classifier");
  nlu.command("train").description("train from intents/ and write the model file (data/nlu-model.json)").option("--quiet", "print nothing").action((opts: { quiet?: boolean }) => nluTrain(NLU_PATHS, io, opts));
  nlu.command("eval").description("score a model: the shipped one, or a fresh one trained on --train").option("--train <file>", "JSON Lines {text,label} to train a fresh model on").option("--test <file>", "JSON Lines {text,label} to score (default: intents/eval)").option("--json", "print the report as JSON")
    .action((opts) => nluEval(NLU_PATHS, opts, io));
  nlu.command("classify <text>").description("classify one message").option("--json").action((text: string, opts) => nluClassify(Nlu.load(NLU_PATHS.intentsDir, NLU_PATHS.modelPath), text, opts, io));
  return cmd;
}

/** Runs the CLI; expected failures print one clear line and exit 1. */
export async function main(argv: string[]): Promise<void> {
  // `petition-bot ledger | head`: the reader went away; stop quietly instead of a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof MigrationError || err instanceof DataFileError || err instanceof TelegramStartError) {
      process.stderr.write(`petition-bot: ${err.message}\n`);
      process.exit(1);
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`petition-bot: ${message.split("\n").find((l) => l.trim()) ?? message}\n`);
    process.exit(1);
  }
}
