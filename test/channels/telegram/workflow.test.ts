import { afterEach, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../../src/cases/index.js";
import { CadreDesk, frontDesk } from "../../../src/chat/index.js";
import { OutboxRunner, renderOutbox, runScheduler } from "../../../src/notify/index.js";
import { calendar, freshPostgresUrl, loadTexts } from "../../helpers.js";
import { telegramRig, type TelegramRig } from "./telegram-harness.js";

const open: TelegramRig[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

describe.each(["sqlite", "postgresql"] as const)("cadre workflow on Telegram (fake Bot API, %s)", (provider) => {
  it("should take a case from a resident's complaint to the cadre's reply, with every notification in chat", async () => {
    let cadres!: CadreDesk;
    const pgDb = provider === "postgresql" ? await freshPostgresUrl() : undefined;
    const rig = await telegramRig({
      url: pgDb?.url,
      conversation: async (h) => {
        const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
        cadres = new CadreDesk({ db: h.db, workflow, texts: await loadTexts(), timeZone: "Asia/Shanghai" });
        return frontDesk({ cadres: cadres, residents: h.engine });
      },
    });
    open.push(rig);
    const texts = await loadTexts();
    const runner = new OutboxRunner({
      db: rig.h.db,
      deliverers: new Map([["telegram", async (chatId, reply, audience) => (await rig.channel.sender.sendReplies(chatId, [reply], { group: audience === "group" }))[0]!]]),
      render: (row) => renderOutbox(row, rig.h.db, texts, "Asia/Shanghai"),
    });
    const RESIDENT = 1001, CADRE = 2002, OTHER = 3003, LEADER = 4004;

    // Cadres link their Telegram accounts with invite codes.
    const { code } = await cadres.invite("transport_bureau", "handler", "张科长");
    expect((await rig.say(CADRE, `/bind ${code}`)).join("\n")).toMatch(/绑定成功/);
    const other = await cadres.invite("ecology_bureau", "handler", "环保局小刘");
    await rig.say(OTHER, `/bind ${other.code}`);
    const leader = await cadres.invite("transport_bureau", "leader", "赵局长");
    await rig.say(LEADER, `/bind ${leader.code}`);

    // The resident files a complaint.
    await rig.say(RESIDENT, "村口那条路全是坑，电动车摔了好几个人");
    await rig.press(RESIDENT, "cat:transport");
    await rig.say(RESIDENT, "青山镇石桥村");
    await rig.press(RESIDENT, "skip");
    await rig.say(RESIDENT, "尽快修路");
    await rig.press(RESIDENT, "skip");
    await rig.say(RESIDENT, "13800001234");
    const receipt = (await rig.press(RESIDENT, "confirm")).join("\n");
    const caseNo = /XF-\d{6}-\d{4,}-\d/.exec(receipt)![0];

    // The cadres of the unit are notified in Telegram with accept / object buttons.
    const report = await runner.runOnce();
    expect(report.sent).toBe(2); // the handler and the leader
    const notice = rig.api.sent("sendMessage", CADRE).at(-1)!;
    expect(String(notice.payload.text)).toContain(caseNo);
    const buttons = notice.payload.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data);
    expect(buttons).toEqual([`c:accept:${caseNo}`, `c:object:${caseNo}`]);

    // A cadre of another unit cannot take it.
    expect((await rig.press(OTHER, `c:accept:${caseNo}`)).join("\n")).toMatch(/无权/);

    // The cadre accepts by button; the resident hears it in their chat.
    expect((await rig.press(CADRE, `c:accept:${caseNo}`)).join("\n")).toMatch(/由您负责/);
    await runner.runOnce();
    expect(String(rig.api.sent("sendMessage", RESIDENT).at(-1)!.payload.text)).toMatch(new RegExp(`${caseNo}.*已由 区交通运输局 受理`));

    // Time moves past the report-back deadline with no report: the leader is told.
    const c = (await rig.h.db.case.findUnique({ where: { caseNo } }))!;
    const escalated = await runScheduler({ db: rig.h.db, timeZone: "Asia/Shanghai" }, new Date(c.colourDueAt.getTime() + 3_600_000));
    expect(escalated.escalations.map((e) => e.caseNo)).toContain(caseNo);
    await runner.runOnce(new Date(c.colourDueAt.getTime() + 3_600_000));
    expect(String(rig.api.sent("sendMessage", LEADER).at(-1)!.payload.text)).toMatch(new RegExp(`超期督办.*${caseNo}`));

    // The cadre replies by command; the resident gets the handling opinion.
    expect((await rig.say(CADRE, `/reply ${caseNo} 已安排养护队本周修复，请您监督。`)).join("\n")).toMatch(/已答复/);
    await runner.runOnce(new Date(c.colourDueAt.getTime() + 7_200_000));
    expect(String(rig.api.sent("sendMessage", RESIDENT).at(-1)!.payload.text)).toContain("已安排养护队本周修复，请您监督。");
    expect((await rig.h.db.case.findUnique({ where: { caseNo } }))!.state).toBe("replied");
    // Nothing was delivered twice.
    expect((await runner.runOnce(new Date(c.colourDueAt.getTime() + 7_200_000))).sent).toBe(0);
    await rig.close();
    open.splice(open.indexOf(rig), 1);
    await pgDb?.drop();
  }, 60_000);
});

describe("cadre commands in a unit's Telegram group", () => {
  it("should take a bound cadre's commands in the group and mask personal data there", async () => {
    let cadres!: CadreDesk;
    const GROUP = -100123456;
    const rig = await telegramRig({
      cadreGroups: [String(GROUP)],
      conversation: async (h) => {
        const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
        cadres = new CadreDesk({ db: h.db, workflow, texts: await loadTexts(), timeZone: "Asia/Shanghai" });
        return frontDesk({ cadres: cadres, residents: h.engine });
      },
    });
    open.push(rig);
    const { code } = await cadres.invite("transport_bureau", "handler", "张科长");
    await rig.say(2002, `/bind ${code}`);
    for (const line of ["村口那条路全是坑，车都开不过去", "对", "青山镇石桥村", "跳过", "跳过", "跳过", "13912345678"]) await rig.say(1001, line);
    const caseNo = /XF-\d{6}-\d{4,}-\d/.exec((await rig.say(1001, "确认")).join("\n"))![0];
    const inGroup = (text: string) => ({ message: { message_id: rig.api.messageId(), date: 1, chat: { id: GROUP, type: "supergroup", title: "交通局" }, from: { id: 2002, is_bot: false, first_name: "Z" }, text, entities: text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] : undefined } });
    const shown = await rig.textsDuring(GROUP, () => rig.deliver(inGroup(`/case ${caseNo}`)));
    expect(shown.join("\n")).toContain(caseNo);
    expect(shown.join("\n")).toContain("*******5678");
    expect(shown.join("\n")).not.toContain("13912345678");
    const chatter = await rig.textsDuring(GROUP, () => rig.deliver(inGroup("大家辛苦了")));
    expect(chatter).toEqual([]);
    const accepted = await rig.textsDuring(GROUP, () => rig.deliver(inGroup(`/accept ${caseNo}`)));
    expect(accepted.join("\n")).toMatch(/由您负责/);
  });
});
