import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createHttpServer } from "../../src/http/server.js";
import { harness, loadTexts, type Harness } from "../helpers.js";
import { webClient } from "./web-client.js";

let h: Harness;
let app: FastifyInstance;
beforeAll(async () => {
  h = await harness();
  app = createHttpServer({ engine: h.engine, texts: await loadTexts(), ready: async () => void (await h.db.$queryRawUnsafe("SELECT 1")) });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

/** One message from a new browser (no cookie yet). */
const chat = (body: Record<string, unknown>) => webClient(app).chat(body);

describe("HTTP server", () => {
  it("should serve the chat page with a strict content security policy", async () => {
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toContain('<script src="/chat.js">');
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect((await app.inject({ url: "/chat.js" })).statusCode).toBe(200);
  });

  it("should answer a chat message with replies in the --json shape", async () => {
    const res = await chat({ text: "小区垃圾没人清运，臭得很" });
    expect(res.statusCode).toBe(200);
    const { replies } = res.json();
    expect(replies[0]).toMatchObject({ expects: "category", caseNo: null });
    expect(Array.isArray(replies[0].buttons)).toBe(true);
  });

  it("should resume a conversation on page load instead of resetting it", async () => {
    const browser = webClient(app);
    await browser.say("小区垃圾没人清运，臭得很");
    const replies = await browser.press("resume");
    expect(replies[replies.length - 1]!.expects).toBe("category");
  });

  it("should reject a bad body with a message naming the field", async () => {
    const res = await chat({ text: "hi", buttonId: "b".repeat(65) });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^buttonId:/);
    expect((await app.inject({ method: "POST", url: "/api/chat", payload: "not json", headers: { "content-type": "application/json" } })).statusCode).toBe(400);
  });

  it("should take a 100,000-character message and keep the first 4,000 as the description", async () => {
    const res = await chat({ text: "工厂排放废水污染河道，".repeat(10_000) });
    expect(res.statusCode).toBe(200);
    expect(res.json().replies[0].text).toMatch(/4000/);
  });

  it("should answer an oversized or malformed body in the app's error shape", async () => {
    const big = await chat({ text: "x".repeat(2 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: "PAYLOAD_TOO_LARGE" });
    const bad = await app.inject({ method: "POST", url: "/api/chat", payload: "{oops", headers: { "content-type": "application/json" } });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json()).sort()).toEqual(["error", "message"]);
    const missing = await app.inject({ url: "/nope" });
    expect(missing.json()).toMatchObject({ error: "NOT_FOUND" });
    expect((await app.inject({ url: "/favicon.ico" })).statusCode).toBe(204);
  });

  it("should give the page its texts in both languages", async () => {
    expect((await app.inject({ url: "/api/texts/en" })).json().texts.send).toBe("Send");
    expect((await app.inject({ url: "/api/texts/xx" })).json().locale).toBe("zh-CN");
  });

  it("should show the WeChat login state only with the admin token", async () => {
    const admin = createHttpServer({ engine: h.engine, texts: await loadTexts(), adminToken: "a-very-long-admin-token", wechatStatus: () => ({ loggedIn: false, user: null, qrValue: "https://login.weixin.qq.com/l/abc" }) });
    expect((await admin.inject({ url: "/admin/wechat" })).statusCode).toBe(401);
    expect((await admin.inject({ url: "/admin/wechat", headers: { authorization: "Bearer wrong-token-wrong-token" } })).statusCode).toBe(401);
    const ok = await admin.inject({ url: "/admin/wechat", headers: { authorization: "Bearer a-very-long-admin-token" } });
    expect(ok.json()).toMatchObject({ loggedIn: false, qrValue: "https://login.weixin.qq.com/l/abc" });
    expect((await app.inject({ url: "/admin/wechat" })).statusCode).toBe(404); // no token configured: no admin pages
    await admin.close();
  });

  it("should report health and readiness", async () => {
    expect((await app.inject({ url: "/healthz" })).json()).toEqual({ ok: true });
    expect((await app.inject({ url: "/readyz" })).statusCode).toBe(200);
  });
});
