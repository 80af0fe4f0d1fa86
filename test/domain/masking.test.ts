import { describe, expect, it } from "vitest";
import { maskPersonalData, maskPhone, suggestColour } from "../../src/domain/index.js";

describe("masking", () => {
  it("should keep the first 3 and last 4 digits of a phone", () => {
    expect(maskPhone("13800001234")).toBe("138****1234");
    expect(maskPhone(null)).toBeNull();
  });

  it("should mask phones and ID-card numbers inside text", () => {
    const out = maskPersonalData("电话 138-0000-1234，身份证11010519491231002X，座机0571-88881234");
    expect(out).not.toMatch(/00001234|19491231|88881234/);
    expect(out).toContain("138****1234");
    expect(out).toContain("110105********002X");
  });
});

describe("suggestColour", () => {
  it("should make a matter affecting a whole village red", () => {
    expect(suggestColour("agri_forestry_water", "全村两百多户吃不上水")).toBe("red");
  });
  it("should give danger to life the fastest clock", () => {
    expect(suggestColour("safety_environment", "小区地下室有煤气味，怕爆炸")).toBe("green");
  });
  it("should make usually complex categories yellow", () => {
    expect(suggestColour("land_demolition", "拆迁补偿款没给")).toBe("yellow");
    expect(suggestColour("transport", "路灯坏了")).toBe("green");
  });
});
