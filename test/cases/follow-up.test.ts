import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk, FollowUpDesk, frontDesk } from "../../src/chat/index.js";
import type { Reply } from "../../src/chat/message.js";
import { renderOutbox, runScheduler } from "../../src/notify/index.js";
import { calendar, freshPostgresUrl, harness, last, loadTexts } from "../helpers.js";

const TZ = "Asia/Shanghai";
const HOUR = 3_600_000;

/** The real stack with the follow-up desk: residents and cadres talk to one front desk. */
async function rig(provider: "sqlite" | "postgresql", clock: { now: Date }) {
  // A database of its own: these tests bind cadres and supervisors other files must not see.
  const pgDb = provider === "postgresql" ? await freshPostgresUrl() : null;
  const h = await harness({ provider, url: pgDb?.url, now: () => clock.now });
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
  const cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: TZ, now: () => clock.now });
  const followUp = new FollowUpDesk({
    db: h.db, workflow, texts, calendar, timeZone: TZ, now: () => clock.now,
    sessions: h.store,
  });
  const desk = frontDesk({ cadres: cadres, followUp: followUp, residents: h.engine });
  const say = (user: string, text: string) => desk.handle({ channel: "test", userId: user, text, receivedAt: clock.now });
  const press = (user: string, buttonId: string) => desk.handle({ channel: "test", userId: user, buttonId, receivedAt: clock.now });
  const bind = async (user: string, unit: string, role: "handler" | "leader" | "supervisor") => {
    const { code } = await cadres.invite(unit, role, user);
    expect((await say(user, `/bind ${code}`))[0]!.text).toMatch(/绑定成功/);
  };
  /** Files a complaint; answers "a new problem" if asked whether it is an earlier one. */
  const file = async (user: string, text: string, place = "青山镇石桥村") => {
    for (const line of [text, "对", place, "跳过", "跳过", "跳过", "13800001234"]) await say(user, line);
    const r = last(await say(user, "确认"));
    return r.buttons.some((b) => b.id === "same:no") ? last(await press(user, "same:no")).caseNo! : r.caseNo!;
  };
  const scheduler = () => runScheduler({ db: h.db, timeZone: TZ, workflow, poll: { reminderHours: 48, closeDays: 7 } }, clock.now);
  const rows = async (kind: string, caseNo: string) => (await h.db.outboxMessage.findMany({ where: { kind }, orderBy: { createdAt: "asc" } })).filter((r) => (r.payload as { caseNo?: string }).caseNo === caseNo);
  const render = async (row: { id: string; kind: string; channel: string | null; chatId: string | null; payload: unknown }) => renderOutbox(row, h.db, texts, TZ, clock.now);
  const caseOf = (caseNo: string) => h.db.case.findUniqueOrThrow({ where: { caseNo } });
  const close = async () => {
    await h.close();
    await pgDb?.drop();
  };
  return { h, workflow, desk, say, press, bind, file, scheduler, rows, render, caseOf, close };
}

describe.each(["sqlite", "postgresql"] as const)("follow-up on %s", (provider) => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") }; // Monday 09:00 in Shanghai
  let r: Awaited<ReturnType<typeof rig>>;
  const id = (s: string) => `${s}-${provider}-${Date.now().toString(36)}`;
  const [handler, leader, supervisor, duty] = ["fh", "fl", "fs", "fd"].map(id) as [string, string, string, string];
  const later = (hours: number) => (clock.now = new Date(clock.now.getTime() + hours * HOUR));
  const texts = (replies: Reply[]) => replies.map((x) => x.text).join("\n");

  beforeAll(async () => {
    r = await rig(provider, clock);
    await r.bind(handler, "transport_bureau", "handler");
    await r.bind(leader, "transport_bureau", "leader");
    await r.bind(supervisor, "duty_desk", "supervisor");
    await r.bind(duty, "duty_desk", "handler");
  });
  afterAll(async () => {
    await r?.close();
  });

  /** A road complaint of `resident`, accepted and answered by the transport bureau. */
  const replied = async (resident: string, text = "村口那条路全是坑，电动车摔了好几个人") => {
    const caseNo = await r.file(resident, text);
    await r.say(handler, `/accept ${caseNo}`);
    expect(texts(await r.say(handler, `/reply ${caseNo} 已安排施工队补坑，路面已修好`))).toMatch(/已答复/);
    return caseNo;
  };

  it("should poll once per reply, take the answer and an optional comment, and close the case", async () => {
    const resident = id("poll");
    const caseNo = await replied(resident);
    const first = await r.scheduler();
    expect(first.polls.sent).toContain(caseNo);
    expect((await r.scheduler()).polls.sent).not.toContain(caseNo); // never twice
    const polls = await r.rows("resident.poll", caseNo);
    expect(polls).toHaveLength(1);
    const shown = (await r.render(polls[0]!))!;
    expect(shown.text).toMatch(/满意度回访[\s\S]*已安排施工队补坑/);
    expect(shown.buttons.map((b) => b.label)).toEqual(["满意", "基本满意", "不满意"]);

    const answer = await r.press(resident, `p:s:${caseNo}`);
    expect(texts(answer)).toMatch(/感谢您的评价[\s\S]*已办结/);
    expect(await r.caseOf(caseNo)).toMatchObject({ state: "closed", satisfaction: "satisfied", closeReason: "satisfied" });
    // A comment is offered; once the resident chooses to add one, the next message is it.
    expect(answer[answer.length - 1]!.buttons.map((b) => b.id)).toEqual([`p:c:${caseNo}`, `p:n:${caseNo}`]);
    expect(texts(await r.press(resident, `p:c:${caseNo}`))).toMatch(/请直接回复您的意见/);
    expect(texts(await r.say(resident, "施工队态度很好，谢谢"))).toMatch(/已记录/);
    const c = await r.caseOf(caseNo);
    expect(c.satisfactionComment).toBe("施工队态度很好，谢谢");
    expect(await r.h.db.caseEvent.count({ where: { caseId: c.id, type: "poll_comment" } })).toBe(1);
    // A double tap changes nothing and says so; the stale poll is no longer rendered.
    expect(texts(await r.press(resident, `p:u:${caseNo}`))).toMatch(/已对 .* 作出评价（满意）/);
    expect((await r.caseOf(caseNo)).satisfaction).toBe("satisfied");
    expect(await r.render(polls[0]!)).toBeNull();
    // `cases show`: the answer in the history, cadres by name, the follow-up fields.
    const shown2 = (await r.h.cases.show(caseNo))!;
    expect(shown2.followUp).toMatchObject({ stage: "handling", satisfaction: "satisfied", supervised: false });
    expect(shown2.events.find((e) => e.type === "close")).toMatchObject({ actor: "resident", note: "poll: satisfied" });
    expect(shown2.events.find((e) => e.type === "reply")!.actor).toMatch(new RegExp(`^cadre:${handler} \\(cadre-`));
  });

  it("should keep one poll waiting per resident, remind once, then close as no answer and tell the resident", async () => {
    const resident = id("quiet");
    const a = await replied(resident, "村口那条路全是坑，电动车摔了好几个人");
    const b = await replied(resident, "石桥村的路灯坏了一个月了，晚上一片漆黑");
    const sent = (await r.scheduler()).polls.sent;
    expect(sent.filter((n) => n === a || n === b)).toHaveLength(1); // no burst: one at a time
    const [waiting, queued] = sent.includes(a) ? [a, b] : [b, a];
    later(49);
    const reminded = await r.scheduler();
    expect(reminded.polls.reminded).toContain(waiting);
    expect(reminded.polls.sent).not.toContain(queued);
    expect((await r.scheduler()).polls.reminded).not.toContain(waiting); // one reminder
    later(24 * 6);
    const closed = await r.scheduler();
    expect(closed.polls.closed).toContainEqual({ caseNo: waiting, reason: "no_answer" });
    expect(await r.caseOf(waiting)).toMatchObject({ state: "closed", closeReason: "no_answer", satisfaction: null });
    const told = await r.rows("resident.status", waiting);
    expect((await r.render(told[told.length - 1]!))!.text).toMatch(/回访已结束[\s\S]*复查/);
    // Now the second case's poll goes out.
    expect((await r.scheduler()).polls.sent).toContain(queued);
  });

  it("should take a typed answer (a number on channels without buttons) only when no form is open", async () => {
    const resident = id("typed");
    const caseNo = await replied(resident);
    await r.scheduler();
    expect(texts(await r.say(resident, "2"))).toMatch(/感谢您的评价/);
    expect((await r.caseOf(caseNo)).satisfaction).toBe("basically_satisfied");
    // Inside a form, "1" belongs to the form.
    const other = id("typed2");
    const c2 = await replied(other);
    await r.scheduler();
    await r.say(other, "水库放水把我家的田淹了");
    const inForm = await r.say(other, "1");
    expect(texts(inForm)).not.toMatch(/感谢您的评价/);
    expect((await r.caseOf(c2)).state).toBe("replied");
  });

  it("should understand answers as residents type them, and not take a cancel for a comment", async () => {
    const cases: Record<string, string> = {};
    for (const [typed, expected] of [["不太满意", "unsatisfied"], ["还行吧", "basically_satisfied"], ["２", "basically_satisfied"], ["非常满意！", "satisfied"], ["not satisfied", "unsatisfied"], ["Basically satisfied", "basically_satisfied"]] as const) {
      const resident = id(`type-${expected}-${[...typed].length}`);
      const caseNo = await replied(resident);
      cases[typed] = caseNo;
      await r.scheduler();
      expect(texts(await r.say(resident, typed))).toMatch(/感谢您的评价|收到您的评价/);
      expect((await r.caseOf(caseNo)).satisfaction).toBe(expected);
    }
    // A greeting opens an empty form; a poll answer typed after it still answers the poll.
    const greeter = id("greeter");
    const g = await replied(greeter);
    await r.scheduler();
    await r.say(greeter, "你好");
    const answered = await r.say(greeter, "3");
    expect(texts(answered)).toMatch(/不满意/);
    expect((await r.caseOf(g)).satisfaction).toBe("unsatisfied");
    // The options after an unsatisfied answer are one numbered set: 1 comment, 2 none, 3 review.
    expect(answered[answered.length - 1]!.buttons.map((b) => b.id)).toEqual([`p:c:${g}`, `p:n:${g}`, `r:${g}`]);
    await r.say(greeter, "1");
    expect(texts(await r.say(greeter, "取消"))).toMatch(/好的，谢谢/);
    expect((await r.caseOf(g)).satisfactionComment).toBeNull();
    // A second answer is acknowledged, not treated as small talk.
    expect(texts(await r.say(greeter, "满意"))).toMatch(/已对 .* 作出评价（不满意）/);
    // Review without a number, when only one case can go up; opting out in a sentence.
    expect(texts(await r.say(greeter, "我要申请复查"))).toMatch(new RegExp(`已收到您对 ${g} 的复查申请`));
    expect(texts(await r.say(greeter, "不再回访了"))).toMatch(/不再向您发送/);
  });

  it("should not let another resident answer a poll or ask for review", async () => {
    const caseNo = await replied(id("owner"));
    const stranger = id("stranger");
    await r.file(stranger, "工厂半夜排黑烟，呛得人睡不着");
    expect(texts(await r.press(stranger, `p:u:${caseNo}`))).toMatch(/没有找到您名下/);
    expect(texts(await r.say(stranger, `复查 ${caseNo}`))).toMatch(/没有找到您名下/);
    // A complaint that starts with the word 复查 is a complaint, not a review request.
    const complaint = await r.say(stranger, "复查一下我家的低保资格，为什么被取消了");
    expect(texts(complaint)).not.toMatch(/没有找到您名下|申请复查请发送/);
    expect((await r.caseOf(caseNo)).state).toBe("replied");
  });

  it("should list an unsatisfied reply for supervision, then run review and re-examination at the level above, and refuse a third time", async () => {
    const resident = id("unhappy");
    const caseNo = await replied(resident);
    await r.scheduler();
    const answer = await r.press(resident, `p:u:${caseNo}`);
    expect(texts(answer)).toMatch(/已列入督办[\s\S]*申请复查/);
    const offer = answer.find((x) => x.buttons.some((b) => b.id === `r:${caseNo}`));
    expect(offer).toBeDefined();
    expect(await r.caseOf(caseNo)).toMatchObject({ state: "closed", supervised: true, supervisionReason: "unsatisfied" });
    expect((await r.rows("cadre.unsatisfied", caseNo)).map((x) => x.chatId).sort()).toEqual([leader, supervisor].sort());

    later(24);
    const review = await r.press(resident, `r:${caseNo}`);
    expect(texts(review)).toMatch(/复查申请.*区信访局值班台.*最迟在 \d{4}-\d{2}-\d{2}/);
    const underReview = await r.caseOf(caseNo);
    expect(underReview).toMatchObject({ state: "under_review", stage: "review", unitId: "duty_desk" });
    // Its own clock: 30 days from the request (Art. 35), rolled past rest days.
    const days = (underReview.replyDueAt.getTime() - clock.now.getTime()) / (24 * HOUR);
    expect(days).toBeGreaterThanOrEqual(30);
    expect(days).toBeLessThan(34);
    // The duty desk (the level above here) hears of it and answers within 30 days.
    expect((await r.rows("cadre.new_case", caseNo)).some((x) => x.chatId === duty)).toBe(true);
    expect(texts(await r.say(handler, `/reply ${caseNo} 维持`))).toMatch(/无权|没有找到/); // no longer the bureau's
    expect(texts(await r.say(duty, `/reply ${caseNo} 经复查，维持原处理意见`))).toMatch(/已答复/);
    const told = await r.rows("resident.status", caseNo);
    expect((await r.render(told[told.length - 1]!))!.text).toMatch(/复查意见：经复查，维持原处理意见[\s\S]*申请复核/);
    expect((await r.scheduler()).polls.sent).toContain(caseNo);
    await r.press(resident, `p:u:${caseNo}`);
    expect(texts(await r.say(resident, `复核 ${caseNo}`))).toMatch(/复核申请/);
    expect((await r.caseOf(caseNo)).stage).toBe("reexamination");
    await r.say(duty, `/reply ${caseNo} 经复核，维持，为最终意见`);
    await r.scheduler();
    const final = await r.press(resident, `p:u:${caseNo}`);
    expect(texts(final)).toMatch(/最终意见/);
    expect(texts(await r.say(resident, `复查 ${caseNo}`))).toMatch(/已经复核.*不再受理/);
    expect((await r.caseOf(caseNo)).state).toBe("closed");
  });

  it("should refuse a review asked for more than 30 days after the reply", async () => {
    const resident = id("late");
    const caseNo = await replied(resident);
    await r.scheduler();
    await r.press(resident, `p:b:${caseNo}`);
    later(24 * 32);
    expect(texts(await r.say(resident, `复查 ${caseNo}`))).toMatch(/超过申请期限/);
    expect((await r.caseOf(caseNo)).state).toBe("closed");
  });

  it("should send no polls to a resident who opted out, and close after the same delay", async () => {
    const resident = id("optout");
    const caseNo = await r.file(resident, "村口那条路全是坑，电动车摔了好几个人");
    expect(texts(await r.say(resident, "不再回访"))).toMatch(/不再向您发送/);
    await r.say(handler, `/accept ${caseNo}`);
    await r.say(handler, `/reply ${caseNo} 已修复`);
    expect((await r.scheduler()).polls.sent).not.toContain(caseNo);
    later(24 * 8);
    expect((await r.scheduler()).polls.closed).toContainEqual({ caseNo, reason: "opted_out" });
    expect(await r.rows("resident.poll", caseNo)).toHaveLength(0);
  });

  it("should let leaders list and unlist a case for supervision, not handlers", async () => {
    const caseNo = await r.file(id("sup"), "村口那条路全是坑，电动车摔了好几个人");
    expect(texts(await r.say(handler, `/supervise ${caseNo} 群众反映强烈`))).toMatch(/只有本单位领导或督办/);
    expect(texts(await r.say(leader, `/supervise ${caseNo} 群众反映强烈`))).toMatch(/已列入督办/);
    expect(await r.caseOf(caseNo)).toMatchObject({ supervised: true, supervisionReason: "manual" });
    expect(texts(await r.say(leader, "/supervised"))).toContain(caseNo);
    // The next morning's digest of the unit lists it under supervision.
    const day = new Date(Math.ceil(clock.now.getTime() / (24 * HOUR)) * 24 * HOUR + HOUR); // 09:00 Shanghai
    clock.now = day;
    await r.scheduler();
    const digest = (await r.h.db.outboxMessage.findMany({ where: { kind: "cadre.digest", chatId: leader }, orderBy: { createdAt: "desc" } }))[0]!;
    expect((digest.payload as { supervisedCases: string[] }).supervisedCases).toContain(caseNo);
    expect((await r.render(digest))!.text).toMatch(new RegExp(`督办件 \\d+：[\\s\\S]*${caseNo}`));
    expect(texts(await r.say(supervisor, `/unsupervise ${caseNo}`))).toMatch(/已撤销督办/);
    expect((await r.caseOf(caseNo)).supervised).toBe(false);
  });
});
