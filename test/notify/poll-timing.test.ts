import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseWorkflow } from "../../src/cases/index.js";
import type { Actor } from "../../src/domain/index.js";
import { runScheduler } from "../../src/notify/index.js";
import { calendar, fileComplaint, harness, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";
const operator: Actor = { kind: "operator", id: "test-admin" };

/** The satisfaction poll waits for the date a reply promised, else POLL_DELAY_HOURS (issue #17 item 9). */
describe.each(["sqlite", "postgresql"] as const)("poll timing on %s", (provider) => {
  const clock = { now: new Date("2026-11-30T01:00:00Z") }; // Monday 09:00 in Shanghai
  let h: Harness;
  let workflow: CaseWorkflow;
  const tag = `${provider}-${Date.now().toString(36)}`;
  const run = (iso: string) =>
    runScheduler({ db: h.db, timeZone: TZ, workflow, poll: { reminderHours: 48, closeDays: 7, delayHours: 24 } }, new Date(iso));

  /** Files a complaint, answering whatever the form asks, and has it answered with `reply`. */
  const fileAndReply = async (user: string, reply: string) => {
    const caseNo = (await fileComplaint(
      (text) => h.say(text, user),
      (buttonId) => h.engine.handle({ channel: "test", userId: user, buttonId }),
      "村口的路灯坏了，晚上很黑",
    ))!;
    await workflow.transition(caseNo, "accept", operator, {}, clock.now);
    await workflow.transition(caseNo, "reply", operator, { note: reply }, clock.now);
    return caseNo;
  };

  beforeAll(async () => {
    h = await harness({ provider, now: () => clock.now });
    workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: TZ });
  });
  afterAll(async () => {
    await h.close();
  });

  it("should wait until the morning after 本周内 for a promised repair", async () => {
    const caseNo = await fileAndReply(`promised-${tag}`, "已安排施工队，本周内修复");
    expect((await run("2026-11-30T01:05:00Z")).polls.sent).not.toContain(caseNo); // minutes after the reply
    expect((await run("2026-12-02T02:00:00Z")).polls.sent).not.toContain(caseNo); // Wednesday
    expect((await run("2026-12-06T15:00:00Z")).polls.sent).not.toContain(caseNo); // Sunday 23:00, the promise's last day
    expect((await run("2026-12-07T01:00:00Z")).polls.sent).toContain(caseNo); // Monday 09:00
    expect((await run("2026-12-07T02:00:00Z")).polls.sent).not.toContain(caseNo); // once
  });

  it("should wait POLL_DELAY_HOURS when the reply promises no date", async () => {
    const caseNo = await fileAndReply(`plain-${tag}`, "已修复，请查看");
    expect((await run("2026-11-30T12:00:00Z")).polls.sent).not.toContain(caseNo); // 11 hours later
    expect((await run("2026-12-01T01:00:00Z")).polls.sent).toContain(caseNo); // 24 hours later
  });
});
