import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { dashboardData } from "../../src/cases/dashboard.js";
import type { Actor } from "../../src/domain/index.js";
import { calendar, fileComplaint, freshPostgresUrl, harness, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";
const operator: Actor = { kind: "operator", id: "test-admin" };

/** The supervision list (挂牌督办) shows open cases, each with the reason as it was given. */
describe.each(["sqlite", "postgresql"] as const)("supervision list on %s", (provider) => {
  let h: Harness;
  let workflow: CaseWorkflow;
  let pg: Awaited<ReturnType<typeof freshPostgresUrl>> | null = null;

  const file = async (user: string) =>
    (await fileComplaint(
      (text) => h.say(text, user),
      (buttonId) => h.engine.handle({ channel: "test", userId: user, buttonId }),
      "村口那条路全是坑，电动车摔了好几个人",
    ))!;

  beforeAll(async () => {
    // A database of its own: the list counts every supervised case in it.
    pg = provider === "postgresql" ? await freshPostgresUrl() : null;
    h = await harness({ provider, url: pg?.url });
    workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
  });
  afterAll(async () => {
    await h.close();
    await pg?.drop();
  });

  it("should list only open cases and show the reason in the words given, redacted", async () => {
    const open = await file(`sv-open-${provider}`);
    const closed = await file(`sv-closed-${provider}`);
    await workflow.setSupervision(open, true, operator, "群众反映强烈，联系人电话13912345678");
    await workflow.setSupervision(closed, true, operator, null);
    await workflow.transition(closed, "accept", operator);
    await workflow.transition(closed, "reply", operator, { note: "已修复" });
    await workflow.transition(closed, "close", operator, { closeReason: "operator" });

    const today = new Date().toISOString().slice(0, 10);
    const d = await dashboardData(h.db, { from: today, to: today, timeZone: TZ });
    expect(d.supervision.map((c) => c.caseNo)).toEqual([open]);
    expect(d.supervisionClosed).toBe(1);
    const row = d.supervision[0]!;
    expect(row.supervisionReason).toBe("manual");
    expect(row.supervisionNote).toMatch(/^群众反映强烈/);
    expect(row.supervisionNote).not.toContain("13912345678");

    await workflow.setSupervision(open, false, operator, "已化解");
    const after = await dashboardData(h.db, { from: today, to: today, timeZone: TZ });
    expect(after.supervision).toEqual([]);
    expect((await h.db.case.findUniqueOrThrow({ where: { caseNo: open } })).supervisionNote).toBeNull();
  });
});
