import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../src/domain/index.js";
import { Nlu, TextClassifier, evaluate, loadCorpus, loadEvalSet, normalizeText, hasNoContent, isEmojiOnly } from "../../src/nlu/index.js";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { join } from "node:path";
import { trainedNlu } from "../helpers.js";

const INTENTS = join(PROJECT_ROOT, "intents");

describe("corpus", () => {
  it("should have at least 80 zh-CN and 30 en examples for every category", () => {
    const corpus = loadCorpus(INTENTS);
    for (const c of CATEGORIES) {
      const zh = corpus.filter((e) => e.label === c && /\p{Script=Han}/u.test(e.text)).length;
      const en = corpus.filter((e) => e.label === c && !/\p{Script=Han}/u.test(e.text)).length;
      expect(zh, c).toBeGreaterThanOrEqual(80);
      expect(en, c).toBeGreaterThanOrEqual(30);
    }
  });

  it("should keep the evaluation set apart from the training set", () => {
    const train = new Set(loadCorpus(INTENTS).map((e) => e.text));
    const held = loadEvalSet(INTENTS);
    expect(held.length).toBeGreaterThan(200);
    expect(held.filter((e) => train.has(e.text))).toEqual([]);
  });
});

describe("Nlu", () => {
  const nlu = trainedNlu();

  it.each([
    ["村口那条路全是坑，电动车摔了好几个", "transport"],
    ["老板拖欠我们三个月工资不给", "labor_social_security"],
    ["拆迁补偿款到现在还没到账", "land_demolition"],
    ["工地扬尘太大，晚上还在施工，吵得睡不着", "safety_environment"],
    ["村支书把低保名额给了自己亲戚", "grassroots_integrity"],
    ["水渠堵了，田里的秧苗都快干死了", "agri_forestry_water"],
    ["法院判了对方赔钱，一年了还没执行", "law_litigation"],
    ["The company hasn't paid our wages for three months", "labor_social_security"],
    ["Huge potholes on the main road, a scooter rider fell yesterday", "transport"],
  ])("should route %s to %s", (text, category) => {
    expect(nlu.understand(text).category).toBe(category);
  });

  it("should score above 0.85 macro-F1 on the held-out zh-CN set", () => {
    const report = evaluate((t) => nlu.understand(t).category, loadEvalSet(INTENTS).filter((e) => e.locale === "zh-CN"));
    expect(report.macroF1).toBeGreaterThan(0.85);
    expect(report.perClass.transport!.support).toBeGreaterThan(0);
    expect(Object.values(report.confusion.transport!).reduce((a, b) => a + b, 0)).toBe(report.perClass.transport!.support);
  });

  it("should give calibrated confidences: within 0.1 of the accuracy on held-out data", () => {
    const held = loadEvalSet(INTENTS);
    let confidence = 0, correct = 0;
    for (const e of held) {
      const u = nlu.understand(e.text);
      confidence += u.confidence;
      if (u.category === e.label) correct++;
    }
    expect(Math.abs(confidence / held.length - correct / held.length)).toBeLessThan(0.1);
  });

  it("should give probabilities in [0,1] and the top 3 in order", () => {
    const u = nlu.understand("工厂排污，河里的鱼都死了");
    expect(u.top3).toHaveLength(3);
    expect(u.confidence).toBeGreaterThan(0);
    expect(u.confidence).toBeLessThanOrEqual(1);
    expect(u.top3[0]!.score).toBeGreaterThanOrEqual(u.top3[1]!.score);
  });

  it("should recognise greetings and thanks as intents, not complaints", () => {
    expect(nlu.understand("你好").intent).toBe("greeting");
    expect(nlu.understand("谢谢啦").intent).toBe("thanks");
    expect(nlu.understand("hello").intent).toBe("greeting");
  });

  it("should keep empty and emoji-only input away from the model", () => {
    expect(nlu.understand("😡😡😡")).toMatchObject({ intent: "offtopic", confidence: 0 });
    expect(nlu.understand("   ")).toMatchObject({ intent: "offtopic", confidence: 0 });
  });

  it("should train the same model twice from the same corpus (deterministic)", () => {
    const a = TextClassifier.train([{ text: "路灯坏了", label: "transport" }, { text: "欠薪", label: "labor_social_security" }]);
    const b = TextClassifier.train([{ text: "路灯坏了", label: "transport" }, { text: "欠薪", label: "labor_social_security" }]);
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(() => Nlu.train([])).toThrow(/empty corpus/);
  });
});

describe("text hygiene", () => {
  it("should strip zero-width and control characters and keep Chinese punctuation", () => {
    expect(normalizeText("\u200b路灯\u0007坏了，\u200d怎么办？")).toBe("路灯坏了，怎么办？");
    expect(normalizeText("ＡＢＣ１２３")).toBe("ABC123");
  });
  it("should tell content from emoji and punctuation", () => {
    expect(hasNoContent("？？！！")).toBe(true);
    expect(isEmojiOnly("👍🏻")).toBe(true);
    expect(isEmojiOnly("路灯👍")).toBe(false);
  });
});
