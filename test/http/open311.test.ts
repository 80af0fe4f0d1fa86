import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { CaseWorkflow } from "../../src/cases/index.js";
import { ApiKeyring } from "../../src/http/api-keys.js";
import { w3cDateTime } from "../../src/http/open311-format.js";
import { createHttpServer } from "../../src/http/server.js";
import { calendar, freshPostgresUrl, harness, loadTexts, type Harness } from "../helpers.js";

const KEY = "hotline-key-0123456789abcdef";
let h: Harness;
let app: FastifyInstance;
let workflow: CaseWorkflow;

beforeAll(async () => {
  h = await harness();
  workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  app = createHttpServer({
    engine: h.engine, texts: await loadTexts(),
    open311: { cases: h.cases, texts: await loadTexts(), keys: ApiKeyring.parse(`hotline:${KEY},other-system-key-000000`), timeZone: "Asia/Shanghai", defaultLocale: "zh-CN", contact: "12345" },
  });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const post = (fields: Record<string, string>, ext = "json", headers: Record<string, string> = {}) =>
  app.inject({ method: "POST", url: `/open311/v2/requests.${ext}`, payload: form(fields), headers: { ...FORM, ...headers } });
const good = {
  api_key: KEY, service_code: "transport", description: "村口那条路全是坑，电动车摔了好几个人，联系我13912345678，身份证330102199001011234",
  address_string: "青山镇石桥村", first_name: "小明", last_name: "王", phone: "13800001234", email: "wang@example.com",
  "attribute[occurredAt]": "上个月", "attribute[demands]": "尽快修路",
};
/** Files a case through Open311 and returns its number. */
const file = async (fields: Record<string, string> = {}) => {
  const res = await post({ ...good, ...fields });
  expect(res.statusCode).toBe(201);
  return res.json()[0].service_request_id as string;
};

describe("Open311 services", () => {
  it("should describe the endpoint in discovery.json", async () => {
    const res = await app.inject({ url: "/open311/discovery.json" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ contact: "12345", endpoints: [{ specification: "http://wiki.open311.org/GeoReport_v2", url: "http://localhost:80/open311/v2", formats: ["application/json", "text/xml"] }] });
  });

  it("should list every reception category as a service with its group and keywords", async () => {
    const res = await app.inject({ url: "/open311/v2/services.json" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    const list = res.json();
    expect(list).toHaveLength(8);
    expect(list.find((s: { service_code: string }) => s.service_code === "transport")).toEqual({
      service_code: "transport", service_name: "交通基础设施", description: expect.stringContaining("道路"), metadata: true, type: "realtime",
      keywords: expect.stringContaining("坑洼"), group: "区交通运输局",
    });
    expect(list.find((s: { service_code: string }) => s.service_code === "other").group).toBe("区信访局值班台");
    const en = (await app.inject({ url: "/open311/v2/services.json?locale=en" })).json();
    expect(en.find((s: { service_code: string }) => s.service_code === "transport")).toMatchObject({ service_name: "Transport infrastructure", group: "District Transport Bureau" });
  });

  it("should answer in XML when the path ends in .xml", async () => {
    const res = await app.inject({ url: "/open311/v2/services.xml" });
    expect(res.headers["content-type"]).toMatch(/text\/xml; charset=utf-8/);
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<services>/);
    expect(res.body.match(/<service>/g)).toHaveLength(8);
    expect(res.body).toContain("<service_code>land_demolition</service_code>");
  });

  it("should give a service's attributes with datatype, required and order", async () => {
    const res = await app.inject({ url: "/open311/v2/services/transport.json?locale=en" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      service_code: "transport",
      attributes: [
        { variable: true, code: "occurredAt", datatype: "string", required: false, datatype_description: expect.stringMatching(/not in the future/), order: 1, description: expect.stringMatching(/When did it happen/) },
        { variable: true, code: "demands", datatype: "text", required: false, datatype_description: expect.stringMatching(/500/), order: 2, description: expect.stringMatching(/What would you like/) },
      ],
    });
    const xml = await app.inject({ url: "/open311/v2/services/transport.xml" });
    expect(xml.body).toMatch(/<service_definition>[\s\S]*<attributes>[\s\S]*<attribute>[\s\S]*<code>occurredAt<\/code>/);
  });

  it("should answer an unknown service, format or path with the spec's error list", async () => {
    const res = await app.inject({ url: "/open311/v2/services/potholes.json" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual([{ code: 404, description: expect.stringMatching(/^service_code: unknown service "potholes"/) }]);
    const xml = await app.inject({ url: "/open311/v2/services/potholes.xml" });
    expect(xml.statusCode).toBe(404);
    expect(xml.body).toMatch(/<errors>\s*<error>\s*<code>404<\/code>\s*<description>service_code: unknown/);
    const format = await app.inject({ url: "/open311/v2/services.csv" });
    expect(format.statusCode).toBe(400);
    expect(format.json()[0]).toMatchObject({ code: 400, description: expect.stringMatching(/^format:/) });
    const nowhere = await app.inject({ url: "/open311/v3/services.json" });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()[0].code).toBe(404);
    const locale = await app.inject({ url: "/open311/v2/services.json?locale=fr" });
    expect(locale.statusCode).toBe(400);
    expect(locale.json()[0].description).toMatch(/^locale:/);
  });
});

describe("Open311 POST requests", () => {
  it("should file a case through the case service and answer with its number and a receipt", async () => {
    const res = await post(good);
    expect(res.statusCode).toBe(201);
    const [r] = res.json();
    expect(r.service_request_id).toMatch(/^XF-\d{6}-\d{4,}-\d$/);
    expect(r.service_notice).toMatch(new RegExp(`已登记，编号 ${r.service_request_id}。责任单位：区交通运输局`));
    const c = (await h.cases.show(r.service_request_id, true))!;
    expect(c).toMatchObject({
      category: "transport", state: "assigned", channel: "open311", unit: { id: "transport_bureau" }, location: "青山镇石桥村",
      name: "王小明", phone: "13800001234", demands: "尽快修路", occurredAt: "上个月",
    });
    // ID-card numbers are not stored at all: masked to their last 4 at intake.
    expect(c.description).toBe(good.description.replace("330102199001011234", "**************1234"));
    const identity = await h.db.channelIdentity.findFirst({ where: { channel: "open311", resident: { cases: { some: { caseNo: r.service_request_id } } } } });
    expect(identity?.externalId).toBe("hotline:email:wang@example.com");
  });

  it("should take coordinates as the place, a JSON body, and answer in XML", async () => {
    const json = await app.inject({ method: "POST", url: "/open311/v2/requests.json", payload: { api_key: KEY, service_code: "safety_environment", description: "Factory by the river dumps waste water at night", lat: "30.2741", long: "120.1551", locale: "en" } });
    expect(json.statusCode).toBe(201);
    const caseNo = json.json()[0].service_request_id;
    expect(json.json()[0].service_notice).toMatch(/^Registered as case XF-.*Responsible unit: District Ecology/);
    expect((await h.cases.show(caseNo))!.location).toBe("30.2741,120.1551");
    const xml = await post({ ...good, description: "路灯坏了一个月了，晚上很黑" }, "xml");
    expect(xml.statusCode).toBe(201);
    expect(xml.body).toMatch(/<service_requests>\s*<request>\s*<service_request_id>XF-[\d-]+<\/service_request_id>/);
  });

  it("should refuse a missing or wrong API key with 403 before reading the request", async () => {
    const wrong = await post({ ...good, api_key: "not-the-key-000000000000" });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toEqual([{ code: 403, description: "api_key: missing or not valid" }]);
    const { api_key: _k, ...noKey } = good;
    const missing = await post({ ...noKey, service_code: "" });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).not.toContain(KEY);
    const xml = await post({ ...good, api_key: "x" }, "xml");
    expect(xml.statusCode).toBe(403);
    expect(xml.body).toMatch(/<errors>[\s\S]*<code>403<\/code>/);
  });

  it("should refuse a missing or unknown service_code naming the field", async () => {
    const { service_code: _s, ...noCode } = good;
    const missing = await post(noCode);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual([{ code: 400, description: "service_code: required" }]);
    const unknown = await post({ ...good, service_code: "potholes" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()[0].description).toMatch(/^service_code: unknown service "potholes"/);
  });

  it("should refuse a description over 4,000 characters, or one with no content", async () => {
    const long = await post({ ...good, description: "工厂排放废水污染河道，".repeat(400) + "很臭" });
    expect(long.statusCode).toBe(400);
    expect(long.json()[0]).toEqual({ code: 400, description: expect.stringMatching(/^description: .*4000/) });
    const empty = await post({ ...good, description: "😀😀" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()[0].description).toMatch(/^description: required/);
    const short = await post({ ...good, description: "路坏" });
    expect(short.json()[0].description).toMatch(/^description: too short/);
  });

  it("should apply the chat form's validation to the other fields and report every bad one", async () => {
    const { address_string: _a, ...noPlace } = good;
    const res = await post({ ...noPlace, phone: "12345", first_name: "13800001234", "attribute[occurredAt]": "明天", "attribute[color]": "red", media_url: "javascript:alert(1)" });
    expect(res.statusCode).toBe(400);
    const descriptions = res.json().map((e: { description: string }) => e.description);
    expect(descriptions).toEqual(expect.arrayContaining([
      expect.stringMatching(/^address_string: required, or lat and long/),
      expect.stringMatching(/^phone: not a phone number/),
      expect.stringMatching(/^first_name: /),
      expect.stringMatching(/^attribute\[occurredAt\]: is in the future/),
      expect.stringMatching(/^attribute\[color\]: unknown attribute/),
      expect.stringMatching(/^media_url: /),
    ]));
    expect(res.json().every((e: { code: number }) => e.code === 400)).toBe(true);
    const coords = await post({ ...noPlace, lat: "95", long: "120" });
    expect(coords.json()[0].description).toMatch(/^lat: must be a latitude/);
    const half = await post({ ...noPlace, lat: "30" });
    expect(half.json()[0].description).toMatch(/^long: required/);
    expect(await h.db.case.count({ where: { description: good.description, channel: "open311", contactPhone: "12345" } })).toBe(0);
  });

  it("should refuse a body that is not form-encoded or JSON with 415 in the spec's format", async () => {
    const res = await app.inject({ method: "POST", url: "/open311/v2/requests.json", payload: "<x/>", headers: { "content-type": "application/xml" } });
    expect(res.statusCode).toBe(415);
    expect(res.json()[0].code).toBe(415);
  });

  it("should file one case for retries with the same Idempotency-Key", async () => {
    const first = await post(good, "json", { "idempotency-key": "hotline-call-778899" });
    const again = await post(good, "json", { "idempotency-key": "hotline-call-778899" });
    expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);
    const other = await post(good, "json", { "idempotency-key": "hotline-call-778900" });
    expect(other.json()[0].service_request_id).not.toBe(first.json()[0].service_request_id);
  });
});

describe("Open311 GET requests", () => {
  it("should give a request's status, unit and dates without personal data", async () => {
    const caseNo = await file();
    const res = await app.inject({ url: `/open311/v2/requests/${caseNo}.json` });
    expect(res.statusCode).toBe(200);
    const [r] = res.json();
    const c = (await h.cases.list({ caseNos: [caseNo] }))[0]!;
    expect(r).toEqual({
      service_request_id: caseNo, status: "open", status_notes: "已交办责任单位", service_name: "交通基础设施", service_code: "transport",
      description: "村口那条路全是坑，电动车摔了好几个人，联系我*******5678，身份证**************1234",
      agency_responsible: "区交通运输局", service_notice: expect.stringMatching(/^法定答复期限：\d{4}-\d{2}-\d{2}/),
      requested_datetime: w3cDateTime(c.receivedAt, "Asia/Shanghai"), updated_datetime: w3cDateTime(c.updatedAt, "Asia/Shanghai"),
      expected_datetime: w3cDateTime(c.colourDueAt, "Asia/Shanghai"),
      address: "青山镇石桥村", address_id: null, zipcode: null, lat: null, long: null, media_url: null,
    });
    expect(r.expected_datetime).toMatch(/T23:59:59\+08:00$/);
    for (const secret of ["13800001234", "0001234", "王小明", "小明", "尽快修路", "wang@example.com", "13912345678", "199001011234"]) expect(res.body).not.toContain(secret);
  });

  it("should say closed once the unit has answered, and keep accusations against officials unpublished", async () => {
    const caseNo = await file();
    await workflow.transition(caseNo, "accept", { kind: "operator", id: "test" });
    await workflow.transition(caseNo, "reply", { kind: "operator", id: "test" }, { note: "已修复路面" });
    const [r] = (await app.inject({ url: `/open311/v2/requests/${caseNo}.json?locale=en` })).json();
    expect(r).toMatchObject({ status: "closed", status_notes: "replied", agency_responsible: "District Transport Bureau" });
    const secret = await file({ service_code: "grassroots_integrity", description: "村主任张三挪用集体资金，账目不公开" });
    const [s] = (await app.inject({ url: `/open311/v2/requests/${secret}.json` })).json();
    expect(s.description).toBeNull();
    expect(s.address).toBeNull(); // the village alone can point to who reported
    expect(s.status).toBe("open");
  });

  it("should answer an unknown or mistyped request id with 404 or 400", async () => {
    const caseNo = await file();
    const missing = await app.inject({ url: "/open311/v2/requests/XF-200101-9999-5.json" });
    const typo = await app.inject({ url: `/open311/v2/requests/${caseNo.slice(0, -1)}${(Number(caseNo.slice(-1)) + 1) % 10}.json` });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()[0].description).toMatch(/^service_request_id: .*not a valid case number/);
    expect([400, 404]).toContain(missing.statusCode);
    const valid = caseNo.replace(/-(\d{4,})-\d$/, "-9999-");
    for (let d = 0; d < 10; d++) {
      const res = await app.inject({ url: `/open311/v2/requests/${valid}${d}.json` });
      if (res.statusCode === 404) {
        expect(res.json()).toEqual([{ code: 404, description: `service_request_id: no request ${valid}${d}` }]);
        return;
      }
    }
    throw new Error("no valid unknown case number found");
  });

  it("should filter by service_code, status and dates, newest first", async () => {
    const env = await file({ service_code: "safety_environment", description: "化工厂夜里偷排废水，河水发黑发臭" });
    const road = await file();
    const all = (await app.inject({ url: "/open311/v2/requests.json" })).json();
    expect(all.map((r: { service_request_id: string }) => r.service_request_id).slice(0, 2)).toEqual([road, env]);
    const envOnly = (await app.inject({ url: "/open311/v2/requests.json?service_code=safety_environment,agri_forestry_water" })).json();
    expect(envOnly.length).toBeGreaterThan(0);
    expect(envOnly.every((r: { service_code: string }) => r.service_code === "safety_environment")).toBe(true);
    expect(envOnly.map((r: { service_request_id: string }) => r.service_request_id)).toContain(env);
    const closed = (await app.inject({ url: "/open311/v2/requests.json?status=closed" })).json();
    expect(closed.every((r: { status: string }) => r.status === "closed")).toBe(true);
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(road);
    const today = new Date().toISOString().slice(0, 10);
    const past = (await app.inject({ url: "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-01-31T00:00:00+08:00" })).json();
    expect(past).toEqual([]);
    const window = (await app.inject({ url: `/open311/v2/requests.json?start_date=${new Date(Date.now() - 3_600_000).toISOString()}&end_date=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}` })).json();
    expect(window.map((r: { service_request_id: string }) => r.service_request_id)).toContain(road);
    const byIds = (await app.inject({ url: `/open311/v2/requests.json?service_request_id=${env},${road}&service_code=transport&start_date=${today}` })).json();
    expect(byIds.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([env, road].sort());
    const xml = await app.inject({ url: "/open311/v2/requests.xml?service_code=safety_environment" });
    expect(xml.body).toMatch(/^<\?xml[^>]*>\n<service_requests>\s*<request>/);
  });

  it("should refuse a bad date range, status or service_code with 400", async () => {
    const cases: Array<[string, RegExp]> = [
      ["start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", /^end_date: before start_date/],
      ["start_date=2026-01-01&end_date=2026-06-01", /^start_date, end_date: more than 90 days apart/],
      ["start_date=yesterday", /^start_date: "yesterday" is not a W3C date-time/],
      ["end_date=2026-11-01T10:00:00", /^end_date: .*not a W3C date-time/],
      ["start_date=2026-02-30", /^start_date: /],
      ["status=pending", /^status: "pending" is not open or closed/],
      ["service_code=potholes", /^service_code: unknown service "potholes"/],
      ["service_request_id=XF-1", /^service_request_id: /],
      ["page=0", /^page: /],
      ["page_size=5000", /^page_size: /],
    ];
    for (const [query, message] of cases) {
      const res = await app.inject({ url: `/open311/v2/requests.json?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json()[0], query).toEqual({ code: 400, description: expect.stringMatching(message) });
    }
  });

  it("should page through more than a page with the pagination extension", async () => {
    await file();
    await file();
    const first = await app.inject({ url: "/open311/v2/requests.json?page_size=1&service_code=transport" });
    const total = Number(first.headers["x-total-count"]);
    expect(total).toBeGreaterThanOrEqual(2);
    expect(first.json()).toHaveLength(1);
    expect(first.headers.link).toMatch(/^<\/open311\/v2\/requests\.json\?[^>]*page=2[^>]*>; rel="next"$/);
    const next = String(first.headers.link).slice(1, String(first.headers.link).indexOf(">"));
    const second = await app.inject({ url: next });
    expect(second.json()).toHaveLength(1);
    expect(second.json()[0].service_request_id).not.toBe(first.json()[0].service_request_id);
    const last = await app.inject({ url: `/open311/v2/requests.json?page_size=1&service_code=transport&page=${total}` });
    expect(last.headers.link).toBeUndefined();
  });
});

const READER = "portal-read-key-0000000";
const FULL = "bureau-full-key-0000000";
const scopedKeys = () => ApiKeyring.parse(`hotline:${KEY},portal:${READER}@read,bureau:${FULL}@read_full`);

describe.each(["sqlite", "postgresql"] as const)("Open311 reads and the resident's consent (OPEN311_PUBLIC_READ) on %s", (provider) => {
  let hh: Harness;
  let pg: Awaited<ReturnType<typeof freshPostgresUrl>> | null = null;
  let none: FastifyInstance;
  let full: FastifyInstance;
  let redacted: FastifyInstance;
  beforeAll(async () => {
    pg = provider === "postgresql" ? await freshPostgresUrl() : null;
    hh = await harness({ provider, url: pg?.url });
    const texts = await loadTexts();
    const make = (publicRead: "none" | "redacted" | "full") =>
      createHttpServer({ engine: hh.engine, texts, open311: { cases: hh.cases, texts, keys: scopedKeys(), timeZone: "Asia/Shanghai", defaultLocale: "zh-CN", publicRead } });
    [none, full, redacted] = [make("none"), make("full"), make("redacted")];
  }, 120_000);
  afterAll(async () => {
    for (const a of [none, full, redacted]) await a?.close();
    await hh?.close();
    await pg?.drop();
  });

  const TEXT = "我叫王建国，三组12号门口的下水道堵了半个月，电话13912345678";
  /** Files through the web chat; `consent` taps "确认并同意匿名公开" instead of "确认提交". */
  const chatFile = async (consent: boolean) => {
    const user = `o311-${consent}-${Math.random().toString(36).slice(2, 10)}`;
    const say = (text: string) => hh.engine.handle({ channel: "web", userId: user, text });
    for (const line of [TEXT, "对", "青山镇石桥村三组12号", "跳过", "跳过", "跳过", "13912345678"]) await say(line);
    const replies = await hh.engine.handle({ channel: "web", userId: user, buttonId: consent ? "confirm:public" : "confirm" });
    const caseNo = replies.map((r) => r.caseNo).find(Boolean);
    expect(caseNo).toBeTruthy();
    return caseNo!;
  };

  it("should list a chat-filed case only when the resident agreed, and answer one who did not exactly as a missing number", async () => {
    const hidden = await chatFile(false);
    const shown = await chatFile(true);
    expect((await hh.db.case.findUniqueOrThrow({ where: { caseNo: hidden } })).publicConsent).toBe(false);
    const list = await redacted.inject({ url: "/open311/v2/requests.json" });
    const ids = (list.json() as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
    const one = await redacted.inject({ url: `/open311/v2/requests/${shown}.json` });
    expect(one.statusCode).toBe(200);
    const byList = await redacted.inject({ url: `/open311/v2/requests.json?service_request_id=${hidden},${shown}` });
    expect(byList.json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([shown]);
    expect(ids).not.toContain(hidden);
    // Not listed, and GET by number says exactly what a number nobody has says.
    const res = await redacted.inject({ url: `/open311/v2/requests/${hidden}.json` });
    expect(res.statusCode).toBe(404);
    expect(res.json()[0].description).toBe(`service_request_id: no request ${hidden}`);
    // The consented one is published without the name, the house number or the phone.
    const [r] = one.json();
    expect(r.address).toBe("青山镇石桥村");
    for (const secret of ["王建国", "三组12号", "13912345678", "1391234"]) expect(one.body).not.toContain(secret);
  });

  it("should leak none of the issue's personal data from a published description in the default mode", async () => {
    const leaks = {
      name: "我叫王建国", house: "三组12号", numerals: "一三八零零零零一二三四", idSpaced: "330102 19900101 1234",
      id15: "330102900101123", email: "wang.jianguo@163.com", wechat: "微信号：wjg_1990", qq: "QQ：123456789",
      card: "6222 0212 3456 7890 128", plate: "浙A·12345",
    };
    const description = `村口路灯坏了一个月，${Object.values(leaks).join("，")}，请尽快修`;
    const res = await redacted.inject({
      method: "POST", url: "/open311/v2/requests.json", headers: FORM,
      payload: form({ ...good, description, first_name: "建国", last_name: "王" }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const caseNo = res.json()[0].service_request_id as string;
    for (const url of [`/open311/v2/requests/${caseNo}.json`, `/open311/v2/requests/${caseNo}.xml`, `/open311/v2/requests.json?service_request_id=${caseNo}`]) {
      const body = (await redacted.inject({ url })).body;
      expect(body, url).toContain("村口路灯坏了一个月");
      for (const [kind, value] of Object.entries(leaks)) {
        const core = kind === "name" ? "王建国" : kind === "house" ? "三组12号" : value.replace(/^[^：:]*[：:]/, "").replace(/\s/g, "");
        expect(body.replace(/\s/g, ""), `${url} ${kind}`).not.toContain(core);
      }
      // No run of 5 or more digits survives in the published description (masks keep at most the last 4).
      const published = url.endsWith(".xml") ? /<description>([\s\S]*?)<\/description>/.exec(body)?.[1] : JSON.parse(body)[0].description;
      expect(published, url).toContain("请尽快修");
      expect(published, url).not.toMatch(/\d{5,}/);
    }
  });

  it("should read nothing without a read key in mode none, and give read and read_full keys what their scope allows", async () => {
    const caseNo = await chatFile(false);
    for (const url of ["/open311/v2/requests.json", `/open311/v2/requests/${caseNo}.json`]) {
      const res = await none.inject({ url });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()[0].description).toMatch(/^api_key: /);
      // A filing key does not read either.
      expect((await none.inject({ url: `${url}?api_key=${KEY}` })).statusCode).toBe(403);
      // A wrong key is refused, in every mode.
      expect((await redacted.inject({ url: `${url}?api_key=not-a-key-0000000000` })).statusCode).toBe(403);
    }
    const read = await none.inject({ url: `/open311/v2/requests/${caseNo}.json`, headers: { "x-api-key": READER } });
    expect(read.statusCode).toBe(200);
    expect(read.json()[0].address).toBe("青山镇石桥村");
    for (const secret of ["王建国", "三组12号", "13912345678"]) expect(read.body).not.toContain(secret);
    const typed = await none.inject({ url: `/open311/v2/requests/${caseNo}.json?api_key=${FULL}` });
    expect(typed.json()[0]).toMatchObject({ description: TEXT, address: "青山镇石桥村三组12号" });
    // Mode full shows every case as typed, for a closed network.
    expect((await full.inject({ url: `/open311/v2/requests/${caseNo}.json` })).json()[0].description).toBe(TEXT);
    // The key never travels on in the next-page link.
    const paged = await none.inject({ url: `/open311/v2/requests.json?page_size=1&api_key=${READER}` });
    expect(String(paged.headers.link ?? "")).not.toContain(READER);
  });
});

describe("Open311 key scopes for filing", () => {
  let scoped: FastifyInstance;
  beforeAll(async () => {
    const texts = await loadTexts();
    scoped = createHttpServer({ engine: h.engine, texts, open311: { cases: h.cases, texts, keys: scopedKeys(), timeZone: "Asia/Shanghai", defaultLocale: "zh-CN" } });
  });
  afterAll(async () => {
    await scoped?.close();
  });

  it("should refuse to file with a key that has no file scope, and give the filing system the enquiry code", async () => {
    const refused = await scoped.inject({ method: "POST", url: "/open311/v2/requests.json", payload: form({ ...good, api_key: READER }), headers: FORM });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()[0].description).toMatch(/no file scope/);
    const filed = await post(good);
    expect(filed.json()[0].service_notice).toMatch(/查询码 [A-HJ-KM-NP-Z2-9]{6}/);
  });
});
