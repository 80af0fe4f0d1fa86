import { describe, expect, it } from "vitest";
import { extractDate, extractEntities, extractMoney, extractPhone, extractPlace, isValidIdCard, parseChineseNumber } from "../../src/nlu/index.js";

const NOW = new Date("2026-11-29T04:00:00Z"); // Sunday 2026-11-29, noon in Shanghai
const TZ = "Asia/Shanghai";
const date = (s: string) => extractDate(s, NOW, TZ)?.date;

describe("extractPhone", () => {
  it("should find CN mobiles written in any common way", () => {
    expect(extractPhone("电话13800001234")).toBe("13800001234");
    expect(extractPhone("call 138 0000 1234 please")).toBe("13800001234");
    expect(extractPhone("+86-138-0000-1234")).toBe("13800001234");
    expect(extractPhone("１３８００００１２３４")).toBe("13800001234");
  });
  it("should find landlines with area code and international numbers", () => {
    expect(extractPhone("座机 0571-88881234")).toBe("057188881234");
    expect(extractPhone("my number is +44 7911 123456")).toBe("+447911123456");
  });
  it("should not take a year, an amount or a short number for a phone", () => {
    expect(extractPhone("2026年欠了35000元")).toBeUndefined();
    expect(extractPhone("yes")).toBeUndefined();
  });
});

describe("extractDate", () => {
  it("should read absolute dates", () => {
    expect(date("2026年3月5日晚上")).toBe("2026-03-05");
    expect(date("on 2026-03-05")).toBe("2026-03-05");
    expect(date("3月5号")).toBe("2026-03-05");
  });
  it("should read relative Chinese dates", () => {
    expect(date("昨天下午")).toBe("2026-11-28");
    expect(date("前天")).toBe("2026-11-27");
    expect(date("上周二")).toBe("2026-11-17");
    expect(date("三天前")).toBe("2026-11-26");
    expect(date("去年三月")).toBe("2025-03-01");
    expect(date("上个月")).toBe("2026-10-01");
  });
  it("should read relative English dates", () => {
    expect(date("yesterday")).toBe("2026-11-28");
    expect(date("last Tuesday")).toBe("2026-11-24");
    expect(date("2 weeks ago")).toBe("2026-11-15");
    expect(date("on March 5")).toBe("2026-03-05");
  });
  it("should take a month-day still to come this year as last year", () => {
    expect(date("12月20日")).toBe("2025-12-20");
  });
  it("should find nothing in text without a date", () => {
    expect(date("路灯坏了")).toBeUndefined();
  });
});

describe("money and numbers", () => {
  it("should parse Chinese numerals", () => {
    expect(parseChineseNumber("三万五千")).toBe(35000);
    expect(parseChineseNumber("十二")).toBe(12);
    expect(parseChineseNumber("3.5万")).toBe(35000);
  });
  it("should find amounts in yuan", () => {
    expect(extractMoney("欠了三万五千元工资")).toBe(35000);
    expect(extractMoney("owed ¥35,000 in wages")).toBe(35000);
    expect(extractMoney("补偿款8万元")).toBe(80000);
    expect(extractMoney("给了500块钱")).toBe(500);
  });
});

describe("extractPlace and ID cards", () => {
  it("should prefer the most specific place", () => {
    expect(extractPlace("村口那条路全是坑，在青山镇石桥村")).toBe("青山镇石桥村");
    // Words that end like places but are not: "反映镇干部", "支书和村主任", "乡村公路".
    expect(extractPlace("我要反映镇干部工作作风粗暴")).toBeUndefined();
    expect(extractPlace("支书和村主任私分补助款")).toBeUndefined();
    expect(extractPlace("乡村公路坏了好久")).toBeUndefined();
    expect(extractPlace("东坪镇的工厂排污")).toBe("东坪镇");
    expect(extractPlace("上周二晚上人民路12号门口井盖丢了")).toBe("人民路12号");
    expect(extractPlace("The bridge on Riverside Road is cracked")).toBe("Riverside Road");
  });
  it("should validate ID-card check characters and not read them as phones", () => {
    expect(isValidIdCard("11010519491231002X")).toBe(true);
    expect(isValidIdCard("110105194912310021")).toBe(false);
    const e = extractEntities("身份证11010519491231002X", NOW, TZ);
    expect(e.idCard).toBe("11010519491231002X");
    expect(e.phone).toBeUndefined();
  });
});
