import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import { ENQUIRY_MAX_FAILURES, enquiryCodeHash } from "../../src/cases/enquiry.js";
import { CadreDesk, FollowUpDesk, frontDesk, type Conversation } from "../../src/chat/index.js";
import type { Reply } from "../../src/chat/message.js";
import { formatCaseNumber, toLocalDate } from "../../src/domain/index.js";
import { calendar, freshPostgresUrl, harness, loadTexts, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";
const CODE = /查询码：([A-HJ-KM-NP-Z2-9]{6})/;

describe.each(["sqlite", "postgresql"] as const)("enquiry codes (查询码) on %s", (provider) => {
  let h: Harness;
  let desk: Conversation;
  let workflow: CaseWorkflow;
  let pg: Awaited<ReturnType<typeof freshPostgresUrl>> | null = null;
  const uid = (s: string) => `${s}-${provider}-${Math.random().toString(36).slice(2, 9)}`;
  const say = (channel: string, user: string, text: string) => desk.handle({ channel, userId: user, text });
  const press = (channel: string, user: string, buttonId: string) => desk.handle({ channel, userId: user, buttonId });
  const all = (r: Reply[]) => r.map((x) => x.text).join("\n");
  /** Files a case on Telegram as `user`; returns its number and the code from the receipt. */
  const file = async (user: string) => {
    for (const line of ["村口那条路全是坑，电动车摔了好几个人", "对", "青山镇石桥村", "跳过", "跳过", "跳过", "13800001234"]) await say("telegram", user, line);
    const receipt = await say("telegram", user, "确认");
    const caseNo = receipt.map((r) => r.caseNo).find(Boolean)!;
    const code = CODE.exec(all(receipt))?.[1];
    expect(caseNo).toBeTruthy();
    expect(code, all(receipt)).toBeTruthy();
    return { caseNo, code: code! };
  };

  beforeAll(async () => {
    pg = provider === "postgresql" ? await freshPostgresUrl() : null;
    h = await harness({ provider, url: pg?.url });
    const texts = await loadTexts();
    workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
    const cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: TZ });
    const followUp = new FollowUpDesk({ db: h.db, workflow, texts, calendar, timeZone: TZ, sessions: h.store });
    desk = frontDesk({ cadres, followUp, residents: h.engine });
  });
  afterAll(async () => {
    await h?.close();
    await pg?.drop();
  });

  it("should print a random code on the receipt and store only its hash", async () => {
    const a = await file(uid("res"));
    const b = await file(uid("res"));
    expect(a.code).not.toBe(b.code);
    const row = await h.db.case.findUniqueOrThrow({ where: { caseNo: a.caseNo } });
    expect(row.enquiryCodeHash).toBe(enquiryCodeHash(row.submissionKey, a.code));
    // The code itself is nowhere in the database: not in the case, its events, the outbox or the dialog sessions.
    const dump = JSON.stringify([row, await h.db.caseEvent.findMany({ where: { caseId: row.id } }), await h.db.outboxMessage.findMany(), await h.db.dialogSession.findMany()]);
    expect(dump).not.toContain(a.code);
  });

  it("should let a second device reach the case with number and code, then answer its poll and see it in the list", async () => {
    const owner = uid("owner");
    const { caseNo, code } = await file(owner);
    const phone2 = uid("web");
    // Without the code a stranger learns nothing, not even that the number exists.
    expect(all(await say("web", phone2, `查询 ${caseNo}`))).toContain("没有找到您可以查看的编号");
    const found = all(await say("web", phone2, `查询 ${caseNo} 码 ${code.toLowerCase()}`));
    expect(found).toContain(`编号：${caseNo}`);
    expect(found).toContain("查询码正确");
    expect(all(await say("web", phone2, "查询"))).toContain(caseNo);
    expect(all(await say("web", phone2, `查询 ${caseNo}`))).toContain(`编号：${caseNo}`);
    // The unit replies; the second device answers the poll for the resident.
    await workflow.transition(caseNo, "accept", { kind: "operator", id: "test" });
    await workflow.transition(caseNo, "reply", { kind: "operator", id: "test" }, { note: "已修复路面" });
    const thanks = await press("web", phone2, `p:s:${caseNo}`);
    expect(all(thanks)).not.toContain("没有找到");
    const c = await h.db.case.findUniqueOrThrow({ where: { caseNo } });
    expect(c.satisfaction).toBe("satisfied");
    expect(c.state).toBe("closed");
    // Comments are offered only in the chat that filed; nothing about them is shown here.
    expect(thanks.flatMap((r) => r.buttons.map((x) => x.id)).filter((id) => id.startsWith("p:c:"))).toEqual([]);
    // The owner's own chat is unaffected, and another stranger still sees nothing.
    expect(all(await say("telegram", owner, `查询 ${caseNo}`))).toContain(`编号：${caseNo}`);
    expect(all(await press("web", uid("other"), `p:u:${caseNo}`))).toContain("没有找到");
  });

  it("should lock lookups of a case after 5 wrong codes, also for the right code, and word a missing number the same way", async () => {
    const { caseNo, code } = await file(uid("res"));
    const attacker = uid("attacker");
    const wrong = code === "ABCDEF" ? "ABCDEG" : "ABCDEF";
    const answers: string[] = [];
    for (let i = 0; i < ENQUIRY_MAX_FAILURES; i++) answers.push(all(await say("web", `${attacker}-${i}`, `查询 ${caseNo} 码 ${wrong}`)));
    expect(answers.slice(0, -1).every((a) => a.includes("编号或查询码不正确"))).toBe(true);
    expect(answers.at(-1)).toMatch(/错误次数过多，请 1[45] 分钟后再试/);
    // Locked for everybody, even with the right code.
    const owner2 = uid("second-phone");
    expect(all(await say("web", owner2, `查询 ${caseNo} 码 ${code}`))).toContain("错误次数过多");
    // A number nobody has: the same words as a wrong code.
    const missing = formatCaseNumber("XF", toLocalDate(new Date(), TZ), 9876);
    expect(await h.db.case.count({ where: { caseNo: missing } })).toBe(0);
    const other = all(await say("web", uid("prober"), `查询 ${missing} 码 ${wrong}`));
    expect(other).toBe(answers[0]);
    // After the 15 minutes (moved on in the lock row), the right code works.
    await h.db.enquiryLock.updateMany({ where: { key: `case:${caseNo}` }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect(all(await say("web", owner2, `查询 ${caseNo} 码 ${code}`))).toContain("查询码正确");
  });

  it("should lock one chat that tries codes on many case numbers", async () => {
    const prober = uid("prober");
    const numbers = await Promise.all([1, 2, 3].map(() => file(uid("res"))));
    const tries = [...numbers, ...numbers].slice(0, ENQUIRY_MAX_FAILURES);
    let lastAnswer = "";
    for (const n of tries) lastAnswer = all(await say("web", prober, `查询 ${n.caseNo} 码 ZZZZZZ`));
    expect(lastAnswer).toContain("错误次数过多");
    expect(all(await say("web", prober, `查询 ${numbers[2]!.caseNo} 码 ${numbers[2]!.code}`))).toContain("错误次数过多");
  });

  it("should issue a new code to the filing chat only, and retire the old one", async () => {
    const owner = uid("owner");
    const { caseNo, code } = await file(owner);
    expect(all(await say("web", uid("stranger"), `查询码 ${caseNo}`))).toContain("只能为在本对话中登记的事项重新获取查询码");
    const fresh = /新查询码：([A-HJ-KM-NP-Z2-9]{6})/.exec(all(await say("telegram", owner, `查询码 ${caseNo}`)))?.[1];
    expect(fresh).toBeTruthy();
    expect(all(await say("web", uid("phone"), `查询 ${caseNo} 码 ${code}`))).toContain("编号或查询码不正确");
    expect(all(await say("web", uid("phone"), `查询 ${caseNo} ${fresh}`))).toContain("查询码正确");
  });

  it("should cut off every chat that followed the case by the old code when a new one is issued", async () => {
    const owner = uid("owner");
    const { caseNo, code } = await file(owner);
    const onlooker = uid("onlooker");
    expect(all(await say("web", onlooker, `查询 ${caseNo} 码 ${code}`))).toContain("查询码正确");
    expect(all(await say("web", onlooker, `查询 ${caseNo}`))).toContain(`编号：${caseNo}`);
    expect(all(await say("telegram", owner, `查询码 ${caseNo}`))).toContain("也不能再查看");
    expect(all(await say("web", onlooker, `查询 ${caseNo}`))).toContain("没有找到您可以查看的编号");
    expect(all(await say("web", onlooker, "查询"))).not.toContain(caseNo);
    expect(await h.db.caseGrant.count({ where: { caseId: (await h.db.case.findUniqueOrThrow({ where: { caseNo } })).id } })).toBe(0);
  });
});
