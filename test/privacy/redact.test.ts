import { describe, expect, it } from "vitest";
import { findPersonalData, maskPhone, redactPersonalData } from "../../src/privacy/index.js";

describe("maskPhone", () => {
  it("should show only the last 4 digits of a phone", () => {
    expect(maskPhone("13800001234")).toBe("*******1234");
    expect(maskPhone("+86 138-0000-1234")).toBe("*********1234");
    expect(maskPhone(null)).toBeNull();
  });
  it("should mask a short number completely", () => {
    expect(maskPhone("1234567")).toBe("*******");
  });
});

describe("redactPersonalData", () => {
  it("should mask phones and ID numbers inside text, keeping at most the last 4 digits", () => {
    const out = redactPersonalData("电话 138-0000-1234，身份证11010519491231002X，座机0571-88881234");
    expect(out).toBe("电话 *******1234，身份证**************002X，座机********1234");
  });
  it("should mask each kind in its format", () => {
    expect(redactPersonalData("我叫欧阳娜娜，邮箱na.ouyang@163.com")).toBe("我叫****，邮箱***@163.com");
    expect(redactPersonalData("住幸福小区5栋2单元301室，车牌京A·12345")).toBe("住幸福小区*栋*单元***室，车牌********");
    expect(redactPersonalData("卡号6222 0214 9037 0058，微信号: wangfang_88")).toBe("卡号************0058，微信号: ***********");
  });
  it("should read full-width digits and Chinese numerals as digits", () => {
    expect(redactPersonalData("电话１３８００００１２３４或者幺三八零零零零五六七八")).toBe("电话*******1234或者*******5678");
  });
  it("should leave dates, amounts, case numbers, hotlines and metro lines alone", () => {
    const text = "2026-12-03 20261203 2026年12月3日 12/03 5000元 ¥12,345.00 XF-261129-0073-7 打12345、110 3号线 第3组 三个月";
    expect(findPersonalData(text)).toEqual([]);
  });
  it("should mask only the kinds asked for", () => {
    const out = redactPersonalData("电话13800001234，身份证11010519491231002X", { kinds: ["id_number"] });
    expect(out).toBe("电话13800001234，身份证**************002X");
  });
  it("should take time linear in the length of the text", () => {
    const line = "我叫张伟，电话13800001234，住5栋2单元301室。".repeat(2000) + "1".repeat(5000) + "a".repeat(5000);
    const t0 = performance.now();
    expect(redactPersonalData(line)).not.toContain("13800001234");
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
