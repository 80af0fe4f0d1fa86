import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../../src/cases/index.js";
import { CadreDesk, frontDesk, type Conversation, type Reply } from "../../../src/chat/index.js";
import { triage, type AlertDesk } from "../../../src/chat/middleware/triage.js";
import { formInProgress } from "../../../src/chat/resident/index.js";
import type { DangerAlert } from "../../../src/domain/index.js";
import { OutboxRunner, renderOutbox } from "../../../src/notify/index.js";
import { classifyTriage } from "../../../src/triage/index.js";
import { calendar, harness, loadTexts, type Harness } from "../../helpers.js";

let h: Harness;
let desk: Conversation;
let cadres: CadreDesk;
const DUTY = "duty-officer-1";

beforeAll(async () => {
  h = await harness();
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: "Asia/Shanghai" });
  const inForm = async (msg: { channel: string; userId: string }) => formInProgress(await h.engine.peek(msg.channel, msg.userId));
  desk = frontDesk({ cadres, before: [triage({ classify: classifyTriage, alerts: h.cases, texts, inForm, hotline: "12345" })], residents: h.engine });
  const { code } = await cadres.invite("duty_desk", "leader", "值班长");
  expect((await desk.handle({ channel: "test", userId: DUTY, text: `/bind ${code}` }))[0]!.text).toMatch(/绑定成功/);
});
afterAll(async () => {
  await h.close();
});

const say = (userId: string, text: string) => desk.handle({ channel: "test", userId, text });
const alerts = (kind = "cadre.alert") => h.db.outboxMessage.findMany({ where: { kind }, orderBy: { createdAt: "asc" } });

describe("triage before the form", () => {
  it("should answer a gas leak with 119 at once, alert the duty officer, and let the resident go on reporting", async () => {
    const before = (await alerts()).length;
    const replies = await say("gas-1", "煤气泄漏了，楼道里全是味道");
    expect(replies[0]!.text).toContain("119");
    expect(replies.length).toBeGreaterThan(1); // the form follows the emergency reply
    const rows = await alerts();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)!.chatId).toBe(DUTY);
    // The duty officer's message, rendered as the outbox sends it: the words, the number given.
    const sent: Reply[] = [];
    const texts = await loadTexts();
    const runner = new OutboxRunner({
      db: h.db, deliverers: new Map([["test", async (_chatId, reply) => (sent.push(reply), "sent")]]),
      render: (row) => renderOutbox(row, h.db, texts, "Asia/Shanghai"),
    });
    await runner.runOnce(new Date(Date.now() + 1000));
    const alert = sent.find((r) => r.text.includes("煤气泄漏"));
    expect(alert?.text).toMatch(/紧急情况｜危及生命/);
    expect(alert?.text).toContain("119");
  });

  it("should answer someone about to jump with 110 and the 12356 line, alert, and open no form", async () => {
    const before = (await alerts()).length;
    const replies = await say("jump-1", "有人要跳楼了，就在我们小区楼顶");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/110/);
    expect(replies[0]!.text).toMatch(/12356/);
    expect(replies[0]!.expects).toBeNull();
    expect((await alerts()).length).toBe(before + 1);
  });

  it("should answer a threat to burn the office calmly, alert, and not open a land-acquisition form", async () => {
    const before = (await alerts()).length;
    const replies = await say("threat-1", "再不给说法我就带上汽油把你们都烧了");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.buttons).toEqual([]);
    expect(replies[0]!.text).not.toMatch(/征地拆迁/);
    const rows = await alerts();
    expect(rows.length).toBe(before + 1);
    expect((rows.at(-1)!.payload as { kind: string }).kind).toBe("threat");
  });

  it("should answer a knife threat from someone else with 110, mid-form too", async () => {
    await say("knife-1", "村口那条路全是坑");
    const replies = await say("knife-1", "他说要拿刀砍我，现在就在门口");
    expect(replies[0]!.text).toContain("110");
  });

  it("should leave an ordinary complaint that mentions a past fire to the form, with no alert", async () => {
    const before = (await alerts()).length;
    const replies = await say("past-1", "上个月楼里着火以后，物业一直没修消防栓");
    expect(replies[0]!.text).not.toContain("119");
    expect((await alerts()).length).toBe(before);
  });

  it("should still answer with the emergency number when the alert cannot be queued", async () => {
    const broken: AlertDesk = { raiseAlert: async (_a: DangerAlert) => { throw new Error("database is down"); } };
    const texts = await loadTexts();
    const lonely = frontDesk({ cadres, before: [triage({ classify: classifyTriage, alerts: broken, texts })], residents: h.engine });
    const replies = await lonely.handle({ channel: "test", userId: "fire-1", text: "着火了！三楼着火了快来人" });
    expect(replies[0]!.text).toContain("119");
  });

  it("should answer in English when the resident writes English", async () => {
    const replies = await say("en-1", "there is a gas leak in my building, smells everywhere");
    expect(replies[0]!.text).toMatch(/call 119/);
  });

  it("should deliver the alert at once when nudged, not at the runner's next poll", async () => {
    const texts = await loadTexts();
    const sent: string[] = [];
    const runner = new OutboxRunner({
      db: h.db, deliverers: new Map([["test", async (_chatId, reply) => (sent.push(reply.text), "sent")]]),
      render: (row) => renderOutbox(row, h.db, texts, "Asia/Shanghai"),
    });
    await runner.start(600_000); // polls every 10 minutes
    await new Promise((r) => setTimeout(r, 300)); // its first run is over
    const nudged = frontDesk({ cadres, before: [triage({ classify: classifyTriage, alerts: h.cases, texts, onAlert: () => runner.nudge() })], residents: h.engine });
    await nudged.handle({ channel: "test", userId: "nudge-1", text: "快来人啊，有人晕倒了没有呼吸" });
    for (let i = 0; i < 50 && !sent.some((t) => t.includes("晕倒")); i++) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    expect(sent.some((t) => t.includes("晕倒") && t.includes("120"))).toBe(true);
  });

  it("should answer 'how is my case going' with the resident's cases, not a new form", async () => {
    expect((await say("status-1", "我的案子办得怎么样了"))[0]!.text).toMatch(/还没有登记过/);
    await say("status-2", "村口路灯坏了半个月");
    const replies = await say("status-2", "我上次反映的问题有结果了吗");
    expect(replies.some((r) => /还没有登记过|最近登记/.test(r.text))).toBe(true);
    expect(replies.at(-1)!.expects).not.toBeNull(); // and the form's question again
  });

  it("should queue an audit row, with personal data masked, even when nobody is on duty", async () => {
    const rows = await alerts("staff.alert");
    expect(rows.length).toBeGreaterThanOrEqual(3);
    await say("phone-1", "煤气泄漏了，我电话13800001234");
    const last = (await alerts("staff.alert")).at(-1)!;
    expect(JSON.stringify(last.payload)).not.toContain("13800001234");
  });

  it("should answer abuse alone, questions, small talk and spam without a form or a case, and never echo spam", async () => {
    const cases = await h.db.case.count();
    const cases0 = [
      ["abuse-1", "狗官，你们都是废物", /依法信访/],
      ["question-1", "你们几点下班", /12345/],
      ["chat-1", "你是机器人吗", /登记助手/],
      ["spam-1", "代开发票 微信同号 13800001234", /只受理信访事项/],
    ] as const;
    for (const [user, text, expected] of cases0) {
      const replies = await say(user, text);
      expect(replies, text).toHaveLength(1);
      expect(replies[0]!.text, text).toMatch(expected);
      expect(replies[0]!.expects, text).toBeNull();
      expect(replies[0]!.text).not.toContain("13800001234");
      expect(await h.engine.peek("test", user), text).toSatisfy((st: unknown) => !formInProgress(st as never));
    }
    expect(await h.db.case.count()).toBe(cases);
  });

  it("should still open the form for a complaint the rules misread as abuse or spam (it names a matter)", async () => {
    for (const [user, text] of [["misread-1", "河边有人偷偷倒建筑垃圾"], ["misread-2", "路面塌陷 人民路 https://example.com/a?b=1&c=2"]] as const) {
      const reading = classifyTriage(text);
      expect(["abuse", "not_petition"], text).toContain(reading.kind); // what the rules read
      await say(user, text);
      expect(formInProgress(await h.engine.peek("test", user)), text).toBe(true);
    }
  });

  it("should tell the competent procedure before the form for court, arbitration, reconsideration and discipline matters, and still let the resident file", async () => {
    const examples = [
      ["court-1", "法院判决不公，我要求重新审理我家的宅基地纠纷", /上诉或申请再审/],
      ["arb-1", "劳动仲裁裁决我不服，公司还是不给钱", /仲裁委员会/],
      ["recon-1", "我对城管的罚款决定不服，罚得太重了", /行政复议/],
      ["disc-1", "村主任贪污低保款，收受贿赂", /12388/],
    ] as const;
    for (const [user, text, expected] of examples) {
      const replies = await say(user, text);
      expect(replies[0]!.text, text).toMatch(expected);
      expect(replies[0]!.text, text).toContain("仍希望由我们登记");
      expect(replies.length, text).toBeGreaterThan(1); // the form goes on after the advice
      expect(formInProgress(await h.engine.peek("test", user)), text).toBe(true);
    }
  });

  it("should take a question typed in the middle of a form as the form's answer, not as small talk", async () => {
    const user = "mid-form-1";
    await say(user, "村口那条路全是坑，电动车摔了好几个人");
    await say(user, "对");
    const replies = await say(user, "在哪");
    expect(replies.map((r) => r.text).join("\n")).not.toMatch(/登记助手|只受理信访事项|12345 政务服务/);
    expect(formInProgress(await h.engine.peek("test", user))).toBe(true);
  });
});

