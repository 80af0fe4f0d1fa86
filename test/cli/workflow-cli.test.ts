import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { freshSqliteUrl } from "../helpers.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");
const run = (args: string[], env: Record<string, string>, input = "") =>
  spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent", ...env }, timeout: 60_000 });

describe("units, cadres and transitions from the command line", () => {
  it("should import units from YAML, route by village, bind a cadre and move a case", () => {
    const DATABASE_URL = freshSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), "units-"));
    const file = join(dir, "units.yaml");
    writeFileSync(file, `units:
  - id: duty_desk
    name: 区信访局值班台
    categories: [other]
    isDutyDesk: true
  - id: qingshan_town
    name: 青山镇人民政府
    categories: [transport]
    areas: [青山镇]
  - id: transport_bureau
    name: 区交通运输局
    categories: [transport]
`);
    const imported = run(["units", "import", file, "--json"], { DATABASE_URL });
    expect(imported.stderr).toBe("");
    expect(JSON.parse(imported.stdout).imported).toEqual(["duty_desk", "qingshan_town", "transport_bureau"]);

    // A complaint from 青山镇 goes to the town, not the district bureau.
    const lines = ["村口那条路全是坑，车都开不过去", "对", "青山镇石桥村", "跳过", "跳过", "跳过", "13800001234", "确认"];
    const replies = run(["chat", "--json", "--user", "r1"], { DATABASE_URL }, lines.join("\n") + "\n").stdout.trim().split("\n").map((l) => JSON.parse(l));
    const caseNo = replies.at(-1).caseNo as string;
    expect(JSON.parse(run(["cases", "show", caseNo, "--json"], { DATABASE_URL }).stdout).unit.id).toBe("qingshan_town");

    const invite = JSON.parse(run(["cadres", "invite", "--unit", "qingshan_town", "--role", "handler", "--name", "王站长", "--json"], { DATABASE_URL }).stdout);
    expect(invite.code).toMatch(/^[A-Z2-9]{8}$/);
    const bound = run(["chat", "--json", "--user", "cadre1"], { DATABASE_URL }, `/bind ${invite.code}\n/cases\n`).stdout;
    expect(bound).toContain("绑定成功");
    expect(bound).toContain(caseNo);

    // An operator acts; bad input gets one clear line.
    const moved = run(["cases", "transition", caseNo, "accept", "--json"], { DATABASE_URL });
    expect(JSON.parse(moved.stdout)).toMatchObject({ from: "assigned", to: "accepted" });
    const refused = run(["cases", "transition", caseNo, "extend", "--days", "45", "--note", "复杂"], { DATABASE_URL });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/1–30/);
    const unknown = run(["cases", "transition", caseNo, "teleport"], { DATABASE_URL });
    expect(unknown.stderr).toMatch(/unknown action "teleport"/);
  }, 120_000); // a dozen CLI processes, each booting the app

  it("should refuse misspelled keys, duplicate ids and a second duty desk", () => {
    const DATABASE_URL = freshSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), "units-"));
    const write = (name: string, units: unknown[]) => { const f = join(dir, name); writeFileSync(f, JSON.stringify({ units })); return f; };
    const typo = run(["units", "import", write("typo.json", [{ id: "town_a", name: "A", categories: ["transport"], aeras: ["青山镇"] }])], { DATABASE_URL });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/aeras/);
    const dup = run(["units", "import", write("dup.json", [{ id: "town_a", name: "A" }, { id: "town_a", name: "B" }])], { DATABASE_URL });
    expect(dup.stderr).toMatch(/appears twice/);
    const desk = run(["units", "import", write("desk.json", [{ id: "desk_two", name: "第二值班台", isDutyDesk: true }])], { DATABASE_URL });
    expect(desk.status).toBe(1);
    expect(desk.stderr).toMatch(/exactly one duty desk/);
  });

  it("should read --now without an offset in the configured time zone", () => {
    const DATABASE_URL = freshSqliteUrl();
    const r = JSON.parse(run(["scheduler", "run-once", "--now", "2026-12-04 10:00", "--json"], { DATABASE_URL }).stdout);
    expect(r.now).toBe("2026-12-04T02:00:00.000Z");
    const bad = run(["scheduler", "run-once", "--now", "yesterday"], { DATABASE_URL });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^--now:/);
  });

  it("should name the bad line of a units file", () => {
    const DATABASE_URL = freshSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), "units-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ units: [{ id: "roads_unit", name: "X", categories: ["roads"] }] }));
    const r = run(["units", "import", file], { DATABASE_URL });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/units\.0\.categories\.0/);
  });
});
