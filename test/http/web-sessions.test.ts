import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { CaseWorkflow, revokeCadre } from "../../src/cases/index.js";
import { CadreDesk, frontDesk } from "../../src/chat/index.js";
import { PrismaWebSessionStore } from "../../src/http/prisma-web-session-store.js";
import { createHttpServer } from "../../src/http/server.js";
import { SESSION_COOKIE, WebSessions } from "../../src/http/web-sessions.js";
import { renderOutbox, takeWebInbox } from "../../src/notify/index.js";
import type { Texts } from "../../src/i18n.js";
import { calendar, freshPostgresUrl, harness, loadTexts, type Harness } from "../helpers.js";
import { sessionIdOf, webClient, type WebClient } from "./web-client.js";

const TOKEN = "web-sessions-admin-token-0123";
const SECRET = "test-session-secret-0123456789-abcdef";

/** The web chat on a real database with the cadre desk in front, as `serve` wires it. */
async function rig(provider: "sqlite" | "postgresql") {
  // A PostgreSQL database of its own: the cadres bound here must not receive other files' new-case cards.
  const pg = provider === "postgresql" ? await freshPostgresUrl() : null;
  const h = await harness({ provider, url: pg?.url });
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  const cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: "Asia/Shanghai" });
  const app = createHttpServer({
    engine: frontDesk({ cadres, residents: h.engine }), texts, sessionSecret: SECRET,
    sessions: new WebSessions({ store: new PrismaWebSessionStore(h.db) }),
    inbox: (id) => takeWebInbox(h.db, id, (row) => renderOutbox(row, h.db, texts, "Asia/Shanghai")),
    adminToken: TOKEN, adminApi: { db: h.db, cases: h.cases, workflow, cadres, timeZone: "Asia/Shanghai" },
  });
  return { h, texts, cadres, app, drop: async () => pg?.drop() };
}

/** Files a road case (through the case service, as a Telegram resident); returns its number and unit. */
async function fileRoadCase(h: Harness): Promise<{ caseNo: string; unitId: string }> {
  const r = await h.cases.submit({
    key: randomUUID(), channel: "telegram", userId: `res-${randomUUID()}`, chatId: "res", locale: "zh-CN", receivedAt: new Date(),
    form: { description: "村口那条路全是坑，下雨天没法走", category: "transport", location: "石桥村", name: "王先生", phone: "13800001234" },
  });
  const c = await h.db.case.findUniqueOrThrow({ where: { caseNo: r.caseNo } });
  return { caseNo: r.caseNo, unitId: c.unitId! };
}

const text = (replies: Array<{ text: string }>) => replies.map((r) => r.text).join("\n");

describe.each(["sqlite", "postgresql"] as const)("web sessions on %s: what an attacker tries", (provider) => {
  let r: Awaited<ReturnType<typeof rig>>;
  let unitId: string;
  beforeAll(async () => {
    r = await rig(provider);
    unitId = (await fileRoadCase(r.h)).unitId;
  }, 120_000);
  afterAll(async () => {
    await r?.app.close();
    await r?.h.close();
    await r?.drop();
  });

  /** A cadre of the road unit signed in on the web chat (their browser, with the rotated cookie). */
  async function cadreBrowser(): Promise<{ browser: WebClient; cadreId: string }> {
    const { code } = await r.cadres.invite(unitId, "handler", "路政王科长");
    const browser = webClient(r.app);
    await browser.say(`/bind ${code}`);
    const cadre = await r.h.db.cadre.findFirstOrThrow({ where: { id: `cadre-${code.toLowerCase()}` } });
    return { browser, cadreId: cadre.id };
  }

  /** Does the cadre desk answer this browser's /cases (the unit's list) — i.e. is it the cadre? */
  const seesUnitList = async (b: WebClient, texts: Texts) => text(await b.say("/cases")).includes(texts.t("zh-CN")("cadre.list.title"));

  it("should give a guessed or stolen userId in the body or query a 400 and never that user's data", async () => {
    const { browser: cadre } = await cadreBrowser();
    const { caseNo } = await fileRoadCase(r.h);
    const victim = sessionIdOf(cadre.cookie!);
    const attacker = webClient(r.app);
    const body = await attacker.chat({ userId: victim, text: "/cases" });
    expect(body.statusCode).toBe(400);
    expect(body.json().message).toMatch(/^userId: not accepted/);
    const query = await attacker.request("GET", `/api/inbox?userId=${encodeURIComponent(victim)}`);
    expect(query.statusCode).toBe(400);
    expect(query.json().message).toMatch(/^userId:/);
    expect(query.body).not.toContain(caseNo);
    // The cadre's new-case card is still waiting for the cadre, with the full phone number.
    const own = text(await cadre.inbox());
    expect(own).toContain(caseNo);
    expect(own).toContain("13800001234");
  });

  it("should give a copied raw session id (no signature) a new anonymous session", async () => {
    const { browser: cadre } = await cadreBrowser();
    const { caseNo } = await fileRoadCase(r.h);
    const thief = webClient(r.app);
    thief.cookie = sessionIdOf(cadre.cookie!);
    expect(await thief.inbox()).toEqual([]);
    expect(sessionIdOf(thief.cookie!)).not.toBe(sessionIdOf(cadre.cookie!));
    expect(await seesUnitList(thief, r.texts)).toBe(false);
    expect(text(await cadre.inbox())).toContain(caseNo);
  });

  it("should not let a cross-site navigation empty a cadre's inbox (it consumes what it hands out)", async () => {
    const { browser: cadre } = await cadreBrowser();
    const { caseNo } = await fileRoadCase(r.h);
    for (const headers of <Array<Record<string, string>>>[{ "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, { origin: "https://evil.example" }]) {
      const res = await cadre.request("GET", "/api/inbox", undefined, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error).toBe("CROSS_SITE_REQUEST");
    }
    // Nothing was handed out: the page's own request still gets the card.
    expect(text(await cadre.inbox())).toContain(caseNo);
  });

  it("should give a cookie with a tampered or foreign signature a new anonymous session", async () => {
    const { browser: cadre } = await cadreBrowser();
    const { caseNo } = await fileRoadCase(r.h);
    const [id, sig] = [sessionIdOf(cadre.cookie!), cadre.cookie!.slice(cadre.cookie!.lastIndexOf(".") + 1)];
    const flipped = `${id}.${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
    // Signed with another server's secret (what an attacker can compute without ours).
    const other = createHttpServer({ engine: { handle: async () => [] }, texts: r.texts, sessionSecret: "another-secret-0123456789-0123456789" });
    other.get("/sign", async (_req, reply) => reply.setCookie("x", id, { signed: true }).send({}));
    const foreign = (await other.inject({ url: "/sign" })).cookies[0]!.value;
    await other.close();
    for (const forged of [flipped, foreign, `${id}.`, `${id}.${sig}x`]) {
      const attacker = webClient(r.app);
      attacker.cookie = forged;
      expect(await attacker.inbox()).toEqual([]);
      expect(attacker.cookie).not.toBe(forged);
      expect(sessionIdOf(attacker.cookie!)).not.toBe(id);
      expect(await seesUnitList(attacker, r.texts)).toBe(false);
    }
    expect(text(await cadre.inbox())).toContain(caseNo);
  });

  it("should not let an attacker's planted cookie become the cadre when the cadre signs in (session fixation)", async () => {
    const attacker = webClient(r.app);
    await attacker.request("GET", "/");
    const planted = attacker.cookie!;
    // The cadre's browser carries the attacker's cookie and signs in with a real invite.
    const victim = webClient(r.app);
    victim.cookie = planted;
    const { code } = await r.cadres.invite(unitId, "handler", "被钓鱼的科长");
    const bound = await victim.chat({ text: `/bind ${code}` });
    expect(bound.statusCode).toBe(200);
    expect(text(bound.json().replies)).toContain(r.texts.t("zh-CN")("cadre.help").slice(0, 6));
    expect(victim.cookie).not.toBe(planted);
    const cadre = await r.h.db.cadre.findUniqueOrThrow({ where: { id: `cadre-${code.toLowerCase()}` } });
    expect(cadre.externalId).toBe(sessionIdOf(victim.cookie!));
    expect(cadre.chatId).toBe(sessionIdOf(victim.cookie!));
    expect(cadre.externalId).not.toBe(sessionIdOf(planted));
    // The pre-bind id is nobody now: the attacker gets a new anonymous session, not the cadre.
    const { caseNo } = await fileRoadCase(r.h);
    expect(await attacker.inbox()).toEqual([]);
    expect(sessionIdOf(attacker.cookie!)).not.toBe(sessionIdOf(planted));
    expect(await seesUnitList(attacker, r.texts)).toBe(false);
    expect(text(await victim.inbox())).toContain(caseNo);
    expect(await seesUnitList(victim, r.texts)).toBe(true);
  });

  it("should refuse a cross-site POST /api/chat with 403 naming why, before any turn", async () => {
    const resident = webClient(r.app);
    await resident.say("村里的路灯坏了一个多月，晚上很黑");
    const cookie = resident.cookie;
    const cases: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "https://sub.localhost" },
    ];
    for (const headers of cases) {
      const res = await resident.chat({ text: "取消" }, headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe("CROSS_SITE_REQUEST");
      expect(res.json().message).toMatch(headers["sec-fetch-site"] ? /Sec-Fetch-Site/ : /Origin/);
      expect(resident.cookie).toBe(cookie);
    }
    // The form was not cancelled by any of them; the page's own requests still work.
    const own = await resident.chat({ buttonId: "resume" }, { origin: "http://localhost", "sec-fetch-site": "same-origin" });
    expect(own.statusCode).toBe(200);
    expect(own.json().replies.at(-1).expects).toBe("category");
  });

  it("should keep a cadre's inbox out of reach of every other browser", async () => {
    const { browser: cadre } = await cadreBrowser();
    const { caseNo } = await fileRoadCase(r.h);
    for (let i = 0; i < 3; i++) expect(await webClient(r.app).inbox()).toEqual([]);
    const card = text(await cadre.inbox());
    expect(card).toContain(caseNo);
    expect(card).toContain("13800001234");
    expect(await cadre.inbox()).toEqual([]); // handed out once
  });

  it("should give a revoked cadre's session nothing of the unit", async () => {
    const { browser: cadre, cadreId } = await cadreBrowser();
    const { caseNo: waiting } = await fileRoadCase(r.h);
    const result = await revokeCadre(r.h.db, cadreId, "test-operator");
    expect(result.droppedNotifications).toBeGreaterThanOrEqual(1);
    const { caseNo: after } = await fileRoadCase(r.h);
    const inbox = text(await cadre.inbox());
    expect(inbox).not.toContain(waiting);
    expect(inbox).not.toContain(after);
    expect(await seesUnitList(cadre, r.texts)).toBe(false);
    const said = text(await cadre.say(`/case ${waiting}`));
    expect(said).not.toContain("13800001234");
    expect(said).not.toContain("石桥村");
    const row = await r.h.db.cadre.findUniqueOrThrow({ where: { id: cadreId } });
    expect(row).toMatchObject({ channel: null, externalId: null, chatId: null });
    expect(row.revokedAt).toBeInstanceOf(Date);
    const audit = await r.h.db.outboxMessage.findMany({ where: { kind: "staff.cadre_revoked" } });
    expect(audit.some((a) => (a.payload as { cadreId?: string }).cadreId === cadreId)).toBe(true);
  });

  it("should end the session on /logout: the old cookie is nobody and the cadre is signed out", async () => {
    const { browser: cadre, cadreId } = await cadreBrowser();
    const old = cadre.cookie!;
    const res = await cadre.chat({ text: "/logout" });
    expect(res.statusCode).toBe(200);
    expect(res.json().signedOut).toBe(true);
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe("");
    const { caseNo } = await fileRoadCase(r.h);
    const replay = webClient(r.app);
    replay.cookie = old;
    expect(text(await replay.inbox())).not.toContain(caseNo);
    expect(sessionIdOf(replay.cookie!)).not.toBe(sessionIdOf(old));
    expect(await seesUnitList(replay, r.texts)).toBe(false);
    expect(await r.h.db.cadre.findUniqueOrThrow({ where: { id: cadreId } })).toMatchObject({ externalId: null, revokedAt: null });
  });
});

describe("web session cookie", () => {
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => {
    r = await rig("sqlite");
  }, 120_000);
  afterAll(async () => {
    await r?.app.close();
    await r?.h.close();
    await r?.drop();
  });

  it("should be issued on the first visit: signed, HttpOnly, SameSite=Lax, Path=/, 180 days, not Secure over http", async () => {
    const res = await r.app.inject({ url: "/" });
    const header = String(res.headers["set-cookie"]);
    expect(header).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{32}\\.[^;]+;`));
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain("Path=/");
    expect(header).toContain(`Max-Age=${180 * 86_400}`);
    expect(header).not.toContain("Secure");
    const value = res.cookies[0]!.value;
    const again = await r.app.inject({ url: "/", cookies: { [SESSION_COOKIE]: value } });
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect(await r.h.db.webSession.findUnique({ where: { id: sessionIdOf(value) } })).not.toBeNull();
  });

  it("should be Secure over HTTPS, and trust X-Forwarded-Proto only with TRUST_PROXY", async () => {
    const https = { "x-forwarded-proto": "https" };
    expect(String((await r.app.inject({ url: "/", headers: https })).headers["set-cookie"])).not.toContain("Secure");
    const proxied = createHttpServer({ engine: { handle: async () => [] }, texts: r.texts, trustProxy: true });
    expect(String((await proxied.inject({ url: "/", headers: https })).headers["set-cookie"])).toContain("Secure");
    // Behind the proxy, the page's own https origin is this server's origin.
    const own = await proxied.inject({
      method: "POST", url: "/api/chat", payload: { text: "hi" }, headers: { ...https, "x-forwarded-host": "bot.example.gov.cn", origin: "https://bot.example.gov.cn" },
    });
    expect(own.statusCode).toBe(200);
    await proxied.close();
  });
});

describe("admin API and cookies", () => {
  it("should give a cookie alone nothing from /admin/api (bearer token only, so not CSRF-able)", async () => {
    const r = await rig("sqlite");
    try {
      const browser = webClient(r.app);
      await browser.request("GET", "/");
      for (const [method, url] of [["GET", "/admin/api/cases"], ["GET", "/admin/api/cadres"], ["POST", "/admin/api/cadres/x/revoke"]] as const) {
        const res = await browser.request(method, url, method === "POST" ? {} : undefined, { origin: "http://localhost" });
        expect(res.statusCode).toBe(401);
        expect(res.body).not.toContain("cadre-");
      }
    } finally {
      await r.app.close();
      await r.h.close();
    }
  }, 120_000);
});
