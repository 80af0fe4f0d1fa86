import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, last, type Harness } from "../../helpers.js";

describe.each(["sqlite", "postgresql"] as const)("many residents at once on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ provider });
  });
  afterAll(async () => {
    await h.close();
  });

  it("should file one case per resident when 20 confirm at the same moment", async () => {
    const users = Array.from({ length: 20 }, (_, i) => `crowd-${provider}-${Date.now()}-${i}`);
    const script = ["楼下烧烤店油烟太大，每天晚上熏到十二点", "对", "幸福小区3栋", "跳过", "跳过", "跳过", "13800001234"];
    await Promise.all(users.map(async (u) => {
      for (const line of script) await h.say(line, u);
    }));
    const receipts = await Promise.all(users.map(async (u) => last(await h.say("确认", u))));
    const numbers = receipts.map((r) => r.caseNo);
    expect(numbers.every((n) => typeof n === "string" && n.startsWith("XF-"))).toBe(true);
    expect(new Set(numbers).size).toBe(20);
    for (const u of users) {
      const residentId = await h.repository.residentIdOf("test", u);
      expect(await h.db.case.count({ where: { residentId: residentId! } })).toBe(1);
    }
  });
});
