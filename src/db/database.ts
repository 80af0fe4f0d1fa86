import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { serializedSqlite } from "./serialized-sqlite.js";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client.js";

/** The project root (where package.json and prisma/ are). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The Prisma client type used across src/cases. Both generated clients (SQLite and
 * PostgreSQL) come from one model file, so their APIs are the same; the PostgreSQL one is
 * typed as this.
 */
export type Db = SqliteClient;

/** Which database a URL points at. */
export type Provider = "sqlite" | "postgresql";

/** `postgresql` for postgres:// and postgresql:// URLs, else `sqlite`. */
export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** Absolute file path of a `file:` SQLite URL, relative paths taken from `cwd`. */
export function sqliteFile(url: string, cwd = process.cwd()): string {
  const p = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return isAbsolute(p) ? p : resolve(cwd, p);
}

/**
 * Opens a Prisma client for `url` with the matching driver adapter (better-sqlite3 or pg).
 * Creates the SQLite file's folder when missing. Call `$disconnect()` when done.
 */
export function openDatabase(url: string): Db {
  if (providerOf(url) === "postgresql") {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  const file = sqliteFile(url);
  mkdirSync(dirname(file), { recursive: true });
  return new SqliteClient({ adapter: serializedSqlite(new PrismaBetterSQLite3({ url: file })) as never });
}

/** Thrown when `prisma migrate deploy` fails; the message carries Prisma's own first error. */
export class MigrationError extends Error {
  readonly code = "DB.MIGRATION_FAILED";
  constructor(readonly detail: string) {
    super(`Database migration failed: ${detail}`);
    this.name = "MigrationError";
  }
}

/**
 * Applies the committed migrations of the URL's provider (`prisma migrate deploy` with the
 * JS engine; see prisma.config.ts). Idempotent: when every committed migration is already applied it returns at once without starting Prisma. Use at start and in test setup.
 * @throws MigrationError with Prisma's error text.
 */
/** Names of the committed migrations of `provider` (folder names under prisma/<provider>/migrations). */
function committedMigrations(provider: Provider): string[] {
  const dir = join(PROJECT_ROOT, "prisma", provider, "migrations");
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** True when every committed migration is already applied (then `migrate` has nothing to do). */
async function upToDate(url: string): Promise<boolean> {
  const want = committedMigrations(providerOf(url));
  const sql = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  try {
    let applied: string[];
    if (providerOf(url) === "postgresql") {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        applied = (await client.query<{ migration_name: string }>(sql)).rows.map((r) => r.migration_name);
      } finally {
        await client.end();
      }
    } else {
      const file = sqliteFile(url);
      if (!existsSync(file)) return false;
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        applied = (db.prepare(sql).all() as Array<{ migration_name: string }>).map((r) => r.migration_name);
      } finally {
        db.close();
      }
    }
    const have = new Set(applied);
    return want.every((m) => have.has(m));
  } catch {
    return false; // no table yet, or cannot tell: let Prisma decide
  }
}

export async function migrate(url: string): Promise<void> {
  if (providerOf(url) === "sqlite") {
    const dir = dirname(sqliteFile(url));
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new MigrationError(`DATABASE_URL: cannot create or write the SQLite folder ${dir} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (await upToDate(url)) return;
  const bin = join(PROJECT_ROOT, "node_modules", ".bin", "prisma");
  const env = { ...process.env, DATABASE_URL: providerOf(url) === "sqlite" ? `file:${sqliteFile(url)}` : url, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  const out = await new Promise<{ code: number | null; text: string }>((done, fail) => {
    const child = spawn(bin, ["migrate", "deploy"], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, text }));
  });
  if (out.code !== 0) {
    const line = out.text.split("\n").map((l) => l.trim()).find((l) => /error/i.test(l)) ?? out.text.trim().split("\n").pop() ?? "";
    throw new MigrationError(line.replace(/postgres(ql)?:\/\/[^\s]+/g, "postgresql://…"));
  }
}

/**
 * Per-connection settings after opening: on SQLite, write-ahead logging so a `cases list` in
 * another process does not block the running bot (and vice versa). No-op on PostgreSQL.
 */
export async function prepareDatabase(db: Db, url: string): Promise<void> {
  if (providerOf(url) !== "sqlite") return;
  await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
}
