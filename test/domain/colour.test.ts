import { describe, expect, it } from "vitest";
import { suggestColour } from "../../src/domain/index.js";

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
