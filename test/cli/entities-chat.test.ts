import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { freshSqliteUrl } from "../helpers.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");
const run = (args: string[], env: Record<string, string>, input = "") =>
  spawnSync(process.execPath, [BIN, ...args], {
    input, encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent", ...env }, timeout: 60_000,
  });

describe("terminal chat: places and times from the first message (issue #14)", () => {
  it("should give a village named alone its town, take the duration and ask again after 我家门口", () => {
    const DATABASE_URL = freshSqliteUrl();
    // First form: the village without its town; the duration answers "when".
    const first = ["十里村的水渠堵了三个月了，田里没水", "对", "疏通水渠", "跳过", "13800001234", "确认"];
    const replies = run(["chat", "--json", "--user", "cli-e1"], { DATABASE_URL }, first.join("\n") + "\n")
      .stdout.trim().split("\n").map((l) => JSON.parse(l));
    const expects = replies.map((r) => r.expects);
    expect(expects).not.toContain("location");
    expect(expects).not.toContain("occurredAt");
    const caseNo = replies.at(-1).caseNo as string;
    expect(caseNo).toMatch(/^XF-/);
    const shown = JSON.parse(run(["cases", "show", caseNo, "--json"], { DATABASE_URL }).stdout);
    expect(shown).toMatchObject({ location: "青山镇十里村", occurredAt: "三个月了" });

    // Second: a vague place is asked again with "which village or street?".
    const second = ["下水道堵了，污水流得到处都是", "1", "我家门口"];
    const r2 = run(["chat", "--json", "--user", "cli-e2"], { DATABASE_URL }, second.join("\n") + "\n")
      .stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(r2.at(-1)).toMatchObject({ expects: "location" });
    expect(r2.at(-1).text).toContain("哪个村或哪条街");
  });
});
