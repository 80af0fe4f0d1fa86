import { afterEach, describe, expect, it } from "vitest";
import { harness, last, type Harness } from "../../helpers.js";

const open: Harness[] = [];
async function bot() {
  const h = await harness({ now: () => new Date("2026-11-29T04:00:00Z") });
  open.push(h);
  return h;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** Answers up to the phone question; returns the harness. */
async function toPhone(h: Harness, user = "u1") {
  for (const line of ["村口那条路全是坑，车都开不过去", "对", "青山镇石桥村", "上个月", "尽快修路", "王先生"]) await h.say(line, user);
  return h;
}

describe("DialogEngine: numbers and old buttons never act by accident", () => {
  it("should treat numbers at the phone step as (wrong) answers, never as buttons", async () => {
    const h = await toPhone(await bot());
    await h.say("138");
    await h.say("1380000");
    const r = last(await h.say("3"));
    expect(r.expects).toBe("phone");
    expect(await h.db.outboxMessage.count({ where: { kind: "staff.handoff" } })).toBe(0);
  });

  it("should not take -1 for the first button at the summary", async () => {
    const h = await toPhone(await bot());
    await h.say("13800001234");
    const r = last(await h.say("-1"));
    expect(r.expects).toBe("confirm");
    expect(await h.db.case.count()).toBe(0);
  });

  it("should not store the label of an earlier button as an answer", async () => {
    const h = await bot();
    await h.say("村口那条路全是坑，车都开不过去");
    await h.say("对");
    for (const label of ["其他类别", "确认提交", "修改", "确认", "confirm"]) {
      const r = last(await h.say(label));
      expect(r.expects).toBe("location");
    }
    expect((await h.engine.peek("test", "u1"))?.form.location).toBeUndefined();
  });

  it("should answer back, skip and edit with no form open without notifying staff or opening a case", async () => {
    const h = await bot();
    for (const word of ["back", "skip", "修改", "返回"]) {
      const r = await h.say(word);
      expect(r).toHaveLength(1);
      expect(r[0]!.expects).toBeNull();
      expect(r[0]!.text).toMatch(/没有正在填写|no form in progress/);
    }
    expect(await h.db.outboxMessage.count({ where: { kind: "staff.handoff" } })).toBe(0);
  });

  it("should cancel an edit, not the whole finished form", async () => {
    const h = await toPhone(await bot());
    await h.say("13800001234");
    await h.say("修改");
    await h.say("发生时间");
    const r = last(await h.say("取消"));
    expect(r.expects).toBe("confirm");
    expect((await h.engine.peek("test", "u1"))?.form.location).toBe("青山镇石桥村");
  });
});

describe("DialogEngine: fields get values of their own kind", () => {
  it.each([
    ["2026-02-30", /没有这一天/],
    ["2027年3月1日", /还没到/],
    ["明天", /还没到/],
    ["青山镇石桥村，村口到小学那一段", /没看懂是什么时候/],
  ])("should refuse %s as the time it happened", async (answer, hint) => {
    const h = await bot();
    for (const line of ["村口那条路全是坑，车都开不过去", "对", "青山镇石桥村"]) await h.say(line);
    const r = last(await h.say(answer));
    expect(r.expects).toBe("occurredAt");
    expect(r.text).toMatch(hint);
  });

  it("should keep the month precision of 上个月 in the summary", async () => {
    const h = await toPhone(await bot());
    const r = last(await h.say("13800001234"));
    expect(r.text).toContain("上个月 (2026-10)");
  });

  it.each(["嗯嗯", "上礼拜"])("should refuse %s as a place", async (answer) => {
    const h = await bot();
    await h.say("村口那条路全是坑，车都开不过去");
    await h.say("对");
    expect(last(await h.say(answer)).expects).toBe("location");
  });

  it("should refuse a sentence as a name", async () => {
    const h = await bot();
    for (const line of ["村口那条路全是坑，车都开不过去", "对", "青山镇石桥村", "上个月", "尽快修路"]) await h.say(line);
    expect(last(await h.say("赶紧让老板把钱给我们结了")).expects).toBe("name");
  });

  it("should ask for the place when the description only hints at one", async () => {
    const h = await bot();
    await h.say("我家门口的下水道堵了半个月了，污水流得满街都是");
    const r = last(await h.say("对"));
    expect(r.expects).toBe("location");
  });

  it("should re-classify when the resident corrects the category in words", async () => {
    const h = await bot();
    await h.say("厂里的事一直没人管，大家都很着急");
    await h.engine.handle({ channel: "test", userId: "u1", buttonId: "cat:more" });
    const r = last(await h.say("不是，是老板拖欠工资的问题"));
    expect(r.text).toContain("劳动和社会保障");
  });

  it("should strip bidirectional control characters", async () => {
    const h = await bot();
    const r = await h.say("\u200f\u200e\u202a\u2066");
    expect(r[0]!.text).toMatch(/没有收到内容/);
  });
});

describe("DialogEngine: answers in the resident's language", () => {
  it("should name the unit in English on an English receipt", async () => {
    const h = await bot();
    for (const line of ["The road in our village is full of potholes, cars cannot pass", "yes", "Shiqiao Village", "skip", "skip", "skip", "13800001234"]) await h.say(line);
    const r = last(await h.say("confirm"));
    expect(r.text).toContain("District Transport Bureau");
    expect(r.text).not.toMatch(/\p{Script=Han}/u);
  });

  it("should answer English text in English even when the channel says zh-CN", async () => {
    const h = await bot();
    const r = await h.say("The streetlights on our road have been broken for weeks", "u2", { locale: "zh-CN" });
    expect(last(r).text).toMatch(/Is that right|choose/);
  });
});
