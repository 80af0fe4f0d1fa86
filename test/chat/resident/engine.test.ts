import { afterEach, describe, expect, it } from "vitest";
import { harness, last, type Harness } from "../../helpers.js";

const open: Harness[] = [];
async function bot(opts: Parameters<typeof harness>[0] = {}) {
  const h = await harness(opts);
  open.push(h);
  return h;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** Answers the form to the summary with the given description; returns the summary reply. */
async function fillToSummary(h: Harness, user: string, description: string) {
  let r = last(await h.say(description, user));
  for (let i = 0; i < 10 && r.expects !== "confirm"; i++) {
    const answers: Record<string, string> = {
      category: "1", location: "青山镇石桥村三组", occurredAt: "上个月", demands: "尽快处理", name: "王先生", phone: "13800001234",
    };
    r = last(await h.say(answers[r.expects!] ?? "skip", user));
  }
  expect(r.expects).toBe("confirm");
  return r;
}

describe("DialogEngine: filing a complaint", () => {
  it("should file a Chinese complaint step by step and give a receipt", async () => {
    const h = await bot();
    let r = last(await h.say("我们村的水渠被人堵了，田里的稻子都快干死了"));
    expect(r.expects).toBe("category");
    expect(r.text).toContain("农林水利");
    r = last(await h.say("对"));
    expect(r.expects).toBe("location");
    r = last(await h.say("青山镇石桥村三组"));
    expect(r.expects).toBe("occurredAt");
    r = last(await h.say("上周二"));
    expect(r.expects).toBe("demands");
    r = last(await h.say("把水渠疏通"));
    expect(r.expects).toBe("name");
    r = last(await h.say("跳过"));
    expect(r.expects).toBe("phone");
    r = last(await h.say("我的手机是 138 0000 1234"));
    expect(r.expects).toBe("confirm");
    expect(r.text).toContain("青山镇石桥村三组");
    r = last(await h.say("确认提交"));
    expect(r.caseNo).toMatch(/^XF-\d{6}-\d{4,}-\d$/);
    expect(r.expects).toBeNull();
    expect(r.text).toContain("区农业农村局");

    const saved = await h.cases.show(r.caseNo!, true);
    expect(saved).toMatchObject({
      category: "agri_forestry_water", state: "assigned", location: "青山镇石桥村三组", occurredAt: "上周二",
      demands: "把水渠疏通", name: null, phone: "13800001234", unit: { id: "agri_bureau" },
    });
    expect(saved!.events.map((e) => e.type)).toEqual(["created", "assigned"]);
    expect((await h.cases.show(r.caseNo!))!.phone).toBe("*******1234");
  });

  it("should file an English complaint and answer in English", async () => {
    const h = await bot();
    let r = last(await h.say("The company has not paid our wages for three months, about 20 workers are affected"));
    expect(r.text).toMatch(/Labour & social security/);
    r = last(await h.say("yes"));
    expect(r.text).toMatch(/Where did it happen/);
    await h.say("Riverside Industrial Park, Building 3");
    await h.say("last month");
    await h.say("pay the wages");
    await h.say("Li");
    r = last(await h.say("+44 7911 123456"));
    expect(r.text).toMatch(/Please check your petition/);
    r = last(await h.say("confirm"));
    expect(r.text).toMatch(/Receipt/);
    expect((await h.cases.show(r.caseNo!))).toMatchObject({ category: "labor_social_security", colour: "red" });
  });

  it("should take phone, date and place from the first message and not ask for them again", async () => {
    const h = await bot();
    await h.say("昨天晚上青山镇人民路12号的井盖被偷了，很危险，我电话13900002222");
    const asked: string[] = [];
    let r = last(await h.say("对"));
    while (r.expects !== "confirm") {
      asked.push(r.expects!);
      r = last(await h.say("跳过"));
    }
    expect(asked).toEqual(["demands", "name"]);
    expect(r.text).toContain("13900002222");
    expect(r.text).toContain("青山镇人民路12号");
  });

  it("should offer the top categories as buttons when unsure, and the full list on request", async () => {
    const h = await bot();
    const r = last(await h.say("这个事情很麻烦，一直没人管，希望领导重视一下"));
    expect(r.expects).toBe("category");
    const ids = r.buttons.map((b) => b.id);
    expect(ids).toContain("cat:more");
    const more = last(await h.engine.handle({ channel: "test", userId: "u1", buttonId: "cat:more" }));
    expect(more.buttons.filter((b) => b.id.startsWith("cat:"))).toHaveLength(8);
    const picked = last(await h.say("cat:law_litigation")); // a button's id typed (chat --json) selects it
    expect(picked.expects).toBe("location");
    expect((await h.engine.peek("test", "u1"))?.form.category).toBe("law_litigation");
  });

  it("should let the resident edit one field from the summary and come back to it", async () => {
    const h = await bot();
    await fillToSummary(h, "u1", "小区门口的路灯坏了一个多月了，晚上很黑");
    let r = last(await h.say("修改"));
    expect(r.buttons.map((b) => b.id)).toContain("edit:phone");
    r = last(await h.engine.handle({ channel: "test", userId: "u1", buttonId: "edit:phone" }));
    expect(r.expects).toBe("phone");
    expect(r.text).toContain("13800001234");
    r = last(await h.say("13511112222"));
    expect(r.expects).toBe("confirm");
    expect(r.text).toContain("13511112222");
  });

  it("should go back one step and re-ask it", async () => {
    const h = await bot();
    await h.say("工厂晚上偷偷排放黑烟，气味很难闻");
    await h.say("对");
    await h.say("城东工业园");
    const r = last(await h.say("返回"));
    expect(r.expects).toBe("location");
  });
});

describe("DialogEngine: commands at any step, in both languages", () => {
  it("should cancel, restart and help from the middle of the form", async () => {
    const h = await bot();
    await h.say("工地扬尘很大，附近的居民都没法开窗");
    let r = last(await h.say("help"));
    expect(r.expects).toBe("category"); // help re-asks the current step
    r = last(await h.say("取消"));
    expect(r.expects).toBeNull();
    expect(r.text).toMatch(/取消/);
    await h.say("工地扬尘很大，附近的居民都没法开窗");
    r = last(await h.say("restart"));
    expect(r.expects).toBe("description");
  });

  it("should look up a case by number at any step and refuse other residents' cases", async () => {
    const h = await bot();
    await fillToSummary(h, "alice", "楼下饭店油烟直接排到我家窗户，熏得受不了");
    const receipt = last(await h.say("确认", "alice"));
    const caseNo = receipt.caseNo!;

    await h.say("村里的路灯全坏了，晚上出门很危险", "alice");
    const mine = await h.say(`查询 ${caseNo.toLowerCase()}`, "alice");
    expect(mine[0]!.text).toContain(caseNo);
    expect(mine[0]!.caseNo).toBeNull(); // only a receipt carries caseNo
    expect(last(mine).expects).toBe("category"); // and the form goes on

    const other = await h.say(`status ${caseNo}`, "mallory");
    expect(other[0]!.text).not.toContain("区生态环境分局");
    expect(other[0]!.caseNo).toBeNull();

    const typo = caseNo.slice(0, -1) + ((Number(caseNo.slice(-1)) + 1) % 10);
    expect((await h.say(`status ${typo}`, "alice"))[0]!.text).toMatch(/不是有效的编号|not a valid/);
    const partial = await h.say("查询 XF-123", "alice");
    expect(partial[0]!.text).toMatch(/不是有效的编号/);
    expect(last(partial).expects).toBe("category");
  });

  it("should re-ask with a hint twice, then offer skip or staff", async () => {
    const h = await bot();
    await h.say("村里的自来水发黄，喝了拉肚子，好多人都这样");
    await h.say("对");
    await h.say("河西村");
    await h.say("skip");
    await h.say("skip");
    await h.say("skip");
    let r = last(await h.say("不知道"));
    expect(r.expects).toBe("phone");
    expect(r.text).toMatch(/电话号码/);
    expect(r.buttons).toEqual([]);
    r = last(await h.say("没电话"));
    expect(r.buttons.map((b) => b.id)).toEqual(["skip", "staff"]);
    r = last(await h.engine.handle({ channel: "test", userId: "u1", buttonId: "staff" }));
    const handoffs = await h.db.outboxMessage.findMany({ where: { kind: "staff.handoff" } });
    expect(handoffs).toHaveLength(1);
    expect(r.expects).toBe("phone");
    r = last(await h.say("没电话"));
    r = last(await h.say("1")); // at a text step a number is an answer, never a button
    expect(r.expects).toBe("phone");
    r = last(await h.say("跳过")); // the label works
    expect(r.expects).toBe("confirm");
  });

  it("should refuse to skip a required field before two failed answers", async () => {
    const h = await bot();
    await h.say("我们镇上的桥裂了好大一条缝，车还在走");
    await h.say("对");
    const r = await h.say("跳过");
    expect(last(r).expects).toBe("location");
    expect(r.map((x) => x.text).join("\n")).toMatch(/必填/);
  });

  it("should switch language on request", async () => {
    const h = await bot();
    await h.say("路灯坏了好几天了，晚上走路很危险");
    const r = await h.say("English");
    expect(r[0]!.text).toBe("Switched to English.");
    expect(last(r).text).toMatch(/Is that right\?/);
  });
});

describe("DialogEngine: nothing lost, nothing doubled", () => {
  it("should continue a form after a restart of the process", async () => {
    const first = await bot();
    await first.say("小区电梯坏了三个月物业不修，老人上下楼很困难", "carol");
    await first.say("对", "carol");
    await first.say("幸福小区5栋", "carol");
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await bot({ url: first.url });
    const r = last(await second.say("help", "carol"));
    expect(r.expects).toBe("occurredAt");
    const state = await second.engine.peek("test", "carol");
    expect(state?.form.location).toBe("幸福小区5栋");
  });

  it("should file one case for a double tap on confirm", async () => {
    const h = await bot();
    await fillToSummary(h, "dave", "隔壁工厂噪音太大，晚上十二点还在开机器");
    const tap = () => h.engine.handle({ channel: "test", userId: "dave", buttonId: "confirm" });
    const [ra, rb] = await Promise.all([tap(), tap()]);
    expect(last(ra).caseNo).toMatch(/^XF-/);
    expect(last(rb).caseNo).toBe(last(ra).caseNo);
    expect(await h.db.case.count()).toBe(1);
  });

  it("should file one case when two bot processes get the same confirm (PostgreSQL)", async () => {
    const a = await bot({ provider: "postgresql" });
    const user = `dave-${Date.now()}`;
    await fillToSummary(a, user, "隔壁工厂噪音太大，晚上十二点还在开机器");
    const b = await bot({ provider: "postgresql" });
    const [ra, rb] = await Promise.all([a.say("确认", user), b.say("确认", user)]);
    const numbers = [last(ra).caseNo, last(rb).caseNo];
    expect(numbers[0]).toMatch(/^XF-/);
    expect(numbers[1]).toBe(numbers[0]);
    const residentId = await a.repository.residentIdOf("test", user);
    expect(await a.db.case.count({ where: { residentId: residentId! } })).toBe(1);
  });

  it("should drop a message delivered twice with the same id", async () => {
    const h = await bot();
    const first = await h.engine.handle({ channel: "test", userId: "u1", text: "路灯坏了好多天了没人修", messageId: "m1" });
    const again = await h.engine.handle({ channel: "test", userId: "u1", text: "路灯坏了好多天了没人修", messageId: "m1" });
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
  });
});

describe("DialogEngine: bad input", () => {
  it.each([
    ["empty", ""],
    ["whitespace", "   \n\t "],
    ["emoji only", "😡😡👎"],
    ["zero-width only", "\u200b\u200c\u200d\ufeff"],
    ["control characters", "\u0001\u0002\u0007"],
  ])("should answer %s politely without starting a case", async (_name, text) => {
    const h = await bot();
    const r = await h.say(text);
    expect(r).toHaveLength(1);
    expect(r[0]!.text.length).toBeGreaterThan(5);
    expect(await h.db.case.count()).toBe(0);
  });

  it("should keep 20,000 characters as a 4,000-character description and say so", async () => {
    const h = await bot();
    const huge = "工厂排放废水污染河道，".repeat(2000);
    const r = await h.say(huge);
    expect(r[0]!.text).toMatch(/4000/);
    const state = await h.engine.peek("test", "u1");
    expect(state?.form.description).toHaveLength(4000);
  });

  it("should store markup as plain text", async () => {
    const h = await bot();
    await fillToSummary(h, "eve", "<script>alert(1)</script> 路边<b>垃圾</b>堆成山了，臭气熏天");
    const r = last(await h.say("confirm", "eve"));
    const saved = await h.cases.show(r.caseNo!);
    expect(saved!.description).toBe("<script>alert(1)</script> 路边<b>垃圾</b>堆成山了，臭气熏天");
  });

  it("should answer a phone number given where confirm/edit was asked", async () => {
    const h = await bot();
    await fillToSummary(h, "u1", "邻居在楼道里堆满杂物，消防通道都堵了");
    const r = last(await h.say("13800001234"));
    expect(r.expects).toBe("confirm");
    expect(r.text).toMatch(/电话号码/);
    expect(await h.db.case.count()).toBe(0);
  });

  it("should answer a photo at a text step and keep the step", async () => {
    const h = await bot();
    await h.say("路面塌了一个大坑，很危险");
    const r = last(await h.engine.handle({ channel: "test", userId: "u1", kind: "photo" }));
    expect(r.text).toMatch(/图片/);
    expect(r.expects).toBe("category");
  });

  it("should say the save failed and keep the answers when the database is down", async () => {
    const h = await bot({ memoryStore: true });
    await fillToSummary(h, "u1", "菜市场旁边的下水道堵了，污水流到路上");
    await h.db.$disconnect();
    const broken = Object.assign(Object.create(Object.getPrototypeOf(h.cases)), h.cases, {
      submit: async () => { throw new Error("database is down"); },
    });
    (h.engine as unknown as { o: { desk: unknown } }).o.desk = broken;
    const r = last(await h.say("确认"));
    expect(r.text).toMatch(/无法保存/);
    expect(r.expects).toBe("confirm");
    expect((await h.engine.peek("test", "u1"))?.form.description).toContain("下水道");
  });
});
