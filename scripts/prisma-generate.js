#!/usr/bin/env node
// Generates the Prisma client for each provider (src/generated/<provider>), run by
// `npm install`. No engine download: the schemas use engineType = "client".
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
