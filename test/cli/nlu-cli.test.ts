import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/db/database.js";

const BIN = join(PROJECT_ROOT, "bin", "petition-bot.js");
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, LOG_LEVEL: "silent" }, timeout: 120_000 });

function jsonl(rows: Array<{ text: string; label: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), "nlu-"));
  const file = join(dir, "data.jsonl");
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

describe("petition-bot nlu eval", () => {
  it("should train a fresh model on any label set and print the report fields", () => {
    const fruit = ["apple pie recipe", "red apples are sweet", "apple orchard harvest", "green apple juice", "apple tart"];
    const cars = ["car engine noise", "new car tyres", "the car will not start", "car battery dead", "car brakes squeal"];
    const train = jsonl([...fruit.map((text) => ({ text, label: "fruit" })), ...cars.map((text) => ({ text, label: "car" }))]);
    const test = jsonl([{ text: "baked apple dessert", label: "fruit" }, { text: "my car engine stalls", label: "car" }]);
    const r = run(["nlu", "eval", "--train", train, "--test", test, "--json"]);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual(["accuracy", "confusion", "macroF1", "msPerMessageMedian", "msPerMessageP99", "perClass", "trainSeconds"]);
    expect(report.macroF1).toBe(1);
    expect(report.perClass.car).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(report.confusion).toEqual({ car: { car: 1 }, fruit: { fruit: 1 } });
  });

  it("should score the shipped model on a JSONL test file", () => {
    const test = jsonl([{ text: "老板欠了我们半年工资", label: "labor_social_security" }, { text: "路上好多坑没人修", label: "transport" }]);
    const report = JSON.parse(run(["nlu", "eval", "--test", test, "--json"]).stdout);
    expect(report.accuracy).toBe(1);
    expect(report.trainSeconds).toBe(0);
  });

  it("should name the bad line of a malformed file", () => {
    const dir = mkdtempSync(join(tmpdir(), "nlu-"));
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"text":"ok","label":"a"}\n{"text": 5}\n');
    const r = run(["nlu", "eval", "--test", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad.jsonl:2");
  });

  it("should classify one message with confidence and top 3", () => {
    const u = JSON.parse(run(["nlu", "classify", "工地晚上施工噪音扰民", "--json"]).stdout);
    expect(u.category).toBe("safety_environment");
    expect(u.top3).toHaveLength(3);
  });
});
