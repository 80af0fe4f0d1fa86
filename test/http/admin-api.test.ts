import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk } from "../../src/chat/index.js";
import { createHttpServer } from "../../src/http/server.js";
import { calendar, harness, loadTexts, type Harness } from "../helpers.js";

const TOKEN = "a-very-long-admin-token";
const AUTH = { authorization: `Bearer ${TOKEN}` };
let h: Harness;
let app: FastifyInstance;
let cadres: CadreDesk;

beforeAll(async () => {
  h = await harness();
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: "Asia/Shanghai" });
  app = createHttpServer({ engine: h.engine, texts, adminToken: TOKEN, adminApi: { db: h.db, cases: h.cases, workflow, cadres, timeZone: "Asia/Shanghai" } });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

/** Files a road case as a chat resident would (through the case service); returns its number. */
const file = async (category: "transport" | "safety_environment" = "transport") => {
  const r = await h.cases.submit({
    key: randomUUID(), channel: "test", userId: `res-${randomUUID()}`, chatId: "res", locale: "zh-CN", receivedAt: new Date(),
    form: { description: "村口那条路全是坑，我的电话13912345678", category, location: "青山镇石桥村", name: "王先生", phone: "13800001234" },
  });
  return r.caseNo;
};
const get = (url: string, headers: Record<string, string> = AUTH) => app.inject({ url, headers });
const transition = (caseNo: string, body: object) => app.inject({ method: "POST", url: `/admin/api/cases/${caseNo}/transitions`, payload: body, headers: AUTH });

describe("admin API access", () => {
  it("should answer 404 on every path when no ADMIN_TOKEN is configured", async () => {
    const bare = createHttpServer({ engine: h.engine, texts: await loadTexts(), adminApi: { db: h.db, cases: h.cases, workflow: new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" }), cadres, timeZone: "Asia/Shanghai" } });
    for (const url of ["/admin/api/cases", "/admin/api/units"]) {
      const res = await bare.inject({ url, headers: AUTH });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: "NOT_FOUND", message: `GET ${url} not found` });
    }
    await bare.close();
  });

  it("should answer 401 without the bearer token or with a wrong one", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong-token-wrong-token" }, { authorization: TOKEN }, { authorization: `Bearer ${TOKEN}x` }] as Array<Record<string, string>>) {
      const res = await get("/admin/api/cases", headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: "UNAUTHORIZED", message: expect.stringMatching(/Bearer/) });
    }
  });
});

describe("admin API cases", () => {
  it("should list cases newest first with phones masked, as cases list --json does", async () => {
    const older = await file("safety_environment");
    const newer = await file();
    const res = await get("/admin/api/cases?limit=10");
    expect(res.statusCode).toBe(200);
    const { cases } = res.json();
    expect(cases.map((c: { caseNo: string }) => c.caseNo).slice(0, 2)).toEqual([newer, older]);
    expect(cases[0]).toEqual({ caseNo: newer, category: "transport", state: "assigned", colour: "green", unit: "transport_bureau", receivedAt: expect.any(String), colourDueAt: expect.any(String), phone: "*******1234" });
    const envOnly = (await get("/admin/api/cases?category=safety_environment&state=assigned")).json().cases;
    expect(envOnly.map((c: { caseNo: string }) => c.caseNo)).toContain(older);
    expect(envOnly.every((c: { category: string }) => c.category === "safety_environment")).toBe(true);
  });

  it("should refuse a bad filter naming it", async () => {
    for (const [query, field] of [["state=open", "state"], ["category=roads", "category"], ["limit=0", "limit"], ["limit=5000", "limit"], ["colour=red", "colour"]] as const) {
      const res = await get(`/admin/api/cases?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({ error: "BAD_REQUEST", message: expect.stringContaining(field) });
    }
  });

  it("should show one case with clocks and history, masked unless reveal_phone", async () => {
    const caseNo = await file();
    const res = await get(`/admin/api/cases/${caseNo}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      caseNo, state: "assigned", unit: { id: "transport_bureau", name: "区交通运输局" }, phone: "*******1234", name: "王先生",
      description: "村口那条路全是坑，我的电话*******5678", clocks: { colourDueAt: expect.any(String), replyDueAt: expect.any(String), objectionDueAt: expect.any(String) },
      events: [{ type: "created", actor: "resident" }, { type: "assigned", actor: "system", to: "assigned" }],
    });
    const revealed = (await get(`/admin/api/cases/${caseNo}?reveal_phone=true`)).json();
    expect(revealed).toMatchObject({ phone: "13800001234", description: expect.stringContaining("13912345678") });
  });

  it("should answer a mistyped or unknown case number with 400 or 404", async () => {
    const caseNo = await file();
    const typo = `${caseNo.slice(0, -1)}${(Number(caseNo.slice(-1)) + 1) % 10}`;
    const bad = await get(`/admin/api/cases/${typo}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: "CASE.INVALID_NUMBER", message: expect.stringMatching(/not a valid case number/) });
    const base = caseNo.replace(/-(\d{4,})-\d$/, "-9999-");
    const unknown = await Promise.all(Array.from({ length: 10 }, (_, d) => get(`/admin/api/cases/${base}${d}`)));
    const notFound = unknown.find((r) => r.statusCode === 404)!;
    expect(notFound.json()).toEqual({ error: "CASE.NOT_FOUND", message: expect.stringMatching(/^Case XF-.* not found$/) });
  });
});

describe("admin API transitions", () => {
  it("should move a case through the workflow and queue the resident's notification", async () => {
    const caseNo = await file();
    const res = await transition(caseNo, { action: "accept" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caseNo, action: "accept", from: "assigned", to: "accepted", notifications: 1 });
    const events = (await get(`/admin/api/cases/${caseNo}`)).json().events;
    expect(events.at(-1)).toMatchObject({ type: "accept", actor: "operator:operator", to: "accepted" });
    const news = (await h.db.outboxMessage.findMany({ where: { kind: "resident.status" } })).filter((r) => (r.payload as { caseNo?: string }).caseNo === caseNo);
    expect(news).toHaveLength(1);
    const extend = await transition(caseNo, { action: "extend", days: 20, note: "需要协调施工单位", actor: "ops-li" });
    expect(extend.json()).toMatchObject({ from: "accepted", to: "accepted" });
  });

  it("should map the workflow's refusals to 4xx with the domain's code", async () => {
    const caseNo = await file();
    const noNote = await transition(caseNo, { action: "object" });
    expect(noNote.statusCode).toBe(422);
    expect(noNote.json()).toEqual({ error: "CASE.ACTION_REFUSED", message: "object needs a note (reason, progress or opinion)" });
    const wrongState = await transition(caseNo, { action: "close" });
    expect(wrongState.statusCode).toBe(409);
    expect(wrongState.json()).toEqual({ error: "CASE.INVALID_TRANSITION", message: 'Action "close" is not allowed in state "assigned"' });
    await transition(caseNo, { action: "accept" });
    const tooLong = await transition(caseNo, { action: "extend", days: 40, note: "等待" });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().message).toMatch(/1–30 days/);
    const unknownAction = await transition(caseNo, { action: "approve" });
    expect(unknownAction.statusCode).toBe(400);
    expect(unknownAction.json()).toEqual({ error: "BAD_REQUEST", message: expect.stringContaining("action") });
    const noUnit = await transition(caseNo, { action: "assign", unit: "roads_office" });
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().message).toMatch(/^unit: no unit "roads_office"/);
    const extra = await transition(caseNo, { action: "accept", by: "x" });
    expect(extra.statusCode).toBe(400);
    const missing = await transition("XF-200101-0001-9", { action: "accept" });
    expect([400, 404]).toContain(missing.statusCode);
  });

  it("should apply a cadre's permissions when acting as that cadre", async () => {
    const caseNo = await file();
    const invite = await app.inject({ method: "POST", url: "/admin/api/cadres/invites", payload: { unit: "ecology_bureau", name: "环保局刘科长" }, headers: AUTH });
    const user = `cadre-${randomUUID()}`;
    await cadres.handle({ channel: "test", userId: user, text: `/bind ${invite.json().code}` });
    const cadre = (await h.db.cadre.findFirst({ where: { externalId: user } }))!;
    const res = await transition(caseNo, { action: "accept", actor: cadre.id });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: "CASE.FORBIDDEN", message: `Not allowed to accept case ${caseNo}` });
  });
});

describe("admin API units and cadres", () => {
  it("should list units and import a units file with warnings", async () => {
    const list = (await get("/admin/api/units")).json().units;
    expect(list.map((u: { id: string }) => u.id)).toContain("transport_bureau");
    expect(list.find((u: { id: string }) => u.id === "duty_desk")).toMatchObject({ isDutyDesk: true, categories: ["other"] });
    const res = await app.inject({ method: "POST", url: "/admin/api/units", headers: AUTH, payload: { units: [{ id: "qingshan_roads", name: "青山镇交通办", categories: ["transport"], areas: ["青山镇"] }, { id: "roads_two", name: "二号交通办", categories: ["transport"] }] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: ["qingshan_roads", "roads_two"], warnings: [expect.stringMatching(/^category transport is also handled district-wide by transport_bureau/)] });
    expect((await get("/admin/api/units")).json().units.map((u: { id: string }) => u.id)).toContain("qingshan_roads");
  });

  it("should refuse a bad units file or a second duty desk and import nothing", async () => {
    const typo = await app.inject({ method: "POST", url: "/admin/api/units", headers: AUTH, payload: { units: [{ id: "town_b", name: "B", categories: ["roads"] }] } });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toEqual({ error: "BAD_REQUEST", message: expect.stringMatching(/^units\.0\.categories\.0/) });
    const desk = await app.inject({ method: "POST", url: "/admin/api/units", headers: AUTH, payload: { units: [{ id: "desk_two", name: "第二值班台", isDutyDesk: true }] } });
    expect(desk.statusCode).toBe(400);
    expect(desk.json().message).toMatch(/exactly one duty desk/);
    const notJson = await app.inject({ method: "POST", url: "/admin/api/units", headers: { ...AUTH, "content-type": "application/json" }, payload: "units: []" });
    expect(notJson.statusCode).toBe(400);
    expect((await get("/admin/api/units")).json().units.map((u: { id: string }) => u.id)).not.toContain("desk_two");
  });

  it("should issue a one-time cadre invite code, and refuse an unknown unit, role or validity", async () => {
    const res = await app.inject({ method: "POST", url: "/admin/api/cadres/invites", payload: { unit: "transport_bureau", role: "leader", ttlHours: 24 }, headers: AUTH });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ code: expect.stringMatching(/^[A-Z2-9]{8}$/), unit: "transport_bureau", role: "leader", expiresAt: expect.any(String) });
    expect(new Date(res.json().expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const bind = await cadres.handle({ channel: "test", userId: `leader-${randomUUID()}`, text: `/bind ${res.json().code}` });
    expect(bind![0]!.text).toMatch(/绑定成功/);
    for (const [payload, pattern] of [
      [{ unit: "roads_office" }, /^unit: no unit "roads_office"/],
      [{ unit: "transport_bureau", role: "boss" }, /role/],
      [{ unit: "transport_bureau", ttlHours: 1000 }, /ttlHours/],
      [{}, /unit/],
    ] as const) {
      const bad = await app.inject({ method: "POST", url: "/admin/api/cadres/invites", payload, headers: AUTH });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json()).toEqual({ error: "BAD_REQUEST", message: expect.stringMatching(pattern) });
    }
  });
});
