import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";

describe("Prisma schemas", () => {
  it("should be generated from prisma/models.prisma for both providers", () => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts", "prisma-schemas.js"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("should have the same migrations for SQLite and PostgreSQL", () => {
    const names = (p: string) => readdirSync(join(PROJECT_ROOT, "prisma", p, "migrations")).filter((n) => !n.endsWith(".toml")).sort();
    expect(names("sqlite")).toEqual(names("postgresql"));
    expect(names("sqlite").length).toBeGreaterThan(0);
  });
});
