import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk, frontDesk } from "../../src/chat/index.js";
import type { Reply } from "../../src/chat/message.js";
import { OutboxRunner, renderOutbox } from "../../src/notify/index.js";
import { calendar, harness, last, loadTexts, type Harness } from "../helpers.js";

/** The real stack plus the cadre desk, on one database. */
async function workflowRig(provider: "sqlite" | "postgresql", clock: { now: Date }) {
  const h = await harness({ provider, now: () => clock.now });
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  const cadres = new CadreDesk({ db: h.db, workflow, texts: await loadTexts(), timeZone: "Asia/Shanghai", now: () => clock.now });
  const desk = frontDesk({ cadres, residents: h.engine });
  const say = (user: string, text: string) => desk.handle({ channel: "test", userId: user, text });
  const press = (user: string, buttonId: string) => desk.handle({ channel: "test", userId: user, buttonId });
  /** Binds `user` as a cadre of `unit` through an invite code, as a real cadre would. */
  const bindCadre = async (user: string, unit: string, role: "handler" | "leader" | "supervisor" = "handler", name = user) => {
    const { code } = await cadres.invite(unit, role, name);
    const r = await say(user, `/bind ${code}`);
    expect(r[0]!.text).toMatch(/绑定成功/);
  };
  /** A resident files a road complaint; returns its case number. */
  const file = async (user: string, text = "村口那条路全是坑，电动车摔了好几个人") => {
    for (const line of [text, "对", "青山镇石桥村", "上个月", "修路", "王先生", "13800001234"]) await say(user, line);
    const receipt = last(await say(user, "确认"));
    // The same resident files several road matters at one place: each time the bot asks whether
    // it is the earlier matter, and the answer here is "a new problem".
    if (receipt.buttons.some((b) => b.id === "same:no")) return last(await press(user, "same:no")).caseNo!;
    return receipt.caseNo!;
  };
  const outbox = (kind: string, chatId?: string) => h.db.outboxMessage.findMany({ where: { kind, ...(chatId ? { chatId } : {}) }, orderBy: { createdAt: "asc" } });
  return { h, workflow, cadres, desk, say, press, bindCadre, file, outbox };
}

describe.each(["sqlite", "postgresql"] as const)("cadre workflow on %s", (provider) => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") }; // Monday 09:00 in Shanghai
  let w: Awaited<ReturnType<typeof workflowRig>>;
  const id = (s: string) => `${s}-${provider}-${Date.now().toString(36)}`;
  const [road1, road2, road3, env1, duty1, resident] = ["road1", "road2", "road3", "env1", "duty1", "res"].map(id) as [string, string, string, string, string, string];

  beforeAll(async () => {
    w = await workflowRig(provider, clock);
    await w.bindCadre(road1, "transport_bureau", "handler", "张科长");
    await w.bindCadre(road2, "transport_bureau", "handler", "李干事");
    await w.bindCadre(env1, "ecology_bureau");
    await w.bindCadre(duty1, "duty_desk");
  });
  afterAll(async () => {
    await w.h.close();
  });

  it("should tell the unit's cadres about a new case in the same transaction as the case", async () => {
    const caseNo = await w.file(resident);
    const rows = (await w.outbox("cadre.new_case")).filter((r) => (r.payload as { caseNo?: string }).caseNo === caseNo);
    expect(rows.map((r) => r.chatId).sort()).toEqual([road1, road2].sort());
  });

  it("should let the first cadre who accepts own the case, and tell the resident and the others", async () => {
    const caseNo = await w.file(resident);
    const accepted = await w.press(road1, `c:accept:${caseNo}`);
    expect(accepted[0]!.text).toMatch(/已受理/);
    const second = await w.press(road2, `c:accept:${caseNo}`);
    expect(second[0]!.text).toMatch(/无权办理.*首问/); // the case has an owner now
    const c = await w.h.db.case.findUnique({ where: { caseNo } });
    expect(c).toMatchObject({ state: "accepted", ownerCadreId: expect.stringContaining("cadre-") });
    expect((await w.outbox("resident.status", resident)).map((r) => (r.payload as { action: string }).action)).toContain("accept");
    const others = (await w.outbox("cadre.accepted_by")).filter((r) => (r.payload as { caseNo?: string }).caseNo === caseNo);
    expect(others.map((r) => r.chatId)).toEqual([road2]);
    // Only the owner (首问负责) may reply; the other handler of the same unit may not.
    expect((await w.say(road2, `/reply ${caseNo} 已修好`))[0]!.text).toMatch(/无权/);
  });

  it("should refuse a cadre of another unit", async () => {
    const caseNo = await w.file(resident);
    expect((await w.press(env1, `c:accept:${caseNo}`))[0]!.text).toMatch(/无权/);
    // Not even the state of another unit's case leaks through a refused action.
    expect((await w.say(env1, `/reply ${caseNo} 好`))[0]!.text).toMatch(/无权/);
    expect((await w.say(env1, `/case ${caseNo}`))[0]!.text).toMatch(/没有找到/);
    expect((await w.h.db.case.findUnique({ where: { caseNo } }))!.state).toBe("assigned");
  });

  it("should send an objection with its reason back to the duty desk, within 5 working days only", async () => {
    const caseNo = await w.file(resident);
    const ask = await w.press(road1, `c:object:${caseNo}`);
    expect(ask[0]!.text).toMatch(/异议理由/);
    const done = await w.say(road1, "这是县道，归公路局管");
    expect(done[0]!.text).toMatch(/退回值班台/);
    const c = await w.h.db.case.findUnique({ where: { caseNo } });
    expect(c).toMatchObject({ state: "registered", unitId: "duty_desk", ownerCadreId: null });
    const toDuty = (await w.outbox("cadre.new_case", duty1)).find((r) => (r.payload as { caseNo?: string }).caseNo === caseNo);
    expect(toDuty?.payload).toMatchObject({ reason: "这是县道，归公路局管" });
    // The duty desk assigns it on; the new unit hears of it, the resident is told.
    expect((await w.say(duty1, `/assign ${caseNo} ecology_bureau`))[0]!.text).toMatch(/已交办/);
    expect((await w.h.db.case.findUnique({ where: { caseNo } }))!.unitId).toBe("ecology_bureau");
    // Late objection: 6 working days after assignment.
    const late = await w.file(resident);
    const saved = clock.now;
    clock.now = new Date("2026-12-09T02:00:00Z");
    expect((await w.say(road1, `/object ${late} 不归我们`))[0]!.text).toMatch(/异议期限/);
    clock.now = saved;
  });

  it("should extend once by at most 30 days and tell the resident the new date", async () => {
    const caseNo = await w.file(resident);
    await w.press(road1, `c:accept:${caseNo}`);
    const before = (await w.h.db.case.findUnique({ where: { caseNo } }))!.replyDueAt;
    expect((await w.say(road1, `/extend ${caseNo} 31 太复杂`))[0]!.text).toMatch(/1–30/);
    await w.press(road1, `c:extend:${caseNo}`);
    expect((await w.say(road1, "15 需要现场勘查"))[0]!.text).toMatch(/已延期/);
    const after = (await w.h.db.case.findUnique({ where: { caseNo } }))!;
    expect(after.extendedDays).toBe(15);
    expect(after.replyDueAt.getTime()).toBeGreaterThan(before.getTime() + 14 * 86_400_000);
    expect((await w.say(road1, `/extend ${caseNo} 5 再延`))[0]!.text).toMatch(/只能延期一次/);
    const news = (await w.outbox("resident.status", resident)).filter((r) => (r.payload as { caseNo: string; action: string }).caseNo === caseNo && (r.payload as { action: string }).action === "extend");
    expect(news).toHaveLength(1);
  });

  it("should reply with the handling opinion and push it to the resident in their language", async () => {
    const caseNo = await w.file(resident);
    await w.press(road1, `c:accept:${caseNo}`);
    expect((await w.say(road1, `/reply ${caseNo} 已安排施工队于本周修复路面。`))[0]!.text).toMatch(/已答复/);
    const row = (await w.outbox("resident.status", resident)).find((r) => (r.payload as { caseNo: string; action: string }).caseNo === caseNo && (r.payload as { action: string }).action === "reply")!;
    const reply = await renderOutbox(row, w.h.db, await loadTexts(), "Asia/Shanghai");
    expect(reply!.text).toContain("已安排施工队于本周修复路面。");
    const events = (await w.h.cases.show(caseNo))!.events.map((e) => `${e.type}:${e.actor.split(":")[0]}`);
    expect(events).toEqual(["created:resident", "assigned:system", "accept:cadre", "reply:cadre"]);
  });

  it("should give a case to only one of two cadres accepting at the same moment", async () => {
    const caseNo = await w.file(resident);
    const [a, b] = await Promise.all([w.press(road1, `c:accept:${caseNo}`), w.press(road2, `c:accept:${caseNo}`)]);
    const wins = [a, b].filter((r) => /由您负责/.test(r[0]!.text));
    expect(wins).toHaveLength(1);
    expect(await w.h.db.caseEvent.count({ where: { case: { caseNo }, type: "accept" } })).toBe(1);
  });

  it("should use an invite code once and not after it expires", async () => {
    const { code } = await w.cadres.invite("transport_bureau", "handler", "新人", 1);
    expect((await w.say(id("new1"), `/bind ${code}`))[0]!.text).toMatch(/绑定成功/);
    expect((await w.say(id("new2"), `/bind ${code}`))[0]!.text).toMatch(/无效/);
    const old = await w.cadres.invite("transport_bureau", "handler", "迟到", 1);
    const saved = clock.now;
    clock.now = new Date(saved.getTime() + 2 * 3_600_000);
    expect((await w.say(id("new3"), `/bind ${old.code}`))[0]!.text).toMatch(/无效/);
    clock.now = saved;
  });
});

describe("OutboxRunner", () => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") };

  it("should deliver each notification once, retry failures with backoff, and recover a row left by a dead process", async () => {
    const w = await workflowRig("sqlite", clock);
    await w.bindCadre("road", "transport_bureau");
    const caseNo = await w.file("res");
    const texts = await loadTexts();
    const sent: Array<{ chatId: string; reply: Reply }> = [];
    let failNext = 1;
    const runner = new OutboxRunner({
      db: w.h.db,
      deliverers: new Map([["test", async (chatId, reply) => {
        if (failNext-- > 0) return "failed";
        sent.push({ chatId, reply });
        return "sent";
      }]]),
      render: (row) => renderOutbox(row, w.h.db, texts, "Asia/Shanghai"),
    });
    const first = await runner.runOnce(clock.now);
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    expect((await runner.runOnce(clock.now)).sent).toBe(0); // not due yet: backoff
    const later = new Date(clock.now.getTime() + 10_000);
    expect((await runner.runOnce(later)).sent).toBe(1);
    expect(sent[0]!.reply.text).toContain(caseNo);
    expect(sent[0]!.reply.buttons.map((b) => b.id)).toEqual([`c:accept:${caseNo}`, `c:object:${caseNo}`]);
    expect((await runner.runOnce(later)).sent).toBe(0); // never twice

    // A process claimed a row and died before sending: after the lease it is sent once.
    await w.press("road", `c:accept:${caseNo}`);
    const row = (await w.outbox("resident.status", "res"))[0]!;
    await w.h.db.outboxMessage.update({ where: { id: row.id }, data: { status: "sending", availableAt: new Date(later.getTime() + 60_000) } });
    expect((await runner.runOnce(later)).sent).toBe(0);
    const afterLease = await runner.runOnce(new Date(later.getTime() + 120_000));
    expect(afterLease).toMatchObject({ released: 1, sent: 1 });
    expect(sent.filter((s) => s.chatId === "res")).toHaveLength(1);
    await w.h.close();
  });

  it("should mask personal data for group chats", async () => {
    const w = await workflowRig("sqlite", clock);
    await w.h.db.unit.update({ where: { id: "transport_bureau" }, data: { chatTargets: [{ channel: "test", chatId: "group-1" }] } });
    await w.file("res2", "村口那条路全是坑，我电话13912345678，身份证11010519491231002X");
    const row = (await w.outbox("cadre.new_case", "group-1"))[0]!;
    const reply = await renderOutbox(row, w.h.db, await loadTexts(), "Asia/Shanghai");
    expect(reply!.text).not.toMatch(/13912345678|19491231/);
    expect(reply!.text).toContain("*******5678");
    await w.h.close();
  });
});

describe("asking for a person", () => {
  it("should tell the duty desk's cadres who asked and how to reach them", async () => {
    const clock = { now: new Date("2026-11-30T01:00:00Z") };
    const w = await workflowRig("sqlite", clock);
    await w.bindCadre("duty", "duty_desk");
    for (const line of ["楼上漏水好几个月了物业不管", "对", "幸福小区3栋", "跳过", "跳过", "跳过", "13800001234"]) await w.say("res", line);
    await w.say("res", "人工");
    const row = (await w.outbox("cadre.handoff", "duty"))[0]!;
    const reply = await renderOutbox(row, w.h.db, await loadTexts(), "Asia/Shanghai");
    expect(reply!.text).toContain("13800001234");
    expect(reply!.text).toContain("幸福小区3栋");
    await w.h.close();
  });
});
