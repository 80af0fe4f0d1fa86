import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import type { Actor } from "../../src/domain/index.js";
import { calendar, fileComplaint, freshPostgresUrl, harness, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";
const operator: Actor = { kind: "operator", id: "test-admin" };

/**
 * 信访工作条例 Arts. 35-36: a review (复查) goes to the level above the body that gave the
 * opinion, a re-examination (复核) to the level above the body that did the review. Units here:
 * a township (qingshan) under the transport bureau, under the duty desk (区信访局).
 */
describe.each(["sqlite", "postgresql"] as const)("review tiers on %s", (provider) => {
  let h: Harness;
  let workflow: CaseWorkflow;
  let pg: Awaited<ReturnType<typeof freshPostgresUrl>> | null = null;
  const town = `qingshan_${provider}`;

  beforeAll(async () => {
    // A database of its own: the unit hierarchy here must not reach other files' cases.
    pg = provider === "postgresql" ? await freshPostgresUrl() : null;
    h = await harness({ provider, url: pg?.url });
    workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
    await h.db.unit.upsert({
      where: { id: town },
      create: { id: town, name: "青山镇人民政府", categories: [], chatTargets: [], parentId: "transport_bureau" },
      update: { parentId: "transport_bureau" },
    });
    await h.db.unit.update({ where: { id: "transport_bureau" }, data: { parentId: "duty_desk" } });
  });
  afterAll(async () => {
    await h.close();
    await pg?.drop();
  });

  it("should send 复查 one level up from the township and 复核 one more level up", async () => {
    const user = `tier-${provider}-${Date.now().toString(36)}`;
    const caseNo = (await fileComplaint(
      (text) => h.say(text, user),
      (buttonId) => h.engine.handle({ channel: "test", userId: user, buttonId }),
      "村口那条路全是坑，电动车摔了好几个人",
    ))!;
    const c = await h.db.case.findUniqueOrThrow({ where: { caseNo } });
    const resident: Actor = { kind: "resident", residentId: c.residentId };
    const unitOf = async () => (await h.db.case.findUniqueOrThrow({ where: { caseNo } })).unitId;

    // Routed to the transport bureau on filing; the bureau hands it down to the township.
    expect(c.unitId).toBe("transport_bureau");
    await workflow.transition(caseNo, "object", operator, { note: "属地管理，由镇办理" });
    await workflow.transition(caseNo, "assign", operator, { unitId: town });
    expect(await unitOf()).toBe(town);
    await workflow.transition(caseNo, "accept", operator);
    await workflow.transition(caseNo, "reply", operator, { note: "已安排修补" });

    await workflow.transition(caseNo, "request_review", resident);
    expect(await unitOf()).toBe("transport_bureau");
    await workflow.transition(caseNo, "reply", operator, { note: "经复查，维持原处理意见" });

    await workflow.transition(caseNo, "request_reexamination", resident);
    expect(await unitOf()).toBe("duty_desk");
    const after = await h.db.case.findUniqueOrThrow({ where: { caseNo } });
    expect(after.repliedUnitId).toBe(town); // the ledger still rates the first tier's unit
  });
});
