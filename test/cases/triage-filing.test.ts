import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService, CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk, frontDesk, triage, type Conversation, type Reply } from "../../src/chat/index.js";
import { renderOutbox } from "../../src/notify/index.js";
import { classifyTriage } from "../../src/triage/index.js";
import { DialogEngine } from "../../src/chat/resident/index.js";
import { calendar, harness, loadTexts, trainedNlu, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";

/** Answers whatever the form asks until a receipt comes; returns the replies of every turn. */
async function file(desk: Conversation, channel: string, userId: string, first: string, phone: string) {
  const answers: Record<string, string> = {
    location: "青山镇东街12号", occurredAt: "今天", demands: "尽快处理", name: "王先生", phone,
  };
  const turns: Reply[][] = [];
  let last: Reply | undefined;
  for (let step = 0; step < 15; step++) {
    const msg = !last ? { text: first }
      : last.buttons.some((b) => b.id === "confirm") ? { buttonId: "confirm" }
        : last.buttons.some((b) => b.id === "same:no") ? { buttonId: "same:no" }
          : last.expects === "category"
            ? { buttonId: last.buttons.find((b) => b.id.startsWith("cat:") && b.id !== "cat:more")!.id }
            : { text: answers[last.expects ?? ""] ?? "确认" };
    const replies = await desk.handle({ channel, userId, ...msg });
    turns.push(replies);
    last = replies[replies.length - 1];
    if (last?.caseNo) return turns;
  }
  throw new Error(`no receipt; last reply: ${last?.text}`);
}

const caseNoOf = (turns: Reply[][]) => turns.at(-1)!.at(-1)!.caseNo!;
const phone = () => `139${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;

describe("a case filed after triage", () => {
  let h: Harness;
  let desk: Conversation;
  let cadres: CadreDesk;
  const channel = `chan-${randomUUID().slice(0, 8)}`;
  const leader = `leader-${randomUUID().slice(0, 8)}`;
  const supervisor = `super-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    h = await harness();
    const texts = await loadTexts();
    const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
    cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: TZ });
    const before = [triage({ classify: classifyTriage, alerts: h.cases, texts })];
    desk = frontDesk({ cadres, before, residents: h.engine });
    for (const [user, role] of [[leader, "leader"], [supervisor, "supervisor"]] as const) {
      const { code } = await cadres.invite("duty_desk", role, role);
      expect((await desk.handle({ channel, userId: user, text: `/bind ${code}` }))[0]!.text).toMatch(/绑定成功/);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it("should be red and supervised from intake after an emergency, with the reason in its history", async () => {
    const tel = phone();
    const turns = await file(desk, channel, "gas-resident", "煤气泄漏了，楼道里全是味道", tel);
    expect(turns[0]![0]!.text).toContain("119");
    const caseNo = caseNoOf(turns);
    const details = (await h.cases.show(caseNo))!;
    expect(details.colour).toBe("red");
    expect(details.followUp.supervised).toBe(true);
    const row = await h.db.case.findUniqueOrThrow({ where: { caseNo } });
    expect(row.supervisionReason).toBe("danger");
    expect(row.supervisedAt?.getTime()).toBe(row.receivedAt.getTime());
    const supervised = details.events.find((e) => e.type === "supervised");
    expect(supervised).toMatchObject({ actor: "system", note: "danger:emergency:gas" });
  });

  it("should give the duty desk the case number, place and contact in a follow-up alert, high priority", async () => {
    const tel = phone();
    const caseNo = caseNoOf(await file(desk, channel, "gas-resident-2", "煤气泄漏了，楼道里全是味道", tel));
    const rows = await h.db.outboxMessage.findMany({ where: { kind: "cadre.alert_case", chatId: leader } });
    const row = rows.find((r) => (r.payload as { caseNo?: string }).caseNo === caseNo)!;
    expect(row.priority).toBeGreaterThan(0);
    const texts = await loadTexts();
    const text = (await renderOutbox(row, h.db, texts, TZ))!.text;
    expect(text).toContain(caseNo);
    expect(text).toContain("青山镇东街12号");
    expect(text).toContain(tel);
    expect(text).toMatch(/红色并挂牌督办/);
    // In a group the phone is masked.
    const inGroup = { ...row, payload: { ...(row.payload as object), audience: "group" } };
    const group = (await renderOutbox(inGroup, h.db, texts, TZ))!.text;
    expect(group).not.toContain(tel);
  });

  it("should make a case supervised when a threat came in the middle of its form", async () => {
    const user = "knife-resident";
    await desk.handle({ channel, userId: user, text: "村口那条路全是坑，电动车摔了好几个人" });
    expect((await desk.handle({ channel, userId: user, text: "他说要拿刀砍我，现在就在门口" }))[0]!.text).toContain("110");
    const caseNo = caseNoOf(await file(desk, channel, user, "对", phone()));
    const details = (await h.cases.show(caseNo))!;
    expect(details.colour).toBe("red");
    expect(details.events.find((e) => e.type === "supervised")?.note).toMatch(/^danger:/);
  });

  it("should leave an ordinary case after an emergency was filed alone: a note serves one case", async () => {
    const user = "gas-then-more";
    await file(desk, channel, user, "煤气泄漏了，楼道里全是味道", phone());
    const caseNo = caseNoOf(await file(desk, channel, user, "小区垃圾没人清运，臭得很", phone()));
    const details = (await h.cases.show(caseNo))!;
    expect(details.followUp.supervised).toBe(false);
    expect(details.events.map((e) => e.type)).not.toContain("supervised");
  });

  it("should not supervise an ordinary case nor name a procedure", async () => {
    const caseNo = caseNoOf(await file(desk, channel, "plain-resident", "村口路灯坏了半个月，晚上很黑", phone()));
    const row = await h.db.case.findUniqueOrThrow({ where: { caseNo } });
    expect(row.supervised).toBe(false);
    expect(row.advisedProcedure).toBeNull();
    const followUps = await h.db.outboxMessage.findMany({ where: { kind: "cadre.alert_case" } });
    expect(followUps.length).toBeGreaterThan(0); // the earlier tests' emergencies
    expect(followUps.filter((r) => (r.payload as { caseNo?: string }).caseNo === caseNo)).toHaveLength(0);
  });

  it("should record the procedure the resident was told of when they still file, on the case card", async () => {
    const turns = await file(desk, channel, "court-resident", "法院判决不公，我要求重新审理我家的宅基地纠纷", phone());
    expect(turns[0]![0]!.text).toMatch(/上诉或申请再审/);
    const caseNo = caseNoOf(turns);
    const row = await h.db.case.findUniqueOrThrow({ where: { caseNo } });
    expect(row.advisedProcedure).toBe("court");
    expect(row.supervised).toBe(false);
    expect((await h.cases.show(caseNo))!.events.find((e) => e.type === "procedure_advised")?.note).toBe("court");
    const texts = await loadTexts();
    const cardIn = (locale: string) =>
      renderOutbox({ id: "x", kind: "cadre.new_case", channel, chatId: "x", payload: { caseNo, locale } },
        h.db, texts, TZ);
    expect((await cardIn("zh-CN"))!.text).toMatch(/【诉访分离】登记前已告知群众可通过诉讼程序（法院）解决/);
    const en = await cardIn("en");
    expect(en!.text).toMatch(/\[Other procedure\].*court proceedings/);
    const shown = await desk.handle({ channel, userId: supervisor, text: `/case ${caseNo}` });
    expect(shown[0]!.text).toMatch(/诉访分离/);
  });
});

for (const provider of ["sqlite", "postgresql"] as const) {
  describe(`the daily case limit (${provider})`, () => {
    let h: Harness;
    let limited: CaseService;
    let desk: Conversation;
    const LIMIT = 5;

    beforeAll(async () => {
      h = await harness({ provider });
      limited = new CaseService({
        repository: h.repository, calendar, timeZone: TZ, prefix: "XF", dailyCaseLimit: LIMIT,
      });
      desk = new DialogEngine({ texts: await loadTexts(), nlu: trainedNlu(), store: h.store, desk: limited });
    });
    afterAll(async () => {
      await h.close();
    });

    const submit = (channel: string, userId: string, tel: string | undefined, receivedAt = new Date()) =>
      limited.submit({
        key: randomUUID(), channel, userId, chatId: userId, locale: "zh-CN", receivedAt,
        form: {
          description: `河口村的水渠堵了，田里灌不上水 ${randomUUID().slice(0, 4)}`, category: "agri_forestry_water",
          location: "青山镇河口村", phone: tel,
        },
      });

    it("should refuse a sixth case of the day kindly with the open cases; nothing filed or pushed", async () => {
      const user = `tg-${randomUUID().slice(0, 8)}`;
      const tel = phone();
      const filed: string[] = [];
      for (let i = 0; i < LIMIT; i++) filed.push((await submit("telegram", user, tel)).caseNo);
      const cases = await h.db.case.count();
      const outbox = await h.db.outboxMessage.count();
      const turns = await file(desk, "telegram", user, "小区垃圾没人清运，臭得很", tel).catch((e: Error) => e);
      expect(turns).toBeInstanceOf(Error); // no receipt comes
      const replies = await desk.handle({ channel: "telegram", userId: user, buttonId: "confirm" });
      const text = replies.at(-1)!.text;
      expect(text).toMatch(/今天您已登记 5 件事项/);
      for (const caseNo of filed) expect(text).toContain(caseNo);
      expect(replies.at(-1)!.buttons.map((b) => b.id)).toContain("confirm"); // the answers stay
      expect(await h.db.case.count()).toBe(cases);
      expect(await h.db.outboxMessage.count()).toBe(outbox);
    });

    it("should count one phone across identities (Telegram + web) and answer in English", async () => {
      const tel = phone();
      for (let i = 0; i < 3; i++) await submit("telegram", `tg-${randomUUID().slice(0, 8)}`, tel);
      for (let i = 0; i < 2; i++) await submit("web", `web-${randomUUID().slice(0, 8)}`, tel);
      await expect(submit("web", `web-${randomUUID().slice(0, 8)}`, tel))
        .rejects.toMatchObject({ code: "CASE.DAILY_LIMIT", limit: 5 });
      // A phone the resident gave before counts when the form has none.
      const user = `web-${randomUUID().slice(0, 8)}`;
      const other = phone();
      await submit("web", user, other);
      for (let i = 0; i < 4; i++) await submit("telegram", `tg-${randomUUID().slice(0, 8)}`, other);
      await expect(submit("web", user, undefined)).rejects.toMatchObject({ code: "CASE.DAILY_LIMIT" });
      const en = `web-en-${randomUUID().slice(0, 8)}`;
      const third = phone();
      for (let i = 0; i < LIMIT; i++) await submit("telegram", `tg-${randomUUID().slice(0, 8)}`, third);
      const street = "The street light outside number 14 Elm Road has been broken for three weeks";
      expect(await file(desk, "web", en, street, third).catch(() => null)).toBeNull(); // no receipt comes
      const text = (await desk.handle({ channel: "web", userId: en, buttonId: "confirm" })).at(-1)!.text;
      expect(text).toMatch(/You have filed 5 petitions today/);
    });

    it("should file again the next day, and for another resident with another phone the same day", async () => {
      const user = `tg-${randomUUID().slice(0, 8)}`;
      const tel = phone();
      for (let i = 0; i < LIMIT; i++) await submit("telegram", user, tel);
      await expect(submit("telegram", user, tel)).rejects.toMatchObject({ code: "CASE.DAILY_LIMIT" });
      expect((await submit("telegram", `tg-${randomUUID().slice(0, 8)}`, phone())).caseNo).toMatch(/^XF-/);
      expect((await submit("telegram", user, tel, new Date(Date.now() + 86_400_000))).caseNo).toMatch(/^XF-/);
    });

    it("should stop a web resident's burst of 19 cases at 5: the other 14 file nothing", async () => {
      const user = `web-${randomUUID().slice(0, 8)}`;
      const outcomes = [];
      for (let i = 0; i < 19; i++) {
        outcomes.push(await submit("web", user, phone()).then((r) => r.caseNo, (e: { code: string }) => e.code));
      }
      const filed = outcomes.filter((o) => o.startsWith("XF-"));
      expect(filed).toHaveLength(5);
      expect(outcomes.filter((o) => o === "CASE.DAILY_LIMIT")).toHaveLength(14);
      const resident = (await h.repository.residentIdOf("web", user))!;
      expect(await h.db.case.count({ where: { residentId: resident } })).toBe(5);
    });

    it("should not limit Open311 filings, which come from one platform for many residents", async () => {
      const tel = phone();
      for (let i = 0; i < LIMIT + 2; i++) {
        expect((await submit("open311", "hotline-platform", tel)).caseNo).toMatch(/^XF-/);
      }
    });

    it("should still link a resident's addition to an open case at the limit (no new case)", async () => {
      const user = `tg-${randomUUID().slice(0, 8)}`;
      const tel = phone();
      const first = (await submit("telegram", user, tel)).caseNo;
      for (let i = 1; i < LIMIT; i++) await submit("telegram", user, tel);
      const linked = await limited.submit({
        key: randomUUID(), channel: "telegram", userId: user, chatId: user, locale: "zh-CN", receivedAt: new Date(),
        form: { description: "水渠还是堵着", category: "agri_forestry_water", location: "青山镇河口村", phone: tel, sameAs: first },
      });
      expect(linked).toMatchObject({ caseNo: first, disposition: "linked" });
    });
  });
}

describe("a first message of 20,000 characters", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it("should be cut to the case's 4,000 characters, the resident told so, in both languages", async () => {
    const texts = await loadTexts();
    const desk = frontDesk({
      cadres: new CadreDesk({
        db: h.db, workflow: new CaseWorkflow({ db: h.db, calendar, timeZone: TZ }), texts, timeZone: TZ,
      }),
      before: [triage({ classify: classifyTriage, alerts: h.cases, texts })], residents: h.engine,
    });
    const long = "工厂排放废水污染河道，鱼都死了。".repeat(1250);
    expect(long).toHaveLength(20_000);
    const turns = await file(desk, "test", "long-zh", long, phone());
    expect(turns[0]!.map((r) => r.text).join("\n")).toMatch(/内容较长，已保存前 4000 个字/);
    const c = await h.db.case.findUniqueOrThrow({ where: { caseNo: caseNoOf(turns) } });
    expect(c.description).toHaveLength(4000);
    expect(long.startsWith(c.description)).toBe(true);
    const english = "The factory pours waste water into the river. ".repeat(435);
    const en = await desk.handle({ channel: "test", userId: "long-en", text: english });
    expect(en.map((r) => r.text).join("\n")).toMatch(/the first 4000 characters were kept/);
  });
});
