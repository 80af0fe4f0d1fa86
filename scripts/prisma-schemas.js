#!/usr/bin/env node
// Writes prisma/<provider>/schema.prisma for each supported provider from the one
// source of truth, prisma/models.prisma. Run after editing the models, then add a
// migration for each provider (see README "Changing the schema").
// `--check` exits 1 when a written schema is out of date (used by the tests).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");

export const PROVIDERS = ["sqlite", "postgresql"];

export function schemaFor(provider) {
  return `// GENERATED from prisma/models.prisma by scripts/prisma-schemas.js — do not edit.
generator client {
  provider     = "prisma-client"
  output       = "../../src/generated/${provider}"
  engineType   = "client"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}

${models}`;
}

const check = process.argv.includes("--check");
let stale = false;
for (const provider of PROVIDERS) {
  const file = join(root, "prisma", provider, "schema.prisma");
  const text = schemaFor(provider);
  if (check) {
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
      console.error(`${file} is out of date: run npm run prisma:schemas`);
      stale = true;
    }
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
process.exit(stale ? 1 : 0);
