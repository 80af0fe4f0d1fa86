import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { freshPostgresUrl, freshSqliteUrl } from "../helpers.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");

describe.each(["sqlite", "postgresql"] as const)("the whole workflow in terminal chats on %s", (provider) => {
  it("should go from a complaint to an escalation and a reply, every party told in their terminal", async () => {
    const pgDb = provider === "postgresql" ? await freshPostgresUrl() : undefined;
    const DATABASE_URL = pgDb?.url ?? freshSqliteUrl();
    const run = (args: string[], input = "") => {
      const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", env: { ...process.env, DATABASE_URL, LOG_LEVEL: "silent" }, timeout: 60_000 });
      expect(r.stderr).toBe("");
      return r.stdout;
    };
    const chat = (user: string, lines: string[]) => run(["chat", "--json", "--user", user], lines.join("\n") + "\n").trim().split("\n").map((l) => JSON.parse(l) as { text: string; caseNo: string | null });
    const tag = `${provider}-${Date.now().toString(36)}`;
    const [resident, handler, leader] = [`res-${tag}`, `han-${tag}`, `lead-${tag}`];

    const code = (role: string) => JSON.parse(run(["cadres", "invite", "--unit", "hrss_bureau", "--role", role, "--json"])).code as string;
    expect(chat(handler, [`/bind ${code("handler")}`])[0]!.text).toMatch(/绑定成功/);
    expect(chat(leader, [`/bind ${code("leader")}`])[0]!.text).toMatch(/绑定成功/);

    const filed = chat(resident, ["老板拖欠我们三个月工资不给", "对", "城东工业园3号厂房", "跳过", "发工资", "跳过", "13800001234", "确认"]);
    const caseNo = filed.at(-1)!.caseNo!;
    expect(caseNo).toMatch(/^XF-/);

    // The handler sees the new case (with its buttons) when they next write, and accepts it.
    const seen = chat(handler, ["/cases", `/accept ${caseNo}`]);
    expect(seen.map((r) => r.text).join("\n")).toMatch(new RegExp(`新信访件.*${caseNo}`, "s"));
    expect(seen.at(-1)!.text).toMatch(/由您负责/);

    // Time moves past the report-back deadline: escalated to the leader.
    const shown = JSON.parse(run(["cases", "show", caseNo, "--json"]));
    const late = new Date(Date.parse(shown.clocks.colourDueAt) + 3_600_000).toISOString();
    const report = JSON.parse(run(["scheduler", "run-once", "--now", late, "--json"]));
    expect(report.escalations.map((e: { caseNo: string }) => e.caseNo)).toContain(caseNo);
    expect(chat(leader, ["/cases"]).map((r) => r.text).join("\n")).toMatch(new RegExp(`超期督办.*${caseNo}`));

    // The handler replies; the resident is told, in their terminal, acceptance and opinion.
    expect(chat(handler, [`/reply ${caseNo} 已责令企业本周内补发工资。`]).at(-1)!.text).toMatch(/已答复/);
    const told = chat(resident, [`查询 ${caseNo}`]).map((r) => r.text).join("\n");
    expect(told).toMatch(/已由 区人力资源和社会保障局 受理/);
    expect(told).toContain("已责令企业本周内补发工资。");
    expect(JSON.parse(run(["cases", "show", caseNo, "--json"])).events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned", "accept", "escalated", "reply"]);
    await pgDb?.drop();
  }, 120_000);
});
