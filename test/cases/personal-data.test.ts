import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PersonalDataStore, maskIdNumbers } from "../../src/cases/index.js";
import { runScheduler } from "../../src/notify/index.js";
import { harness, type Harness } from "../helpers.js";

const TZ = "Asia/Shanghai";
const ID18 = "110101199003074218";
const ID15 = "110101900307421";
const YEAR = 365.25 * 86_400_000;

describe("maskIdNumbers", () => {
  it("should keep only the last 4 characters of 18- and 15-digit ID numbers, and nothing else", () => {
    expect(maskIdNumbers(`身份证${ID18}，老身份证${ID15}，电话13800001234`)).toBe(
      "身份证**************4218，老身份证***********7421，电话13800001234",
    );
    expect(maskIdNumbers("身份证11010119900307421X")).toBe("身份证**************421X");
    expect(maskIdNumbers(maskIdNumbers(`号码 ${ID18}`))).toBe("号码 **************4218"); // idempotent
    expect(maskIdNumbers("卡号6222021234567890123 订单123456789012345678901")).toBe(
      "卡号6222021234567890123 订单123456789012345678901",
    );
  });
});

describe("PersonalDataStore", () => {
  let h: Harness;
  let store: PersonalDataStore;
  beforeAll(async () => {
    h = await harness();
    store = new PersonalDataStore(h.db);
  }, 180_000); // builds the classifier; slow on a shared machine
  afterAll(async () => {
    await h.close();
  });

  const submit = (
    userId: string,
    description: string,
    receivedAt = new Date("2026-11-30T01:00:00Z"),
    extra: Record<string, string> = {},
  ) =>
    h.cases.submit({
      key: randomUUID(),
      channel: "test",
      userId,
      chatId: userId,
      locale: "zh-CN",
      receivedAt,
      form: {
        description,
        category: "transport",
        location: "青山镇石桥村",
        demands: "尽快修路",
        name: "王先生",
        phone: "13800001234",
        ...extra,
      },
    });

  it("should never store ID numbers from the form's free text", async () => {
    const receipt = await submit("id-1", `我的身份证号${ID18}，我父亲的老身份证${ID15}，村口的路全是坑`, undefined, {
      location: `青山镇石桥村（户主身份证${ID18}）`,
      demands: `赔偿，身份证 ${ID15}`,
      name: `王先生${ID18}`,
      occurredText: `上个月 ${ID15}`,
    });
    const row = await h.db.case.findUniqueOrThrow({
      where: { caseNo: receipt.caseNo },
      include: { resident: true, events: true },
    });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(ID18);
    expect(stored).not.toContain(ID15);
    expect(stored).not.toMatch(/110101\*/); // not even the region prefix
    expect(row.description).toContain("**************4218");
    expect(row.demands).toContain("***********7421");
    expect(row.idNumbersMaskedAt).not.toBeNull();
  });

  it("should export everything stored about a resident, found by id, phone or case number", async () => {
    const receipt = await submit("export-1", "桥上的栏杆断了，很危险");
    const [id] = await store.find({ caseNo: receipt.caseNo });
    expect(await store.find({ phone: "+86 138 0000 1234" })).toContain(id);
    const doc = await store.export([id!], new Date());
    const resident = doc.residents[0]! as {
      identities: unknown[];
      cases: Array<{ description: string; events: unknown[] }>;
      phone: string;
    };
    expect(resident.phone).toBe("13800001234");
    expect(resident.identities).toEqual([expect.objectContaining({ channel: "test", externalId: "export-1" })]);
    expect(resident.cases[0]!.description).toBe("桥上的栏杆断了，很危险");
    expect(resident.cases[0]!.events.length).toBeGreaterThan(0);
    await expect(store.erase("no-such-resident", "operator", new Date())).rejects.toThrow(
      /No resident found for resident id no-such-resident/,
    );
  });

  it("should anonymise only closed cases older than the cutoff, once a day, and mask stored ID numbers", async () => {
    const now = new Date("2026-12-03T02:00:00Z");
    const old = await submit("ret-old", "十一年前办结的事项：路灯坏了", new Date(now.getTime() - 12 * YEAR));
    const recent = await submit("ret-recent", "九年前办结的事项：水渠堵了", new Date(now.getTime() - 9.5 * YEAR));
    const openOld = await submit("ret-open", "十一年前登记、仍在办理的事项", new Date(now.getTime() - 11 * YEAR));
    await h.db.case.update({
      where: { caseNo: old.caseNo },
      data: { state: "closed", closedAt: new Date(now.getTime() - 11 * YEAR), satisfaction: "satisfied" },
    });
    await h.db.case.update({
      where: { caseNo: recent.caseNo },
      data: { state: "closed", closedAt: new Date(now.getTime() - 9 * YEAR) },
    });
    // A row stored before intake masked ID numbers.
    const legacy = await submit("ret-legacy", "新登记的事项");
    await h.db.case.update({
      where: { caseNo: legacy.caseNo },
      data: { description: `身份证${ID18}，路面塌陷`, idNumbersMaskedAt: null },
    });

    const run = await runScheduler({ db: h.db, timeZone: TZ, retention: { years: 10 } }, now);
    expect(run.retention).toMatchObject({ date: "2026-12-03", anonymised: 1, idNumbersMasked: 1 });
    expect(run.retention!.cutoff).toBe("2016-12-03T02:00:00.000Z");
    const byNo = (caseNo: string) => h.db.case.findUniqueOrThrow({ where: { caseNo }, include: { resident: true } });
    const gone = await byNo(old.caseNo);
    expect(gone).toMatchObject({
      description: "",
      contactPhone: null,
      state: "closed",
      satisfaction: "satisfied",
      town: "青山镇",
    });
    expect(gone.anonymisedAt).not.toBeNull();
    expect(gone.resident).toMatchObject({ name: null, phone: null }); // nothing of theirs left with text
    expect(await h.db.channelIdentity.count({ where: { externalId: "ret-old" } })).toBe(0);
    expect((await byNo(recent.caseNo)).description).toContain("水渠");
    expect((await byNo(openOld.caseNo)).description).toContain("仍在办理");
    expect((await byNo(legacy.caseNo)).description).toBe("身份证**************4218，路面塌陷");

    // Once a day; the next day's run finds nothing more to do.
    expect(
      (await runScheduler({ db: h.db, timeZone: TZ, retention: { years: 10 } }, new Date(now.getTime() + 3_600_000)))
        .retention,
    ).toBeNull();
    const next = await runScheduler(
      { db: h.db, timeZone: TZ, retention: { years: 10 } },
      new Date(now.getTime() + 86_400_000),
    );
    expect(next.retention).toMatchObject({ anonymised: 0, idNumbersMasked: 0 });
    const audit = await h.db.outboxMessage.findMany({ where: { kind: "staff.retention" } });
    expect(audit.map((a) => (a.payload as { date: string }).date)).toEqual(["2026-12-03", "2026-12-04"]);
    // 0 = never.
    expect((await store.retention(0, new Date(now.getTime() + 100 * YEAR))).cutoff).toBeNull();
    expect((await byNo(recent.caseNo)).anonymisedAt).toBeNull();
  });
});
