import { afterEach, describe, expect, it } from "vitest";
import { CALLBACK_DATA_LIMIT, TELEGRAM_TEXT_LIMIT, splitTelegramText as splitText } from "../../../src/channels/telegram/format.js";
import { telegramRig, type TelegramRig } from "./telegram-harness.js";

const open: TelegramRig[] = [];
async function rig(opts: Parameters<typeof telegramRig>[0] = {}) {
  const r = await telegramRig(opts);
  open.push(r);
  return r;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const USER = 424242;

/** Fills the form up to the summary in Telegram, pressing buttons where there are some. */
async function toSummary(r: TelegramRig, user: number, description: string) {
  await r.say(user, description);
  await r.press(user, r.api.sent("sendMessage", user).at(-1)!.payload.reply_markup.inline_keyboard[0][0].callback_data);
  await r.say(user, "青山镇石桥村三组");
  await r.press(user, "skip");
  await r.say(user, "把路修好");
  await r.press(user, "skip");
  return r.say(user, "13800001234");
}

describe("Telegram channel on the fake Bot API server", () => {
  it("should run a whole complaint with inline keyboards and give a receipt", async () => {
    const r = await rig();
    const welcome = await r.say(USER, "/start");
    expect(welcome.join("\n")).toContain("您好");
    const summary = await toSummary(r, USER, "村口那条路全是坑，电动车摔了好几个人");
    expect(summary.join("\n")).toContain("请核对");
    const receipt = await r.press(USER, "confirm");
    const caseNo = /XF-\d{6}-\d{4,}-\d/.exec(receipt.join("\n"))?.[0];
    expect(caseNo).toBeTruthy();
    const saved = await r.h.cases.show(caseNo!, true);
    expect(saved).toMatchObject({ channel: "telegram", category: "transport", location: "青山镇石桥村三组", phone: "13800001234" });
    // Every keyboard the bot sent kept callback_data within 64 bytes.
    for (const call of r.api.sent()) {
      for (const row of call.payload.reply_markup?.inline_keyboard ?? []) {
        for (const b of row) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
      }
    }
    // Pressed keyboards are taken off their message.
    expect(r.api.sent("editMessageReplyMarkup").length).toBeGreaterThan(0);
    const status = await r.say(USER, `/status ${caseNo}`);
    expect(status.join("\n")).toContain(caseNo!);
  });

  it("should deliver text full of markup characters and e-mail underscores intact", async () => {
    const r = await rig();
    const nasty = "路边_垃圾_*堆积*[如山](看) ~臭~ `a.b!c-d` <b>x</b> & 联系 zhang_san_99@example.com";
    await toSummary(r, USER, nasty);
    const summaryCall = r.api.sent("sendMessage", USER).find((c) => String(c.payload.text).includes("请核对"))!;
    expect(summaryCall.payload.parse_mode).toBe("HTML");
    // What Telegram shows after parsing the HTML is exactly what the resident typed.
    const shown = String(summaryCall.payload.text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    expect(shown).toContain(nasty);
    expect(String(summaryCall.payload.text)).not.toMatch(/<b>/);
  });

  it("should handle an update delivered twice only once, also after a restart", async () => {
    const r = await rig();
    const update = { update_id: 555001, ...r.api.message(USER, "小区门口的路灯坏了一个多月，晚上很黑") };
    const first = await r.textsDuring(USER, () => r.channel.handleUpdate(update as never));
    const again = await r.textsDuring(USER, () => r.channel.handleUpdate(update as never));
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
    const restarted = await rig({ url: r.h.url });
    const afterRestart = await restarted.textsDuring(USER, () => restarted.channel.handleUpdate(update as never));
    expect(afterRestart).toEqual([]);
  });

  it("should honour 429 retry_after and send the message exactly once", async () => {
    const r = await rig();
    r.api.fail("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    await r.say(USER, "工厂半夜排放刺鼻的黑烟，熏得人头疼");
    const calls = r.api.sent("sendMessage", USER);
    expect(calls).toHaveLength(2); // the refused attempt and the one that went through
    expect(calls[0]!.payload.text).toBe(calls[1]!.payload.text);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("should stop sending to a chat that blocked the bot (403) and resume when the user writes", async () => {
    const r = await rig();
    r.api.fail("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await r.say(USER, "工厂半夜排放刺鼻的黑烟，熏得人头疼");
    expect(await r.h.db.blockedChat.count({ where: { chatId: String(USER) } })).toBe(1);
    const outcomes = await r.channel.sender.sendReplies(String(USER), [{ text: "x", buttons: [], expects: null, caseNo: null }]);
    expect(outcomes).toEqual(["blocked"]);
    expect(r.api.sent("sendMessage", USER)).toHaveLength(1);
    const back = await r.say(USER, "help");
    expect(back.length).toBeGreaterThan(0);
    expect(await r.h.db.blockedChat.count()).toBe(0);
  });

  it("should keep photos and documents as attachments of the case", async () => {
    const r = await rig();
    await r.say(USER, "河边有人偷偷倒建筑垃圾，堆得像小山");
    const photo = await r.textsDuring(USER, () => r.deliver(r.api.message(USER, undefined, { photo: [{ file_id: "small", width: 90, height: 90 }, { file_id: "PHOTO-BIG", width: 1280, height: 960 }], caption: "现场照片" })));
    expect(photo.join("\n")).toMatch(/附件/);
    await r.deliver(r.api.message(USER, undefined, { document: { file_id: "DOC-1", file_name: "证明.pdf" } }));
    await r.press(USER, r.api.sent("sendMessage", USER).at(-1)!.payload.reply_markup.inline_keyboard[0][0].callback_data);
    await r.say(USER, "城西河道");
    await r.press(USER, "skip");
    await r.press(USER, "skip");
    await r.press(USER, "skip");
    await r.say(USER, "13800001234");
    const receipt = await r.press(USER, "confirm");
    const caseNo = /XF-\d{6}-\d{4,}-\d/.exec(receipt.join("\n"))![0];
    const saved = await r.h.cases.show(caseNo);
    expect(saved!.attachments).toEqual([
      { channel: "telegram", kind: "photo", fileId: "PHOTO-BIG", caption: "现场照片" },
      { channel: "telegram", kind: "document", fileId: "DOC-1" },
    ]);
  });

  it("should answer voice and stickers helpfully, fill the place from a location and the phone from a contact", async () => {
    const r = await rig();
    await r.say(USER, "村里的水渠塌了，地都浇不上水");
    const voice = await r.textsDuring(USER, () => r.deliver(r.api.message(USER, undefined, { voice: { file_id: "V1", duration: 3 } })));
    expect(voice.join("\n")).toMatch(/语音/);
    const sticker = await r.textsDuring(USER, () => r.deliver(r.api.message(USER, undefined, { sticker: { file_id: "S1", type: "regular" } })));
    expect(sticker.join("\n")).toMatch(/文字/);
    await r.press(USER, r.api.sent("sendMessage", USER).at(-1)!.payload.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data ?? "cat:agri_forestry_water");
    await r.deliver(r.api.message(USER, undefined, { location: { latitude: 30.27415, longitude: 120.15515 } }));
    await r.deliver(r.api.message(USER, undefined, { contact: { phone_number: "+86 139 0000 5678", first_name: "Wang", user_id: USER } }));
    const state = await r.h.engine.peek("telegram", String(USER));
    expect(state?.form.location).toContain("30.27415, 120.15515");
    expect(state?.form.phone).toBe("13900005678");
  });

  it("should update the answer being edited, and acknowledge other edits", async () => {
    const r = await rig();
    await r.say(USER, "工地晚上施工噪音太大，睡不着觉");
    await r.press(USER, "cat:safety_environment");
    const placeMsg = r.api.message(USER, "城东");
    await r.deliver(placeMsg);
    const edited = { edited_message: { ...placeMsg.message, text: "城东新村3栋", edit_date: Math.floor(Date.now() / 1000) } };
    const answer = await r.textsDuring(USER, () => r.deliver(edited));
    expect(answer.join("\n")).toMatch(/已按您修改后的消息更新/);
    expect((await r.h.engine.peek("telegram", String(USER)))?.form.location).toBe("城东新村3栋");
    const first = r.api.message(USER, "随便说说");
    const other = await r.textsDuring(USER, () => r.deliver({ edited_message: { ...first.message, text: "改一下", edit_date: 1 } }));
    expect(other.join("\n")).toMatch(/已收到您的修改/);
  });

  it("should ignore channel posts and updates without a message, without errors", async () => {
    const r = await rig();
    const before = r.api.sent().length;
    await r.deliver({ channel_post: { message_id: 1, date: 1, chat: { id: -100123, type: "channel", title: "news" }, text: "公告" } });
    await r.deliver({ my_chat_member: { chat: { id: USER, type: "private" }, from: { id: USER, is_bot: false, first_name: "R" }, date: 1, old_chat_member: { status: "member", user: r.api.bot }, new_chat_member: { status: "kicked", user: r.api.bot, until_date: 0 } } });
    expect(r.api.sent().length).toBe(before);
    expect(r.logs.filter((l) => /"level":50/.test(l))).toEqual([]);
  });

  it("should answer in groups only when mentioned or commanded, and stay quiet in a cadre group", async () => {
    const r = await rig({ cadreGroups: ["-100777"] });
    const group = (chatId: number, text: string, entities?: unknown[]) => ({ message: { message_id: r.api.messageId(), date: 1, chat: { id: chatId, type: "supergroup", title: "g" }, from: { id: USER, is_bot: false, first_name: "R" }, text, ...(entities ? { entities } : {}) } });
    const quiet = await r.textsDuring(-100555, () => r.deliver(group(-100555, "路灯坏了")));
    expect(quiet).toEqual([]);
    const mention = "@petition_desk_bot 路灯坏了";
    const asked = await r.textsDuring(-100555, () => r.deliver(group(-100555, mention, [{ type: "mention", offset: 0, length: 18 }])));
    expect(asked.join("\n")).toMatch(/私聊/);
    const cadre = await r.textsDuring(-100777, () => r.deliver(group(-100777, mention, [{ type: "mention", offset: 0, length: 18 }])));
    expect(cadre).toEqual([]); // a resident's words in a cadre group: not answered there
    const notCadre = await r.textsDuring(-100777, () => r.deliver(group(-100777, "/cases", [{ type: "bot_command", offset: 0, length: 6 }])));
    expect(notCadre).toEqual([]); // nor commands from someone who is not a bound cadre
  });

  it("should keep polling after a handler fails, and tell the resident", async () => {
    const r = await rig();
    const engine = r.h.engine as unknown as { handle: (m: unknown) => Promise<unknown> };
    const real = engine.handle.bind(engine);
    let failOnce = true;
    engine.handle = async (m) => {
      if (failOnce) {
        failOnce = false;
        throw new Error("database went away");
      }
      return real(m);
    };
    const failed = await r.say(USER, "路灯坏了好多天了");
    expect(failed.join("\n")).toMatch(/暂时无法处理/);
    const next = await r.say(USER, "路灯坏了好多天了，晚上很黑");
    expect(next.length).toBeGreaterThan(0);
  });

  it("should report a second poller on the same token (409) in one clear line", async () => {
    const r = await rig();
    r.api.fail("getUpdates", { error_code: 409, description: "Conflict: terminated by other getUpdates request" }, 1);
    await r.api.waitFor(() => r.logs.some((l) => l.includes("409 Conflict")), 10_000);
    expect(r.logs.filter((l) => l.includes("409 Conflict"))).toHaveLength(1);
  });
});

describe("splitText", () => {
  it("should split over 4,096 characters at line or sentence ends and lose nothing", () => {
    const text = Array.from({ length: 400 }, (_, i) => `第${i}句：工厂排污严重，河水发黑发臭。`).join("\n") + "x".repeat(5000);
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(parts.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
    expect(parts[0]!.endsWith("。")).toBe(true);
  });
});

describe("Telegram channel: order, edits and groups", () => {
  it("should handle a burst of one resident's messages in order", async () => {
    const r = await rig();
    await r.say(USER, "村口那条路全是坑，车都开不过去");
    await r.press(USER, "cat:transport");
    const burst = ["青山镇石桥村三组", "跳过", "把路修好", "王先生"].map((t) => r.api.push(r.api.message(USER, t)));
    await r.deliver(r.api.message(USER, "13800001234"));
    expect(burst.length).toBe(4);
    const form = (await r.h.engine.peek("telegram", String(USER)))!.form;
    expect(form).toMatchObject({ location: "青山镇石桥村三组", demands: "把路修好", name: "王先生", phone: "13800001234" });
  });

  it("should let the resident edit the first message (the description) and ask the category again", async () => {
    const r = await rig();
    const first = r.api.message(USER, "村口那条路全是坑，车都开不过去");
    await r.deliver(first);
    await r.press(USER, "cat:transport");
    const answer = await r.textsDuring(USER, () => r.deliver({ edited_message: { ...first.message, text: "工地晚上施工噪音太大，睡不着觉", edit_date: 2 } }));
    expect(answer.join("\n")).toMatch(/已按您修改后的消息更新/);
    const state = (await r.h.engine.peek("telegram", String(USER)))!;
    expect(state.form.description).toBe("工地晚上施工噪音太大，睡不着觉");
    expect(state.step).toBe("category");
  });

  it("should ignore a group command addressed to another bot", async () => {
    const r = await rig();
    const text = "/help@some_other_bot";
    const out = await r.textsDuring(-100999, () => r.deliver({ message: { message_id: r.api.messageId(), date: 1, chat: { id: -100999, type: "supergroup", title: "g" }, from: { id: USER, is_bot: false, first_name: "R" }, text, entities: [{ type: "bot_command", offset: 0, length: text.length }] } }));
    expect(out).toEqual([]);
  });

  it("should keep a photo whose caption has control characters", async () => {
    const r = await rig();
    await r.say(USER, "河边有人偷偷倒建筑垃圾");
    await r.deliver(r.api.message(USER, undefined, { photo: [{ file_id: "P1", width: 10, height: 10 }], caption: "现场\u0000照片\u0007" }));
    const form = (await r.h.engine.peek("telegram", String(USER)))!.form;
    expect(form.attachments).toEqual([{ kind: "photo", fileId: "P1", caption: "现场照片", channel: "telegram" }]);
  });
});
