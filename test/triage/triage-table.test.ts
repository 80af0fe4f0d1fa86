import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTriageTable } from "../../src/cli/triage-command.js";
import { loadCorpus } from "../../src/nlu/corpus.js";
import { classifyTriage, evaluateTriage, formatTriageReport, TRIAGE_KINDS, type TriageRow } from "../../src/triage/index.js";

/** A labelled table beside this file, read (and each row checked) as `petition-bot triage eval` reads it. */
const readRows = (name: string): TriageRow[] => readTriageTable(fileURLToPath(new URL(name, import.meta.url)));

describe("triage table", () => {
  const table = readRows("./triage-table.jsonl");
  const holdout = readRows("./triage-holdout.jsonl");

  it("meets the floors on the labelled table", () => {
    const r = evaluateTriage(table);
    console.log("triage table\n" + formatTriageReport(r));
    expect(r.rows).toBeGreaterThanOrEqual(720);
    expect(r.emergencyRecall).toBeGreaterThanOrEqual(0.99);
    expect(r.emergencyPrecision).toBeGreaterThanOrEqual(0.98);
    expect(r.callAccuracy).toBeGreaterThanOrEqual(0.98);
    for (const k of TRIAGE_KINDS) {
      if (k === "emergency" || k === "self_harm") continue;
      expect({ kind: k, recall: r.perKind[k].recall >= 0.95 }).toEqual({ kind: k, recall: true });
      expect({ kind: k, precision: r.perKind[k].precision >= 0.95 }).toEqual({ kind: k, precision: true });
    }
  });

  it("keeps danger recall on the holdout", () => {
    const r = evaluateTriage(holdout);
    console.log("triage holdout\n" + formatTriageReport(r));
    expect(r.emergencyRecall).toBeGreaterThanOrEqual(0.98);
    expect(r.emergencyPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it("reads few of the complaints in intents/ as danger or a threat", () => {
    // complaints (floods last summer, a bridge that gave way, a fall at work last year) are petitions;
    // the 10 left are arguable (a gas smell since the works began, 老公家暴, a daughter missing three days)
    const corpus = loadCorpus(new URL("../../intents", import.meta.url).pathname);
    const complaints = corpus.filter((e) => !e.label.startsWith("intent:"));
    const alarming = new Set(["emergency", "self_harm", "threat"]);
    const alarmed = complaints.filter((e) => alarming.has(classifyTriage(e.text).kind));
    console.log(`intents/ complaints read as danger or threat: ${alarmed.length} of ${complaints.length}`);
    expect(complaints.length).toBeGreaterThanOrEqual(1400);
    expect(alarmed.length).toBeLessThanOrEqual(10);
  });
});

describe("triage hard cases", () => {
  it("a past fire is a petition", () => {
    expect(classifyTriage("上个月楼里着火后物业一直不修消防栓").kind).toBe("petition");
  });
  it("someone about to jump is self_harm with 110", () => {
    expect(classifyTriage("有人要跳楼")).toMatchObject({ kind: "self_harm", call: 110 });
  });
  it("another person threatening the writer is emergency/violence 110", () => {
    expect(classifyTriage("他说要拿刀砍我")).toMatchObject({ kind: "emergency", subtype: "violence", call: 110 });
  });
  it("the writer threatening the bureau is a threat", () => {
    expect(classifyTriage("带上汽油把你们都烧了").kind).toBe("threat");
  });
  it("a fire now is emergency/fire 119", () => {
    expect(classifyTriage("救命 我家楼下着火了！！🔥")).toMatchObject({ kind: "emergency", subtype: "fire", call: 119 });
  });
  it("an insult followed by a matter is a petition", () => {
    expect(classifyTriage("狗官不管，路灯坏了三个月").kind).toBe("petition");
  });
  it("a child missing for an hour is emergency/missing 110; a lost bike is a petition", () => {
    expect(classifyTriage("俺家娃在公园走丢了 找了一个小时了")).toMatchObject({ kind: "emergency", subtype: "missing", call: 110 });
    expect(classifyTriage("my kid lost his bike at school and the teachers did nothing").kind).toBe("petition");
  });
  it("pills taken by another person is self_harm with 120", () => {
    expect(classifyTriage("my wife swallowed a bottle of pills")).toMatchObject({ kind: "self_harm", call: 120 });
  });
  it("a worker on a tower crane over wages is self_harm; wages owed alone are a petition", () => {
    expect(classifyTriage("工地上有人爬塔吊讨薪，扬言要往下跳")).toMatchObject({ kind: "self_harm", call: 110 });
    expect(classifyTriage("包工头跑了 讨薪讨了半年 一分没拿到").kind).toBe("petition");
  });
  it("a burst pipe over the sockets is an emergency; one that burst last month is a petition", () => {
    expect(classifyTriage("水管爆了 水都漫到客厅了 插座泡在水里")).toMatchObject({ kind: "emergency", call: 119 });
    expect(classifyTriage("the pipe burst last month and nobody repaired it").kind).toBe("petition");
  });
  it("typed fire and gas in a hurry are read; 煤汽费 and 跳楼价 are not danger", () => {
    expect(classifyTriage("楼道里着伙啦啊啊啊")).toMatchObject({ kind: "emergency", call: 119 });
    expect(classifyTriage("meiqi xielou le kuai lai")).toMatchObject({ kind: "emergency", subtype: "gas" });
    expect(classifyTriage("煤汽费又涨了 一个月三百多").kind).toBe("petition");
    expect(classifyTriage("楼下商店天天喇叭喊跳楼价大甩卖 吵死了").kind).toBe("petition");
  });
  it("menace and status in words", () => {
    expect(classifyTriage("I know where the director lives").kind).toBe("threat");
    expect(classifyTriage("再不解决我就把村书记家房子点了").kind).toBe("threat");
    expect(classifyTriage("有人管没").kind).toBe("status");
    expect(classifyTriage("路灯坏了 有人管没").kind).toBe("petition");
  });
  it("a 20,000-character input returns and does not throw", () => {
    const long = "路灯坏了".repeat(5000);
    const t0 = Date.now();
    const t = classifyTriage(long);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(t.kind).toBe("petition");
    expect(() => classifyTriage("着".repeat(20_000))).not.toThrow();
  });
  it("empty and emoji-only are not petitions", () => {
    expect(classifyTriage("").kind).toBe("not_petition");
    expect(classifyTriage("   ").kind).toBe("not_petition");
    expect(classifyTriage("😀😀👍🙏").kind).toBe("not_petition");
  });
});
