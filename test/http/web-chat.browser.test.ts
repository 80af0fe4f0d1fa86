import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { createHttpServer } from "../../src/http/server.js";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { calendar, harness, loadTexts, type Harness } from "../helpers.js";
import { CaseWorkflow } from "../../src/cases/index.js";
import { renderOutbox, takeWebInbox } from "../../src/notify/index.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let h: Harness;
let app: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see README) or set CHROMIUM_PATH`);
  h = await harness();
  const texts = await loadTexts();
  app = createHttpServer({ engine: h.engine, texts, inbox: (userId) => takeWebInbox(h.db, userId, (row) => renderOutbox(row, h.db, texts, "Asia/Shanghai")) });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await h?.close();
});

async function send(page: Page, text: string) {
  const before = await page.locator(".msg.bot").count();
  await page.fill("#input", text);
  await page.press("#input", "Enter");
  await page.waitForFunction((n) => document.querySelectorAll(".msg.bot").length > n, before);
}

async function click(page: Page, label: string) {
  const before = await page.locator(".msg.bot").count();
  await page.locator(".buttons button:not([disabled])", { hasText: label }).first().click();
  await page.waitForFunction((n) => document.querySelectorAll(".msg.bot").length > n, before);
}

describe("web chat in a real browser", () => {
  it("should file a complaint with buttons and show the receipt", async () => {
    const page = await browser.newPage({ locale: "zh-CN" });
    await page.goto(base);
    await page.waitForSelector(".msg.bot");
    expect(await page.locator(".msg.bot").first().textContent()).toContain("您好");

    await send(page, "<img src=x onerror=\"window.__xss=1\"> 河边的化工厂晚上偷偷排污水，鱼都死了");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator(".msg.me").first().textContent()).toContain("<img src=x");
    await click(page, "对");
    await send(page, "城东工业园");
    await click(page, "跳过");
    await send(page, "关停排污");
    await click(page, "跳过");
    await send(page, "13800001234");
    await page.waitForSelector('[data-expects="confirm"]');
    await click(page, "确认提交");
    const receipt = page.locator("[data-case-no]").last();
    const caseNo = await receipt.getAttribute("data-case-no");
    expect(caseNo).toMatch(/^XF-/);
    expect(await receipt.textContent()).toContain("受理回执");
    const saved = await h.cases.show(caseNo!);
    expect(saved).toMatchObject({ category: "safety_environment", location: "城东工业园" });
    expect(saved!.description).toContain('<img src=x onerror="window.__xss=1">');

    // A cadre accepts the case: the resident's page shows it (the inbox is read after each message).
    await new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" }).transition(caseNo!, "accept", { kind: "operator", id: "test" });
    await send(page, `查询 ${caseNo}`);
    await page.waitForFunction((no) => Array.from(document.querySelectorAll(".msg.bot")).some((d) => d.textContent!.includes(`${no} 已由`)), caseNo, { timeout: 10_000 });

    mkdirSync(join(PROJECT_ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: join(PROJECT_ROOT, "test-results", "web-chat-receipt.png"), fullPage: true });
    await page.close();
  });

  it("should keep the form across a page reload and switch to English", async () => {
    const page = await browser.newPage({ locale: "zh-CN" });
    await page.goto(base);
    await page.waitForSelector(".msg.bot");
    await send(page, "村里的路灯坏了一个多月，晚上很黑");
    await page.reload();
    await page.waitForSelector("[data-expects]");
    expect(await page.locator(".msg.bot").last().getAttribute("data-expects")).toBe("category");
    await page.click("#lang");
    await page.waitForFunction(() => document.querySelector("#send")?.textContent === "Send");
    await page.waitForFunction(() => /Is that right/.test(document.querySelector(".msg.bot:last-child")?.textContent ?? ""));
    await page.close();
  });
});
