import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../helpers.js";

/** A bot reply as any channel shows it: text and buttons (ids may be unknown to the channel). */
export interface SeenReply {
  text: string;
  buttons: Array<{ id: string; label: string }>;
}

/** A channel under test, driven as a resident would. */
export interface TestChannel {
  /** The real stack behind the channel, for checking what was saved. */
  h: Harness;
  /** The channel's name for the resident in the database (e.g. "telegram"). */
  channel: string;
  /** Sends `text` as the resident; resolves with the bot's replies to it. */
  say(text: string): Promise<SeenReply[]>;
  /** Presses the button `label` of the last reply (the channel decides how: id, number, label). */
  press(label: string): Promise<SeenReply[]>;
  close(): Promise<void>;
}

const CASE_NO = /XF-\d{6}-\d{4,}-\d/;

/**
 * The contract every channel passes (terminal, web, Telegram, WeChat …): a whole complaint ends
 * in a receipt whose case is saved; buttons work; odd input gets an answer; markup is kept as
 * text; the resident can read the status of their own case.
 */
export function channelConformance(name: string, make: () => Promise<TestChannel>): void {
  describe(`${name} channel (conformance)`, () => {
    const open: TestChannel[] = [];
    const start = async () => {
      const c = await make();
      open.push(c);
      return c;
    };
    afterEach(async () => {
      while (open.length) await open.pop()!.close();
    });

    async function fileComplaint(c: TestChannel, description: string) {
      let replies = await c.say(description);
      expect(replies.at(-1)!.buttons.length).toBeGreaterThan(0); // category choice
      replies = await c.press(replies.at(-1)!.buttons[0]!.label);
      replies = await c.say("青山镇石桥村三组");
      replies = await c.say("上个月");
      replies = await c.say("尽快处理");
      replies = await c.say("王先生");
      replies = await c.say("13800001234");
      const summary = replies.at(-1)!;
      const confirm = summary.buttons.find((b) => b.id === "confirm" || /确认/.test(b.label));
      expect(confirm, "the summary offers a confirm button").toBeTruthy();
      return c.press(confirm!.label);
    }

    it("should take a complaint from first message to a saved case and a receipt", async () => {
      const c = await start();
      const receipt = await fileComplaint(c, "村口那条路全是坑，电动车摔了好几个人");
      const caseNo = CASE_NO.exec(receipt.map((r) => r.text).join("\n"))?.[0];
      expect(caseNo).toBeTruthy();
      expect(await c.h.cases.show(caseNo!)).toMatchObject({ channel: c.channel, location: "青山镇石桥村三组", demands: "尽快处理" });
    });

    it("should keep markup a resident types as plain text", async () => {
      const c = await start();
      const receipt = await fileComplaint(c, "<b>路边</b>垃圾_堆积_如山 & 臭 <script>x()</script>");
      const caseNo = CASE_NO.exec(receipt.map((r) => r.text).join("\n"))![0];
      expect((await c.h.cases.show(caseNo))!.description).toBe("<b>路边</b>垃圾_堆积_如山 & 臭 <script>x()</script>");
    });

    it("should answer emoji-only input politely and save nothing", async () => {
      const c = await start();
      const replies = await c.say("😡😡😡");
      expect(replies.length).toBeGreaterThan(0);
      expect(replies[0]!.text).toMatch(/表情|emoji/);
      expect(await c.h.db.case.count()).toBe(0);
    });

    it("should let the resident read the status of their own case", async () => {
      const c = await start();
      const receipt = await fileComplaint(c, "工厂晚上偷偷排放黑烟，气味很难闻");
      const caseNo = CASE_NO.exec(receipt.map((r) => r.text).join("\n"))![0];
      const status = await c.say(`查询 ${caseNo}`);
      expect(status.map((r) => r.text).join("\n")).toContain(caseNo);
    });
  });
}
