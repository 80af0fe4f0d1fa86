import { afterAll, describe, expect, it } from "vitest";
import { formatCaseNumber, toLocalDate } from "../src/domain/index.js";
import { createHttpServer } from "../src/http/server.js";
import { fileCase } from "./fault/services.js";
import { harness, loadTexts } from "./helpers.js";
import { webClient } from "./http/web-client.js";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe("a resident asking for someone else's case", () => {
  it("should learn nothing — not even that it exists — on any channel", async () => {
    const h = await harness();
    const app = createHttpServer({ engine: h.engine, texts: await loadTexts() });
    cleanups.push(() => app.close(), () => h.close());
    // Filed by a Telegram resident.
    const theirs = await fileCase((m) => h.engine.handle({ channel: "telegram", userId: "777001", ...m }), "公司拖欠我们三个月工资不发，在青山镇工业园");
    const seq = Number(theirs.split("-")[2]);
    const missing = formatCaseNumber("XF", toLocalDate(new Date(), "Asia/Shanghai"), seq + 500);
    const ask = async (no: string) => {
      const res = await webClient(app).chat({ text: `status ${no}` });
      expect(res.statusCode).toBe(200);
      return (res.json() as { replies: Array<{ text: string; caseNo: string | null }> }).replies;
    };
    // A web resident types the Telegram resident's number, then one that was never issued.
    const other = await ask(theirs);
    const none = await ask(missing);
    expect(other.map((r) => r.text.replaceAll(theirs, "N"))).toEqual(none.map((r) => r.text.replaceAll(missing, "N")));
    const said = other.map((r) => r.text).join("\n");
    for (const secret of ["工资", "劳动", "青山镇", "已交办", "138", "王先生"]) expect(said).not.toContain(secret);
    // The same person on Telegram (the channel identity that filed it) does see it.
    const own = await h.engine.handle({ channel: "telegram", userId: "777001", text: `status ${theirs}` });
    expect(own.map((r) => r.text).join("\n")).toContain(theirs);
    expect(own.map((r) => r.text).join("\n")).toMatch(/已交办|受理|登记/);
  }, 60_000);
});
