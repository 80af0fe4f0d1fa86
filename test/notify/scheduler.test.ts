import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk, frontDesk, type Conversation } from "../../src/chat/index.js";
import { renderOutbox, runScheduler } from "../../src/notify/index.js";
import { calendar, harness, last, loadTexts, type Harness } from "../helpers.js";

describe.each(["sqlite", "postgresql"] as const)("scheduler on %s", (provider) => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") }; // Monday 09:00 Shanghai
  let h: Harness;
  let desk: Conversation;
  let cadres: CadreDesk;
  const tag = `${provider}-${Date.now().toString(36)}`;
  const say = (user: string, text: string) => desk.handle({ channel: "test", userId: user, text });
  const run = (iso: string) => runScheduler({ db: h.db, timeZone: "Asia/Shanghai" }, new Date(iso));

  beforeAll(async () => {
    h = await harness({ provider, now: () => clock.now });
    const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
    cadres = new CadreDesk({ db: h.db, workflow, texts: await loadTexts(), timeZone: "Asia/Shanghai", now: () => clock.now });
    desk = frontDesk({ cadres: cadres, residents: h.engine });
    const bind = async (user: string, unit: string, role: "handler" | "leader" | "supervisor") => {
      const { code } = await cadres.invite(unit, role, user);
      await say(user, `/bind ${code}`);
    };
    await bind(`handler-${tag}`, "housing_bureau", "handler");
    await bind(`leader-${tag}`, "housing_bureau", "leader");
    await bind(`super-${tag}`, "duty_desk", "supervisor");
  });
  afterAll(async () => {
    await h.close();
  });

  it("should remind before the deadline, escalate a missed one to the leader and supervisors once, and send one digest a day", async () => {
    // A yellow land case (3 working days): filed Monday 09:00, report-back due Thursday 2026-12-03.
    for (const line of ["拆迁补偿款到现在还没给，开发商一直拖", "对", "青山镇石桥村", "跳过", "跳过", "跳过", "13800001234"]) await say(`res-${tag}`, line);
    const caseNo = last(await say(`res-${tag}`, "确认")).caseNo!;
    await say(`handler-${tag}`, `/accept ${caseNo}`);
    const c = await h.db.case.findUnique({ where: { caseNo } });
    expect(c!.colour).toBe("yellow");
    expect(c!.colourDueAt.toISOString()).toBe("2026-12-03T15:59:59.999Z");

    const rows = async (kind: string) => (await h.db.outboxMessage.findMany({ where: { kind } })).filter((r) => (r.payload as { caseNo?: string }).caseNo === caseNo);
    // Wednesday evening: a reminder to the owner, once however often the scheduler runs.
    const wed = await run("2026-12-03T00:30:00Z");
    expect(wed.reminders.find((r) => r.caseNo === caseNo)?.recipients).toBe(1);
    await run("2026-12-03T00:31:00Z");
    expect((await rows("cadre.reminder")).map((r) => r.chatId)).toEqual([`handler-${tag}`]);

    // Friday: the deadline passed without a report — escalated to the leader and the supervisor.
    const fri = await run("2026-12-04T02:00:00Z");
    const esc = fri.escalations.find((e) => e.caseNo === caseNo);
    expect(esc).toMatchObject({ clock: "colour", recipients: 2 });
    expect((await rows("cadre.escalation")).map((r) => r.chatId).sort()).toEqual([`leader-${tag}`, `super-${tag}`].sort());
    const after = await h.db.case.findUnique({ where: { caseNo } });
    expect(after!.supervised).toBe(true);
    const again = await run("2026-12-04T03:00:00Z");
    expect(again.escalations.find((e) => e.caseNo === caseNo)).toBeUndefined();
    expect(await h.db.caseEvent.count({ where: { caseId: c!.id, type: "escalated" } })).toBe(1);

    // The digest goes once a day from 08:00 local time.
    const digests = async () => (await h.db.outboxMessage.findMany({ where: { kind: "cadre.digest", chatId: `leader-${tag}` } })).length;
    await run("2026-12-04T23:00:00Z"); // 07:00 local: too early
    const early = await digests();
    await run("2026-12-05T00:10:00Z"); // 08:10 local
    await run("2026-12-05T04:00:00Z");
    expect((await digests()) - early).toBe(1);
    const digest = (await h.db.outboxMessage.findMany({ where: { kind: "cadre.digest", chatId: `leader-${tag}` }, orderBy: { createdAt: "desc" } }))[0]!;
    const shown = await renderOutbox(digest, h.db, await loadTexts(), "Asia/Shanghai");
    expect(shown!.text).toMatch(new RegExp(`已超期 \\d+：[\\s\\S]*${caseNo}`));

    // Replying ends the clocks for that case: no more escalations.
    await say(`handler-${tag}`, `/reply ${caseNo} 补偿款已于今日拨付到户。`);
    const later = await run("2026-12-20T02:00:00Z");
    expect(later.escalations.find((e) => e.caseNo === caseNo)).toBeUndefined();
  });
});
