import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { formatCaseNumber, parseCaseNumber } from "../../src/domain/index.js";
import type { Submission } from "../../src/chat/resident/index.js";
import { harness, type Harness } from "../helpers.js";

function submission(overrides: Partial<Submission> = {}): Submission {
  return {
    key: randomUUID(),
    channel: "test",
    userId: `resident-${randomUUID()}`,
    chatId: "chat-1",
    locale: "zh-CN",
    receivedAt: new Date("2026-11-30T01:00:00Z"),
    form: { description: "小区门口的路灯坏了一个月", category: "transport", location: "幸福路8号", phone: "13800001234", name: "张女士" },
    ...overrides,
  };
}

describe.each(["sqlite", "postgresql"] as const)("CaseService + CaseRepository on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ provider });
  });
  afterAll(async () => {
    await h.close();
  });

  it("should save a case with its resident, events, clocks and an outbox row in one go", async () => {
    const sub = submission();
    const receipt = await h.cases.submit(sub);
    expect(parseCaseNumber(receipt.caseNo)).toBe(receipt.caseNo);
    expect(receipt).toMatchObject({ category: "transport", unitId: "transport_bureau", colour: "green", receivedDate: "2026-11-30", colourDueDate: "2026-12-01" });
    const details = await h.cases.show(receipt.caseNo, true);
    expect(details).toMatchObject({ state: "assigned", location: "幸福路8号", phone: "13800001234", name: "张女士" });
    expect(details!.clocks.objectionDueAt).toBe("2026-12-07T15:59:59.999Z");
    expect(details!.events.map((e) => e.type)).toEqual(["created", "assigned"]);
    // One notification per cadre of the unit with a chat (other test files may have bound some).
    const cadres = await h.db.cadre.count({ where: { unitId: "transport_bureau", chatId: { not: null } } });
    const rows = await h.db.outboxMessage.findMany({ where: { dedupeKey: { contains: sub.key } } });
    expect(rows).toHaveLength(cadres);
    for (const r of rows) expect(r.kind).toBe("cadre.new_case");
  });

  it("should return the same receipt for the same submission key", async () => {
    const sub = submission();
    const [a, b] = await Promise.all([h.cases.submit(sub), h.cases.submit(sub)]);
    expect(b.caseNo).toBe(a.caseNo);
    expect(await h.db.case.count({ where: { submissionKey: sub.key } })).toBe(1);
  });

  it("should number cases of one day in sequence without gaps or repeats", async () => {
    const day = new Date("2027-03-01T02:00:00Z");
    const receipts = await Promise.all(Array.from({ length: 5 }, () => h.cases.submit(submission({ receivedAt: day }))));
    const numbers = receipts.map((r) => r.caseNo).sort();
    expect(new Set(numbers).size).toBe(5);
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => formatCaseNumber("XF", "2027-03-01", n)));
  });

  it("should route `other` to the duty desk", async () => {
    const r = await h.cases.submit(submission({ form: { description: "快递柜总是坏", category: "other" } }));
    expect(r.unitId).toBe("duty_desk");
  });

  it("should show a case only to the resident who filed it", async () => {
    const sub = submission();
    const r = await h.cases.submit(sub);
    expect(await h.cases.status("test", sub.userId, r.caseNo)).toMatchObject({ caseNo: r.caseNo });
    expect(await h.cases.status("test", "someone-else", r.caseNo)).toBeNull();
    expect(await h.cases.status("web", sub.userId, r.caseNo)).toBeNull();
    expect((await h.cases.recent("test", sub.userId, 5)).map((c) => c.caseNo)).toEqual([r.caseNo]);
  });

  it("should keep one resident for several cases from the same channel identity", async () => {
    const userId = `same-${randomUUID()}`;
    await h.cases.submit(submission({ userId }));
    await h.cases.submit(submission({ userId, form: { description: "又一个问题：水管爆了", category: "other", phone: "13911112222" } }));
    const residentId = await h.repository.residentIdOf("test", userId);
    expect(await h.db.case.count({ where: { residentId: residentId! } })).toBe(2);
    expect((await h.db.resident.findUnique({ where: { id: residentId! } }))!.phone).toBe("13911112222");
  });

  it("should list cases newest first and filter by state and unit", async () => {
    const list = await h.cases.list({ unitId: "duty_desk", state: "assigned" });
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((c) => c.unitId === "duty_desk" && c.state === "assigned")).toBe(true);
    const all = await h.cases.list({ limit: 1000 });
    const times = all.map((c) => c.receivedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("should leave no trace when saving fails halfway", async () => {
    const before = await h.db.case.count();
    const residentsBefore = await h.db.resident.count();
    // An unknown unit id breaks the foreign key after the resident and sequence were written.
    await expect(
      h.repository.insert(
        {
          submissionKey: randomUUID(), category: "transport", suggestedCategory: null, classifierScore: null, state: "assigned", colour: "green",
          description: "x", location: null, occurredText: null, occurredOn: null, demands: null, attachments: [], contactName: null, contactPhone: null,
          channel: "test", chatId: "c", locale: "zh-CN", unitId: "no_such_unit", receivedAt: new Date(), assignedAt: new Date(),
          colourDueAt: new Date(), registerDueAt: new Date(), acceptanceDueAt: new Date(), objectionDueAt: null, replyDueAt: new Date(), extendedDays: 0,
          resident: { channel: "test", externalId: `broken-${randomUUID()}`, name: null, phone: null, locale: "zh-CN" }, events: [], outbox: [],
        },
        "XF:2099-01-01",
        (n) => formatCaseNumber("XF", "2099-01-01", n),
      ),
    ).rejects.toThrow();
    expect(await h.db.case.count()).toBe(before);
    expect(await h.db.resident.count()).toBe(residentsBefore);
    expect(await h.db.caseSequence.findUnique({ where: { key: "XF:2099-01-01" } })).toBeNull();
  });
});
