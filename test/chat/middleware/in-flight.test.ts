import { describe, expect, it } from "vitest";
import { pipeline } from "../../../src/chat/index.js";
import { InFlight } from "../../../src/chat/middleware/in-flight.js";

describe("InFlight", () => {
  it("should finish the messages in flight before shutdown and refuse new ones", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = 0;
    const inFlight = new InFlight(() => [{ text: "closing", buttons: [], expects: null, caseNo: null }]);
    const inbound = pipeline(inFlight.middleware, { handle: async () => (await gate, finished++, [{ text: "done", buttons: [], expects: null, caseNo: null }]) });
    const first = inbound.handle({ channel: "web", userId: "a" });
    const second = inbound.handle({ channel: "web", userId: "b" });
    expect(inFlight.size).toBe(2);
    let drained = false;
    const drain = inFlight.drain(5000).then((ok) => (drained = ok));
    expect((await inbound.handle({ channel: "web", userId: "c" }))[0]!.text).toBe("closing");
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    release();
    expect((await first)[0]!.text).toBe("done");
    await second;
    await drain;
    expect(drained).toBe(true);
    expect(finished).toBe(2);
  });
});
