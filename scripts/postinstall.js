#!/usr/bin/env node
// Run by `npm install`: generates the Prisma client for each provider (src/generated/<provider>;
// no engine download: the schemas use engineType = "client"), then trains the classifier from
// intents/ into data/nlu-model.json so that start-up only loads it.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prisma = join(root, "node_modules", ".bin", "prisma");
for (const provider of ["sqlite", "postgresql"]) {
  const placeholder = provider === "sqlite" ? "file:./data/placeholder.db" : "postgresql://localhost/placeholder";
  const r = spawnSync(prisma, ["generate", "--schema", `prisma/${provider}/schema.prisma`], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DATABASE_URL: placeholder, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  if (r.status !== 0) {
    console.error(`prisma generate failed for ${provider} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

const train = spawnSync(process.execPath, [join(root, "bin", "petition-bot.js"), "nlu", "train"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
if (train.status !== 0) {
  console.error(`petition-bot nlu train failed (exit ${train.status})`);
  process.exit(train.status ?? 1);
}
