import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow, PersonalDataStore } from "../../../src/cases/index.js";
import { computeLedger } from "../../../src/cases/ledger.js";
import {
  CadreDesk,
  ERASE_NO,
  ERASE_YES,
  FollowUpDesk,
  dataRights,
  frontDesk,
  type Reply,
} from "../../../src/chat/index.js";
import { runScheduler } from "../../../src/notify/index.js";
import { FORM_ANSWERS, calendar, fileComplaint, freshPostgresUrl, harness, last, loadTexts } from "../../helpers.js";

const TZ = "Asia/Shanghai";
const PHONE = "13800001234";

/** The front desk as main.ts composes it (data rights before the form), on a database of its own. */
async function rig(provider: "sqlite" | "postgresql", clock: { now: Date }) {
  const pgDb = provider === "postgresql" ? await freshPostgresUrl() : null;
  const h = await harness({ provider, url: pgDb?.url, now: () => clock.now });
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
  const cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: TZ, now: () => clock.now });
  const followUp = new FollowUpDesk({
    db: h.db,
    workflow,
    texts,
    calendar,
    timeZone: TZ,
    now: () => clock.now,
    sessions: h.store,
  });
  const store = new PersonalDataStore(h.db);
  const rights = dataRights({ desk: store, texts, timeZone: TZ, now: () => clock.now });
  const desk = frontDesk({ cadres, followUp, before: [rights], residents: h.engine });
  const say = (user: string, text: string) =>
    desk.handle({ channel: "test", userId: user, text, receivedAt: clock.now });
  const press = (user: string, buttonId: string) =>
    desk.handle({ channel: "test", userId: user, buttonId, receivedAt: clock.now });
  /** Files a complaint, answering whatever the form asks (the first message may already give the time). */
  const file = async (user: string, text: string, place = "青山镇石桥村") =>
    (await fileComplaint((t) => say(user, t), (b) => press(user, b), text, { ...FORM_ANSWERS, location: place, phone: PHONE }))!;
  const operator = { kind: "operator" as const, id: "test-operator" };
  const scheduler = () =>
    runScheduler({ db: h.db, timeZone: TZ, workflow, poll: { reminderHours: 48, closeDays: 7 } }, clock.now);
  const ledger = async () =>
    Promise.all(
      (["town", "village", "unit", "category", undefined] as const).map((by) =>
        computeLedger(h.db, { from: "2026-01-01", to: "2026-12-31", by, now: clock.now, timeZone: TZ }),
      ),
    );
  const close = async () => {
    await h.close();
    await pgDb?.drop();
  };
  return { h, workflow, say, press, file, operator, scheduler, ledger, close };
}

const text = (replies: Reply[]) => replies.map((r) => r.text).join("\n");

describe.each(["sqlite", "postgresql"] as const)("erasure in the chat on %s", (provider) => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") };
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => {
    r = await rig(provider, clock);
  }, 180_000); // builds the classifier; slow on a shared machine
  afterAll(async () => {
    await r?.close();
  });

  it("should ask, erase closed cases' text and contact data, keep the ledger, erase open ones once closed", async () => {
    const user = `erase-${provider}`;
    // A closed case, answered and commented on, and an open one.
    const closedNo = await r.file(user, "村口那条路全是坑，电动车摔了好几个人");
    await r.workflow.transition(closedNo, "accept", r.operator, {}, clock.now);
    await r.workflow.transition(closedNo, "reply", r.operator, { note: "已安排施工队补坑，联系王先生核实" }, clock.now);
    expect((await r.scheduler()).polls.sent).toContain(closedNo);
    await r.press(user, `p:s:${closedNo}`);
    await r.press(user, `p:c:${closedNo}`);
    await r.say(user, "施工队态度很好，谢谢");
    const openNo = await r.file(user, "小区门口的垃圾桶一个星期没人清理，臭味很大", "白沙镇东湖村");
    const ledgerBefore = await r.ledger();

    // "My data": name, the phone's last 4 only, channels, cases.
    const mine = text(await r.say(user, "我的个人信息"));
    expect(mine).toContain("王先生");
    expect(mine).toContain("*******1234");
    expect(mine).not.toContain(PHONE);
    expect(mine).toContain(closedNo);
    expect(mine).toContain(openNo);
    expect(mine).toMatch(/联系渠道：1 个/);

    const ask = last(await r.say(user, "删除我的个人信息"));
    expect(ask.buttons.map((b) => b.id)).toEqual([ERASE_YES, ERASE_NO]);
    // Nothing erased by asking.
    expect((await r.h.db.case.findUniqueOrThrow({ where: { caseNo: closedNo } })).description).toContain("村口");

    const done = text(await r.press(user, ERASE_YES));
    expect(done).toMatch(/已删除/);
    expect(done).toContain(openNo); // kept until it closes
    // A double tap erases nothing more and says the confirmation is used up.
    expect(text(await r.press(user, ERASE_YES))).toMatch(/已失效/);

    const resident = await r.h.db.resident.findFirstOrThrow({
      where: { cases: { some: { caseNo: closedNo } } },
      include: { identities: true },
    });
    expect(resident).toMatchObject({ name: null, phone: null, erasedAt: null });
    expect(resident.erasureRequestedAt).not.toBeNull();
    expect(resident.identities).toHaveLength(1); // the open case's reply and poll still need the chat
    const closed = await r.h.db.case.findUniqueOrThrow({ where: { caseNo: closedNo }, include: { events: true } });
    expect(closed).toMatchObject({
      description: "",
      demands: null,
      location: null,
      contactName: null,
      contactPhone: null,
      replyText: null,
      satisfactionComment: null,
      chatId: "",
      state: "closed",
      category: "transport",
      town: "青山镇",
      village: "石桥村",
      satisfaction: "satisfied",
      firstSatisfaction: "satisfied",
    });
    expect(closed.anonymisedAt).not.toBeNull();
    const history = JSON.stringify(closed.events.map((e) => [e.note, e.data]));
    for (const words of ["施工队", "王先生", "谢谢", PHONE]) expect(history).not.toContain(words);
    expect(closed.events.map((e) => e.type)).toContain("anonymised");
    expect(await r.h.db.dialogSession.count({ where: { key: `test:${user}` } })).toBe(0);
    const open = await r.h.db.case.findUniqueOrThrow({ where: { caseNo: openNo } });
    expect(open).toMatchObject({ contactPhone: PHONE, contactName: "王先生", anonymisedAt: null });
    expect(open.description).toContain("垃圾桶");
    const audit = await r.h.db.outboxMessage.findMany({ where: { kind: "staff.erasure" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.payload)).not.toMatch(/王先生|13800001234|村口/);

    // The ledger's figures do not depend on the erased text.
    expect(await r.ledger()).toEqual(ledgerBefore);

    // Until it closes the open case is handled as usual; once closed the scheduler finishes the erasure.
    expect((await r.scheduler()).erasures).toEqual([]);
    await r.workflow.transition(openNo, "accept", r.operator, {}, clock.now);
    await r.workflow.transition(openNo, "reply", r.operator, { note: "已清运" }, clock.now);
    await r.workflow.transition(openNo, "close", r.operator, {}, clock.now);
    const run = await r.scheduler();
    expect(run.erasures).toEqual([{ residentId: resident.id, anonymised: 1, complete: true }]);
    expect(await r.h.db.case.findUniqueOrThrow({ where: { caseNo: openNo } })).toMatchObject({
      description: "",
      contactPhone: null,
      replyText: null,
    });
    const after = await r.h.db.resident.findUniqueOrThrow({
      where: { id: resident.id },
      include: { identities: true },
    });
    expect(after.identities).toEqual([]);
    expect(after.erasedAt).not.toBeNull();
    expect((await r.scheduler()).erasures).toEqual([]); // done once
    expect(text(await r.say(user, "my data"))).toMatch(/no personal data|没有保存/);
  });
});

describe("the erasure confirmation", () => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") };
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => {
    r = await rig("sqlite", clock);
  }, 180_000); // builds the classifier; slow on a shared machine
  afterAll(async () => {
    await r?.close();
  });
  const nameOf = async (user: string) =>
    (await r.h.db.channelIdentity.findFirst({ where: { externalId: user }, include: { resident: true } }))?.resident
      .name;

  it("should keep everything on no, drop the request on any other message, and erase on a typed 是", async () => {
    const user = "confirm-1";
    await r.file(user, "楼下的路灯坏了一个月了，晚上很黑");
    await r.say(user, "删除我的个人信息");
    expect(text(await r.say(user, "不"))).toMatch(/没有删除/);
    expect(text(await r.press(user, ERASE_YES))).toMatch(/已失效/);
    expect(await nameOf(user)).toBe("王先生");

    // Anything else drops the request and goes on to the form; a later 是 is the form's, not an erasure.
    await r.say(user, "delete my data");
    const other = await r.say(user, "工地晚上施工噪音太大");
    expect(other[0]!.text).toMatch(/cancelled|已取消/);
    expect(other.length).toBeGreaterThan(1);
    await r.say(user, "是");
    expect(await nameOf(user)).toBe("王先生");
    await r.say(user, "取消");

    await r.say(user, "/erase");
    expect(text(await r.say(user, "是"))).toMatch(/已删除/);
    expect(await nameOf(user)).toBeNull(); // the name is gone; the open case keeps the chat for its reply
  });

  it("should let the confirmation expire", async () => {
    const user = "confirm-2";
    await r.file(user, "河道里有人倾倒建筑垃圾，水都变黑了");
    await r.say(user, "删除我的个人信息");
    clock.now = new Date(clock.now.getTime() + 11 * 60_000);
    expect(text(await r.press(user, ERASE_YES))).toMatch(/已失效/);
    expect(await nameOf(user)).toBe("王先生");
  });

  it("should tell a resident with nothing stored so, without asking", async () => {
    const replies = await r.say("never-filed", "删除我的个人信息");
    expect(text(replies)).toMatch(/没有保存/);
    expect(replies[0]!.buttons).toEqual([]);
  });
});
