import { FileBox } from "file-box";
import { afterEach, describe, expect, it } from "vitest";
import { plainText } from "../../../src/channels/wechat/markup.js";
import { wechatRig, type WechatRig } from "./wechat-harness.js";

const open: WechatRig[] = [];
async function rig(opts: Parameters<typeof wechatRig>[0] = {}) {
  const r = await wechatRig(opts);
  open.push(r);
  return r;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const CASE_NO = /XF-\d{6}-\d{4,}-\d/;

describe("WeChat channel on wechaty-puppet-mock", () => {
  it("should file a complaint in a private chat with numbered options", async () => {
    const r = await rig();
    const first = await r.send("小区旁边的工厂每天晚上排放黑烟，气味刺鼻");
    expect(first.join("\n")).toMatch(/ {2}1\. /); // choices as numbered options
    await r.send("1");
    await r.send("城东工业园");
    await r.send("跳过");
    await r.send("关停排污");
    await r.send("跳过");
    const summary = await r.send("13800001234");
    expect(summary.join("\n")).toContain("请核对");
    const receipt = await r.send("确认提交");
    const caseNo = CASE_NO.exec(receipt.join("\n"))?.[0];
    expect(caseNo).toBeTruthy();
    expect(await r.h.cases.show(caseNo!)).toMatchObject({ channel: "wechat", category: "safety_environment", location: "城东工业园" });
  });

  it("should answer in a room only when mentioned, and stay quiet in a cadre room", async () => {
    let cadreRoomId = "";
    const r = await rig({ cadreRooms: async () => new Set([cadreRoomId]) });
    const room = r.mocker.createRoom({ memberIdList: [r.resident.id, r.botUser.id] });
    const said = (id: string) => r.roomSaid.filter((x) => x.roomId === id).map((x) => x.text);
    await r.send("路灯坏了", room);
    expect(said(room.id)).toEqual([]);
    await r.send(`@${r.botUser.payload.name} 路灯坏了`, room, [r.botUser]);
    await new Promise((res) => setTimeout(res, 100));
    expect(said(room.id).join("\n")).toMatch(/私聊/);
    const cadreRoom = r.mocker.createRoom({ memberIdList: [r.resident.id, r.botUser.id] });
    cadreRoomId = cadreRoom.id;
    await r.send(`@${r.botUser.payload.name} 路灯坏了`, cadreRoom, [r.botUser]);
    expect(said(cadreRoom.id)).toEqual([]);
    expect(r.received).toEqual([]); // nothing went to the resident's private chat either
  });

  it("should never answer its own messages", async () => {
    const r = await rig();
    await r.send("村里的路灯全坏了，晚上出门很危险");
    const before = r.received.length;
    // The bot's own message arrives as a message event too; it must not start a loop.
    await r.channel.bot.Contact.find({ id: r.resident.id }).then((c) => c!.say("测试：机器人自己发的消息"));
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received.length).toBe(before + 1);
  });

  it("should drop the same words from the same person delivered twice within seconds", async () => {
    const r = await rig();
    const first = await r.send("村里的自来水发黄，喝了拉肚子");
    expect(first.length).toBeGreaterThan(0);
    const again = await r.send("村里的自来水发黄，喝了拉肚子");
    expect(again).toEqual([]);
  });

  it("should keep an image sent at a text step as an attachment and keep the step", async () => {
    const r = await rig();
    await r.send("河边有人偷偷倒建筑垃圾");
    const answer = await r.send(FileBox.fromBase64(Buffer.from("fake-jpeg").toString("base64"), "scene.jpg"));
    expect(answer.join("\n")).toMatch(/附件/);
    const state = await r.h.engine.peek("wechat", r.resident.id);
    expect(state?.form.attachments?.[0]).toMatchObject({ channel: "wechat", kind: "photo" });
    expect(state?.step).toBe("category");
  });

  it("should keep replies made while logged out and send them once after login", async () => {
    const r = await rig({ login: false });
    await r.channel.sendTo(r.resident.id, "您的事项有新进展");
    expect(await r.h.db.outboxMessage.count({ where: { kind: "wechat.message", status: "pending" } })).toBe(1);
    r.mocker.login(r.botUser);
    const start = Date.now();
    while (!r.received.includes("您的事项有新进展") && Date.now() - start < 10_000) await new Promise((res) => setTimeout(res, 50));
    expect(r.received.filter((t) => t === "您的事项有新进展")).toHaveLength(1);
    expect(await r.h.db.outboxMessage.count({ where: { kind: "wechat.message", status: "sent" } })).toBe(1);
  });
});

describe("plainText", () => {
  it("should turn an XML link card into its title, description and URL", () => {
    const xml = '<?xml version="1.0"?><msg><appmsg><title>路面塌陷</title><des>人民路</des><url>https://example.com/a?b=1&amp;c=2</url></appmsg></msg>';
    expect(plainText(xml)).toBe("路面塌陷 人民路 https://example.com/a?b=1&c=2");
  });
  it("should turn emoji images into emoji and keep what the resident typed", () => {
    expect(plainText('路灯坏了<img class="emoji emoji1f621" text="_web" src="/zh_CN/htmledition/v2/images/spacer.gif" />')).toBe("路灯坏了😡");
    expect(plainText("<b>路边</b>垃圾")).toBe("<b>路边</b>垃圾");
  });
});

describe("WeChat channel: repeats and logins", () => {
  it("should take the same short answer twice in a row (跳过 at two steps)", async () => {
    const r = await rig();
    await r.send("小区旁边的工厂每天晚上排放黑烟，气味刺鼻");
    await r.send("1");
    await r.send("城东工业园");
    const a = await r.send("跳过");
    const b = await r.send("跳过");
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect((await r.h.engine.peek("wechat", r.resident.id))?.step).toBe("name");
  });

  it("should send kept messages once even when login fires twice", async () => {
    const r = await rig({ login: false });
    for (let i = 0; i < 3; i++) await r.channel.sendTo(r.resident.id, `进展 ${i}`);
    r.mocker.login(r.botUser);
    (r.channel.bot as unknown as { emit(e: string, u: unknown): void }).emit("login", r.channel.bot.currentUser);
    const start = Date.now();
    while (r.received.filter((t) => t.startsWith("进展")).length < 3 && Date.now() - start < 10_000) await new Promise((res) => setTimeout(res, 50));
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received.filter((t) => t.startsWith("进展"))).toEqual(["进展 0", "进展 1", "进展 2"]);
  });
});
