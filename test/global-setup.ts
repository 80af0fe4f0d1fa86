import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../src/db/database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated SQLite file; copy it, never write to it. */
    sqliteTemplate: string;
    /** URL of a migrated PostgreSQL database made for this run. */
    postgresUrl: string;
  }
}

/** Base URL of the machine's PostgreSQL (trust auth); override with TEST_POSTGRES_URL. */
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/**
 * Runs once before all tests: migrates a template SQLite file and creates + migrates a
 * throw-away PostgreSQL database (dropped afterwards). Fails loudly when PostgreSQL is down:
 * the repository must be tested on both.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "petition-bot-test-"));
  const template = join(dir, "template.db");
  await migrate(`file:${template}`);
  project.provide("sqliteTemplate", template);

  const name = `pb_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((err: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, "//")}: ${err.message}. Start it (see README) or set TEST_POSTGRES_URL.`);
  });
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  project.provide("postgresUrl", url.toString());

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
}
