import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { freshSqliteUrl } from "../helpers.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");
const run = (args: string[], env: Record<string, string>, input = "") =>
  spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    timeout: 60_000,
  });

describe("residents export and erase from the command line", () => {
  it("should export what is stored, refuse unknown residents, ask before erasing, and erase", () => {
    const DATABASE_URL = freshSqliteUrl();
    const lines = [
      "村口那条路全是坑，车都开不过去",
      "对",
      "青山镇石桥村",
      "跳过",
      "尽快修路",
      "王先生",
      "13800001234",
      "确认",
    ];
    const replies = run(["chat", "--json", "--user", "cli-r1"], { DATABASE_URL }, lines.join("\n") + "\n")
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const caseNo = replies.at(-1).caseNo as string;
    for (const [action, extra] of [
      ["accept", []],
      ["reply", ["--note", "已补好路面"]],
      ["close", []],
    ] as const) {
      expect(run(["cases", "transition", caseNo, action, ...extra], { DATABASE_URL }).status).toBe(0);
    }

    const exported = run(["residents", "export", "--case", caseNo], { DATABASE_URL });
    expect(exported.stderr).toBe("");
    const doc = JSON.parse(exported.stdout);
    const resident = doc.residents[0];
    expect(resident).toMatchObject({
      name: "王先生",
      phone: "13800001234",
      identities: [{ channel: "terminal", externalId: "cli-r1" }],
    });
    expect(resident.cases[0]).toMatchObject({
      caseNo,
      description: "村口那条路全是坑，车都开不过去",
      replyText: "已补好路面",
    });
    expect(resident.cases[0].events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["created", "accept", "reply", "close"]),
    );
    expect(
      JSON.parse(run(["residents", "export", "--phone", "138 0000 1234"], { DATABASE_URL }).stdout).residents[0].id,
    ).toBe(resident.id);

    const unknown = run(["residents", "erase", "nobody-here", "--yes"], { DATABASE_URL });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no resident with id "nobody-here"/);

    // Asked, and answered no: nothing erased.
    const declined = run(["residents", "erase", resident.id], { DATABASE_URL }, "n\n");
    expect(declined.status).toBe(1);
    expect(declined.stderr).toMatch(/Erase the personal data of resident[\s\S]*nothing erased/);
    expect(JSON.parse(run(["residents", "export", resident.id], { DATABASE_URL }).stdout).residents[0].name).toBe(
      "王先生",
    );

    const erased = run(["residents", "erase", resident.id], { DATABASE_URL }, "y\n");
    expect(erased.status).toBe(0);
    expect(erased.stdout).toMatch(/erased resident .*1 closed cases; channel identities deleted/);
    const after = JSON.parse(run(["residents", "export", resident.id], { DATABASE_URL }).stdout).residents[0];
    expect(after).toMatchObject({ name: null, phone: null, identities: [], dialogSessions: [] });
    expect(after.cases[0]).toMatchObject({
      caseNo,
      description: "",
      contactPhone: null,
      replyText: null,
      category: "transport",
      town: "青山镇",
    });
    expect(JSON.stringify(after)).not.toMatch(/王先生|13800001234|坑|补好/);
    // The ledger still counts the case.
    expect(
      JSON.parse(run(["ledger", "--from", "2026-01-01", "--to", "2030-12-31", "--json"], { DATABASE_URL }).stdout)
        .total,
    ).toMatchObject({ received: 1, closed: 1 });
  }, 300_000); // 13 processes, a few seconds each on a shared machine
});
