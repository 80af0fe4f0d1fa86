import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk, FollowUpDesk, frontDesk, type Conversation } from "../../src/chat/index.js";
import type { Reply } from "../../src/chat/message.js";
import { renderOutbox, runScheduler } from "../../src/notify/index.js";
import { calendar, freshPostgresUrl, harness, last, loadTexts, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";

describe.each(["sqlite", "postgresql"] as const)("repeat petitions and clusters on %s", (provider) => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") };
  let h: Harness;
  let desk: Conversation;
  let workflow: CaseWorkflow;
  const id = (s: string) => `${s}-${provider}-${Date.now().toString(36)}`;
  const handler = id("rh");
  const duty = id("rd");
  const say = (user: string, text: string) => desk.handle({ channel: "test", userId: user, text, receivedAt: clock.now });
  const press = (user: string, buttonId: string) => desk.handle({ channel: "test", userId: user, buttonId, receivedAt: clock.now });
  const texts = (r: Reply[]) => r.map((x) => x.text).join("\n");
  /** Fills the form up to the confirmation and confirms; returns the last reply. */
  const fill = async (user: string, text: string, place: string) => {
    for (const line of [text, "对", place, "跳过", "跳过", "跳过", "13800001234"]) await say(user, line);
    return last(await say(user, "确认"));
  };

  let pgDb: Awaited<ReturnType<typeof freshPostgresUrl>> | null = null;
  beforeAll(async () => {
    // A database of its own: the cadres bound here must not receive other files' notifications.
    pgDb = provider === "postgresql" ? await freshPostgresUrl() : null;
    h = await harness({ provider, url: pgDb?.url, now: () => clock.now });
    const t = await loadTexts();
    workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
    const cadres = new CadreDesk({ db: h.db, workflow, texts: t, timeZone: TZ, now: () => clock.now });
    const followUp = new FollowUpDesk({ db: h.db, workflow, texts: t, calendar, timeZone: TZ, now: () => clock.now, sessions: h.store });
    desk = frontDesk({ cadres: cadres, followUp: followUp, residents: h.engine });
    for (const [user, unit] of [[handler, "transport_bureau"], [duty, "duty_desk"]] as const) {
      const { code } = await cadres.invite(unit, "handler", user);
      await say(user, `/bind ${code}`);
    }
  });
  afterAll(async () => {
    await h?.close();
    await pgDb?.drop();
  });

  it("should ask before filing the same kind of matter at the same place, and link it to the open case instead of opening a duplicate", async () => {
    const resident = id("again");
    const first = (await fill(resident, "村口那条路全是坑，电动车摔了好几个人", "青山镇石桥村")).caseNo!;
    const asked = await fill(resident, "上次说的村口烂路还没修，今天又有人摔了", "青山镇石桥村");
    expect(asked.caseNo).toBeNull();
    expect(asked.text).toContain(first);
    expect(asked.buttons.map((b) => b.id)).toEqual(["same:yes", "same:no"]);
    const before = await h.db.case.count();
    const linked = await press(resident, "same:yes");
    expect(texts(linked)).toMatch(new RegExp(`并入原件 ${first}[\\s\\S]*不再重复立案`));
    expect(await h.db.case.count()).toBe(before); // no duplicate
    const c = await h.db.case.findUniqueOrThrow({ where: { caseNo: first } });
    const events = await h.db.caseEvent.findMany({ where: { caseId: c.id, type: "linked" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.note).toContain("今天又有人摔了"); // nothing the resident said is lost
    const notices = (await h.db.outboxMessage.findMany({ where: { kind: "cadre.linked" } })).filter((r) => (r.payload as { caseNo?: string }).caseNo === first);
    expect(notices.map((n) => n.chatId)).toContain(handler);
    // A double tap of "confirm" after linking adds nothing.
    await say(resident, "确认");
    expect(await h.db.caseEvent.count({ where: { caseId: c.id, type: "linked" } })).toBe(1);
  });

  it("should file a new case when the resident says it is a new problem, and not ask for another place", async () => {
    const resident = id("new");
    await fill(resident, "村口那条路全是坑，电动车摔了好几个人", "青山镇石桥村");
    const asked = await fill(resident, "石桥村的桥栏杆断了，小孩上学很危险", "青山镇石桥村");
    expect(asked.buttons.map((b) => b.id)).toContain("same:no");
    const filed = last(await press(resident, "same:no"));
    expect(filed.caseNo).toMatch(/^XF-/);
    const elsewhere = await fill(resident, "村里的路全是坑", "城关镇南门村");
    expect(elsewhere.caseNo).toMatch(/^XF-/); // another village: not asked
  });

  it("should mark a matter filed again after its case was closed as a repeat visit for the level above, and refuse a final one", async () => {
    const resident = id("repeat");
    const first = (await fill(resident, "村口那条路全是坑，电动车摔了好几个人", "青山镇石桥村")).caseNo!;
    await say(handler, `/accept ${first}`);
    await say(handler, `/reply ${first} 已补坑`);
    await runScheduler({ db: h.db, timeZone: TZ, workflow }, clock.now);
    await press(resident, `p:b:${first}`);
    await fill(resident, "村口的坑补了又坏了，还是老问题", "青山镇石桥村");
    const repeat = last(await press(resident, "same:yes"));
    expect(repeat.caseNo).toMatch(/^XF-/);
    expect(repeat.caseNo).not.toBe(first);
    expect(repeat.text).toMatch(new RegExp(`原件 ${first} 的重复信访，将由上一级单位核查`));
    const c = await h.db.case.findUniqueOrThrow({ where: { caseNo: repeat.caseNo! } });
    const earlier = await h.db.case.findUniqueOrThrow({ where: { caseNo: first } });
    expect(c).toMatchObject({ repeatOfCaseId: earlier.id, unitId: "duty_desk" });
    const note = (await h.db.outboxMessage.findMany({ where: { kind: "cadre.new_case", chatId: duty } })).find((r) => (r.payload as { caseNo?: string }).caseNo === repeat.caseNo);
    expect((await renderOutbox(note!, h.db, await loadTexts(), TZ))!.text).toMatch(/重复信访.*原件/);

    // After re-examination the matter is final: the same facts are answered with that.
    const final = (await fill(id("final"), "拆迁补偿款到现在还没给", "河东街道幸福社区")).caseNo!;
    await h.db.case.update({ where: { caseNo: final }, data: { state: "closed", stage: "reexamination" } });
    const owner = (await h.db.case.findUniqueOrThrow({ where: { caseNo: final } })).residentId;
    const identity = await h.db.channelIdentity.findFirstOrThrow({ where: { residentId: owner } });
    const count = await h.db.case.count();
    await fill(identity.externalId, "拆迁补偿款还是没给，我要继续反映", "河东街道幸福社区");
    const refused = last(await press(identity.externalId, "same:yes"));
    expect(refused.text).toMatch(/已经复核.*最终意见.*不再受理/);
    expect(await h.db.case.count()).toBe(count);
  });

  it("should group several residents' reports of one matter into a cluster the unit sees as one line", async () => {
    const text = (n: number) => `东岗村村口的石桥桥面塌了一个大洞，车过不去${"，".repeat(n)}`;
    const a = (await fill(id("c1"), text(0), "青山镇东岗村")).caseNo!;
    const b = (await fill(id("c2"), "东岗村村口石桥的桥面塌了个大洞，车都过不去了", "青山镇东岗村")).caseNo!;
    const c = (await fill(id("c3"), "东岗村村口那座石桥桥面塌了大洞，车子过不去", "青山镇东岗村")).caseNo!;
    const other = (await fill(id("c4"), "东岗村的路灯全坏了晚上很黑", "青山镇东岗村")).caseNo!;
    const rows = await h.db.case.findMany({ where: { caseNo: { in: [a, b, c, other] } } });
    const by = Object.fromEntries(rows.map((r) => [r.caseNo, r.clusterNo]));
    expect(by[a]).toBe(a);
    expect(by[b]).toBe(a);
    expect(by[c]).toBe(a);
    expect(by[other]).toBeNull();
    const list = texts(await say(handler, "/cases"));
    expect(list).toContain(a);
    expect(list).not.toContain(b);
    expect(list).toMatch(new RegExp(`${a}.*另有2件同一事项`));
    expect(texts(await say(handler, `/cluster ${a}`))).toMatch(new RegExp(`同一事项 ${a}（3件）[\\s\\S]*${b}[\\s\\S]*${c}`));
  });
});
