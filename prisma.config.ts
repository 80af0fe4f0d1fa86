// Prisma CLI configuration (migrate deploy / status / diff). The provider follows
// DATABASE_URL: a postgres:// or postgresql:// URL selects PostgreSQL, anything else
// (default: file:./data/petition-bot.db) selects SQLite. The runtime client is made in
// src/db/prisma.ts; this file is used by the CLI only.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const url = process.env.DATABASE_URL || "file:./data/petition-bot.db";
const isPostgres = /^postgres(ql)?:\/\//i.test(url);
const provider = isPostgres ? "postgresql" : "sqlite";

/**
 * A pg.Pool whose results report catalog columns of type `name` (oid 19) and `char`
 * (oid 18) as text (oid 25). Works around prisma/orm#27403: @prisma/adapter-pg 6.19
 * cannot deserialize them, which breaks `migrate deploy` on PostgreSQL.
 */
class CatalogSafePool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const patch = (res: any) => {
      for (const f of res?.fields ?? []) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
      return res;
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const out = (super.query as any)(...args);
    return out && typeof out.then === "function" ? out.then(patch) : out;
  }
}

function sqlitePath(u: string): string {
  const p = u.replace(/^file:/, "");
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  async adapter() {
    // allowExitOnIdle: the CLI exits as soon as it is done instead of waiting for idle connections.
    if (isPostgres) return new PrismaPg(new CatalogSafePool({ connectionString: url, allowExitOnIdle: true, idleTimeoutMillis: 200 }));
    return new PrismaBetterSQLite3({ url: sqlitePath(url) });
  },
});
