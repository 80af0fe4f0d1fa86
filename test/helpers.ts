import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { CaseRepository, CaseService } from "../src/cases/index.js";
import { PrismaSessionStore } from "../src/chat/index.js";
import pg from "pg";
import { PROJECT_ROOT, migrate, openDatabase, type Db } from "../src/db/database.js";
import { DialogEngine, MemorySessionStore, type SessionStore } from "../src/chat/resident/index.js";
import { type Inbound, type Reply } from "../src/chat/message.js";
import { WorkingDays } from "../src/domain/index.js";
import { Texts } from "../src/i18n.js";
import { Nlu } from "../src/nlu/index.js";
import holidays from "../config/holidays-cn.json" with { type: "json" };
import units from "../config/units.default.json" with { type: "json" };

/** The real holiday calendar shipped in config/. */
export const calendar = new WorkingDays(holidays);

let texts: Promise<Texts> | undefined;
/** The real locales, loaded once per test file. */
export function loadTexts(): Promise<Texts> {
  return (texts ??= Texts.load(join(PROJECT_ROOT, "locales")));
}

let nlu: Nlu | undefined;
/** The classifier trained on intents/, once per test file. */
export function trainedNlu(): Nlu {
  return (nlu ??= Nlu.load(join(PROJECT_ROOT, "intents")));
}

/** A fresh migrated SQLite database URL (a copy of the run's template). */
export function freshSqliteUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), "pb-"));
  const file = join(dir, "test.db");
  copyFileSync(inject("sqliteTemplate"), file);
  return `file:${file}`;
}

/**
 * A fresh, migrated PostgreSQL database of its own (for tests whose scheduler or counts must not
 * see other files' cases). Returns its URL and a drop function.
 */
export async function freshPostgresUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(inject("postgresUrl"));
  const name = `pb_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Everything a test needs to talk to the bot on a real database. */
export interface Harness {
  url: string;
  db: Db;
  cases: CaseService;
  repository: CaseRepository;
  engine: DialogEngine;
  store: SessionStore;
  /** Sends one message as `userId` on channel `test` and returns the replies. */
  say(text: string, userId?: string, extra?: Partial<Inbound>): Promise<Reply[]>;
  close(): Promise<void>;
}

/** Builds the real stack (case service, dialog engine) on SQLite or PostgreSQL. */
export async function harness(opts: { provider?: "sqlite" | "postgresql"; url?: string; now?: () => Date; memoryStore?: boolean } = {}): Promise<Harness> {
  const url = opts.url ?? (opts.provider === "postgresql" ? inject("postgresUrl") : freshSqliteUrl());
  const db = openDatabase(url);
  const repository = new CaseRepository(db);
  const cases = new CaseService({ repository, calendar, timeZone: "Asia/Shanghai", prefix: "XF" });
  if ((await repository.units()).length === 0) {
    await cases.loadUnits(units.units.map((u) => ({ id: u.id, name: u.name, nameEn: u.nameEn, categories: u.categories, isDutyDesk: u.isDutyDesk === true })));
  }
  const store = opts.memoryStore ? new MemorySessionStore() : new PrismaSessionStore(db);
  const engine = new DialogEngine({ texts: await loadTexts(), nlu: trainedNlu(), store, desk: cases, now: opts.now });
  return {
    url, db, cases, repository, engine, store,
    say: (text, userId = "u1", extra = {}) => engine.handle({ channel: "test", userId, text, ...extra }),
    close: () => db.$disconnect(),
  };
}

/** The last reply of a turn (throws when there is none). */
export function last(replies: Reply[]): Reply {
  const r = replies[replies.length - 1];
  if (!r) throw new Error("the bot sent no reply");
  return r;
}

/** The answers {@link fileComplaint} gives, by the slot the form asks for. */
export const FORM_ANSWERS: Readonly<Record<string, string>> = {
  category: "对", location: "青山镇石桥村", occurredAt: "跳过", demands: "尽快处理", name: "王先生", phone: "13800001234",
};

/**
 * Files `text` as a resident would, answering whatever the form asks (the first message may already
 * give the place or the time) with `answers`, then confirms; answers "a new problem" if asked whether
 * it is an earlier one. Returns the case number (undefined when none was filed).
 */
export async function fileComplaint(
  say: (text: string) => Promise<Reply[]>,
  press: (buttonId: string) => Promise<Reply[]>,
  text: string,
  answers: Readonly<Record<string, string>> = FORM_ANSWERS,
): Promise<string | undefined> {
  let step = last(await say(text)).expects;
  for (let i = 0; i < 8 && step && answers[step]; i++) step = last(await say(answers[step]!)).expects;
  const r = last(await say("确认"));
  return (r.buttons.some((b) => b.id === "same:no") ? last(await press("same:no")) : r).caseNo ?? undefined;
}
