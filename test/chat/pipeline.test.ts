import { describe, expect, it } from "vitest";
import { desk, pipeline, type Inbound, type Middleware, type Reply } from "../../src/chat/index.js";

const reply = (text: string): Reply => ({ text, buttons: [], expects: null, caseNo: null });
const echo = { handle: async (msg: Inbound) => [reply(`form:${msg.text}`)] };

describe("pipeline", () => {
  it("should run steps in order, let a step answer alone, change the message, or add to the answer", async () => {
    const seen: string[] = [];
    const log: Middleware = async (msg, next) => (seen.push(`log:${msg.text}`), next());
    const upper: Middleware = (msg, next) => next({ ...msg, text: msg.text?.toUpperCase() });
    const stop: Middleware = async (msg, next) => (msg.text === "STOP" ? [reply("stopped")] : next());
    const prefix: Middleware = async (_msg, next) => [reply("first"), ...(await next())];
    const inbound = pipeline(log, upper, stop, prefix, echo);
    expect((await inbound.handle({ channel: "web", userId: "u", text: "abc" })).map((r) => r.text)).toEqual(["first", "form:ABC"]);
    expect((await inbound.handle({ channel: "web", userId: "u", text: "stop" })).map((r) => r.text)).toEqual(["stopped"]);
    expect(seen).toEqual(["log:abc", "log:stop"]);
  });

  it("should drop a message nobody answers, and refuse a step that calls next twice", async () => {
    expect(await pipeline(async (_m, next) => next()).handle({ channel: "web", userId: "u" })).toEqual([]);
    const twice: Middleware = async (_m, next) => (await next(), next());
    await expect(pipeline(twice, echo).handle({ channel: "web", userId: "u", text: "x" })).rejects.toThrow(/next\(\) called twice by step 0 \(twice\)/);
  });

  it("should pass a desk's null on and stop at its replies", async () => {
    const cadre = desk("cadreDesk", { handle: async (msg) => (msg.userId === "cadre" ? [reply("cadre")] : null) });
    const inbound = pipeline(cadre, echo);
    expect((await inbound.handle({ channel: "web", userId: "cadre", text: "x" }))[0]!.text).toBe("cadre");
    expect((await inbound.handle({ channel: "web", userId: "resident", text: "x" }))[0]!.text).toBe("form:x");
  });
});
