import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyTriage, evaluateTriage, formatTriageReport, TRIAGE_KINDS, type TriageRow } from "../../src/triage/index.js";

function readRows(name: string): TriageRow[] {
  const text = readFileSync(new URL(name, import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TriageRow);
}

describe("triage table", () => {
  const table = readRows("./triage-table.jsonl");
  const holdout = readRows("./triage-holdout.jsonl");

  it("meets the floors on the labelled table", () => {
    const r = evaluateTriage(table);
    console.log("triage table\n" + formatTriageReport(r));
    expect(r.rows).toBeGreaterThanOrEqual(420);
    expect(r.emergencyRecall).toBeGreaterThanOrEqual(0.98);
    expect(r.emergencyPrecision).toBeGreaterThanOrEqual(0.9);
    expect(r.callAccuracy).toBeGreaterThanOrEqual(0.95);
    for (const k of TRIAGE_KINDS) {
      if (k === "emergency" || k === "self_harm") continue;
      expect({ kind: k, recall: r.perKind[k].recall >= 0.85 }).toEqual({ kind: k, recall: true });
      expect({ kind: k, precision: r.perKind[k].precision >= 0.85 }).toEqual({ kind: k, precision: true });
    }
  });

  it("keeps danger recall on the holdout", () => {
    const r = evaluateTriage(holdout);
    console.log("triage holdout\n" + formatTriageReport(r));
    expect(r.emergencyRecall).toBeGreaterThanOrEqual(0.95);
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
