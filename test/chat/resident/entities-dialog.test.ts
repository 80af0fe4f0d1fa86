import { afterEach, describe, expect, it } from "vitest";
import { harness, last, type Harness } from "../../helpers.js";

// Issue #14, part 2: what a receptionist takes from the first message and every answer.
const NOW = new Date("2026-11-29T04:00:00Z"); // Sunday 2026-11-29, noon in Shanghai
const open: Harness[] = [];
async function bot() {
  const h = await harness({ memoryStore: true, now: () => NOW });
  open.push(h);
  return h;
}
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

/** Answers every question with a default until the summary; returns the slots asked and the summary. */
async function toSummary(h: Harness, first: string, answers: Record<string, string> = {}) {
  const asked: string[] = [];
  let r = last(await h.say(first));
  for (let i = 0; i < 12 && r.expects !== "confirm"; i++) {
    asked.push(r.expects!);
    const fallback: Record<string, string> = { category: "1", location: "青山镇石桥村", phone: "13800001234" };
    r = last(await h.say(answers[r.expects!] ?? fallback[r.expects!] ?? "跳过"));
  }
  expect(r.expects).toBe("confirm");
  return { asked, summary: r };
}

async function file(h: Harness, first: string, answers: Record<string, string> = {}) {
  const { asked } = await toSummary(h, first, answers);
  const receipt = last(await h.say("确认"));
  expect(receipt.caseNo).toBeTruthy();
  const saved = await h.db.case.findFirst({ where: { caseNo: receipt.caseNo! } });
  return { asked, caseNo: receipt.caseNo!, saved: saved!, shown: (await h.cases.show(receipt.caseNo!))! };
}

describe("DialogEngine: entities from the first message", () => {
  it("should take an English street address and a duration from the first message", async () => {
    const h = await bot();
    const { asked, shown } = await file(h, "The street light outside number 14 Elm Road has been out for three weeks", {
      category: "yes", phone: "13800001234",
    });
    expect(asked).not.toContain("location");
    expect(asked).not.toContain("occurredAt");
    expect(shown).toMatchObject({ location: "14 Elm Road", occurredAt: "for three weeks", occurredOn: "2026-11-08" });
  });

  it("should record 楼顶漏水三个月了 as started three months ago and not ask when", async () => {
    const h = await bot();
    const { asked, summary } = await toSummary(h, "楼顶漏水三个月了，一下雨家里就没法住");
    expect(asked).toContain("location");
    expect(asked).not.toContain("occurredAt");
    expect(summary.text).toContain("三个月了 (2026-08)");
  });

  it.each(["王家村", "河口村", "十里村", "前进村", "和平村", "东门村"])(
    "should keep town and village together for 青山镇%s, for routing and the village ledger",
    async (village) => {
      const h = await bot();
      const { asked, saved } = await file(h, `路灯坏了，晚上走路很危险，在青山镇${village}`);
      expect(asked).not.toContain("location");
      expect(saved).toMatchObject({ location: `青山镇${village}`, town: "青山镇", village });
    },
  );
});

describe("DialogEngine: answers that are not what was asked", () => {
  it.each(["我家门口", "这里", "楼下", "门口"])("should ask which village or street after %s", async (vague) => {
    const h = await bot();
    await h.say("下水道堵了，污水流得到处都是");
    expect(last(await h.say("对")).expects).toBe("location");
    const r = last(await h.say(vague));
    expect(r.expects).toBe("location");
    expect(r.text).toContain("哪个村或哪条街");
    expect(last(await h.say("青山镇石桥村三组")).expects).toBe("occurredAt");
  });

  it("should ask which village or street after 'outside my house' in English", async () => {
    const h = await bot();
    await h.say("The drain is blocked and dirty water is everywhere");
    const r0 = last(await h.say("1")); // the first category offered
    expect(r0.expects).toBe("location");
    const r = last(await h.say("outside my house"));
    expect(r.expects).toBe("location");
    expect(r.text).toMatch(/Which village or street\?/);
  });

  it.each(["1380000", "12345"])("should not take %s as the date", async (number) => {
    const h = await bot();
    await toSummaryStep(h, "occurredAt");
    const r = last(await h.say(number));
    expect(r.expects).toBe("occurredAt");
    expect(r.text).toContain("单独一个数字不是日期");
  });

  it("should not take a phone number as the demand, and say what it expects", async () => {
    const h = await bot();
    await toSummaryStep(h, "demands");
    const r = last(await h.say("13800001234"));
    expect(r.expects).toBe("demands");
    expect(r.text).toContain("希望怎么解决");
    expect(last(await h.say("尽快修好")).expects).toBe("name");
  });

  it("should not take a phone number as yes to the category or to the summary", async () => {
    const h = await bot();
    await h.say("村口那条路全是坑，车都开不过去");
    expect(last(await h.say("13800001234")).expects).toBe("category");
    const { summary } = await toSummary(h, "对");
    expect(summary.expects).toBe("confirm");
    const r = last(await h.say("13900002222"));
    expect(r.expects).toBe("confirm");
    expect(r.caseNo).toBeNull();
    expect(r.text).toContain("电话");
  });
});

describe("DialogEngine: money is not people", () => {
  it("should not turn 一学期好几百 (a few hundred yuan) red", async () => {
    const h = await bot();
    const { shown } = await file(h, "学校乱收费，一学期好几百，家长负担很重");
    expect(shown.colour).not.toBe("red");
  });

  it("should turn 几百户 (hundreds of households) red", async () => {
    const h = await bot();
    const { shown } = await file(h, "村里的自来水停了，几百户吃水困难");
    expect(shown.colour).toBe("red");
  });
});

/** Fills the form up to `step` with a description that names neither place nor time. */
async function toSummaryStep(h: Harness, step: string) {
  let r = last(await h.say("村口那条路全是坑，车都开不过去"));
  const answers: Record<string, string> = { category: "对", location: "青山镇石桥村", occurredAt: "上个月", demands: "尽快修路" };
  for (let i = 0; i < 8 && r.expects !== step; i++) r = last(await h.say(answers[r.expects!]!));
  expect(r.expects).toBe(step);
}
