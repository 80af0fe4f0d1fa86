import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { createHttpServer } from "../../src/http/server.js";
import { PROJECT_ROOT } from "../../src/db/database.js";
import type { App } from "../../src/main.js";
import type { SimulationReport } from "../../src/cli/simulate.js";
import { simulatedApp } from "./simulated.js";
import { OPEN_STATES } from "../../src/domain/index.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TOKEN = "dashboard-token-0123456789";
const XSS_NAME = "<img src=x onerror=\"window.__xss=1\">区交通运输局";

let app: App;
let report: SimulationReport;
let server: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see README) or set CHROMIUM_PATH`);
  // A unit whose name is markup: the dashboard must show it as text.
  ({ app, report } = await simulatedApp(60, 14, 5, async (a) => {
    await a.db.unit.update({ where: { id: "transport_bureau" }, data: { name: XSS_NAME } });
  }));
  // One open case listed by hand, so the supervision list has every kind of reason.
  // The simulation closes every case, so a resident files one more first.
  for (const text of ["村口那条路全是坑，电动车摔了好几个人", "对", "青山镇石桥村", "上个月", "修路", "王先生", "13800001234", "确认"]) {
    await app.desk.handle({ channel: "test", userId: "dashboard-resident", text });
  }
  const one = await app.db.case.findFirstOrThrow({ where: { channel: "test", state: { in: [...OPEN_STATES] } } });
  await app.workflow.setSupervision(one.caseNo, true, { kind: "operator", id: "test" }, "群众反映强烈");
  server = createHttpServer({
    engine: app.desk, texts: app.texts, adminToken: TOKEN,
    adminApi: { db: app.db, cases: app.cases, workflow: app.workflow, cadres: app.cadres, timeZone: "Asia/Shanghai" },
  });
  await server.listen({ port: 0, host: "127.0.0.1" });
  const addr = server.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe("the leaders' dashboard", () => {
  it("should not exist without ADMIN_TOKEN and give its data only with the token", async () => {
    const bare = createHttpServer({ engine: app.desk, texts: app.texts, adminApi: { db: app.db, cases: app.cases, workflow: app.workflow, cadres: app.cadres, timeZone: "Asia/Shanghai" } });
    expect((await bare.inject({ url: "/admin/dashboard" })).statusCode).toBe(404);
    await bare.close();
    expect((await server.inject({ url: "/admin/api/dashboard" })).statusCode).toBe(401);
    expect((await server.inject({ url: "/admin/api/dashboard", headers: { authorization: "Bearer wrong-token-0123456789" } })).statusCode).toBe(401);
    const bad = await server.inject({ url: "/admin/api/dashboard?from=2026-12-01&to=2026-11-01", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: "BAD_REQUEST", message: expect.stringMatching(/after/) });
    const res = await server.inject({ url: `/admin/api/dashboard?from=${report.from}&to=${report.to}`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total.received).toBe(60);
    expect(body.daily.dates).toHaveLength(14); // the 14 days of filing, inclusive
    expect(Object.values(body.daily.byCategory as Record<string, number[]>).flat().reduce((a, b) => a + b, 0)).toBe(60);
    // No personal data on the dashboard: the lists carry numbers, categories, units and dates.
    expect(res.body).not.toMatch(/138\d{8}/);
    expect(body.supervision.map((c: { supervisionReason: string }) => c.supervisionReason)).toContain("manual");
  });

  it("should draw the ledger as charts and lists in a real browser, in zh-CN and en, showing markup as text", async () => {
    const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 1280, height: 1400 } });
    await page.goto(`${base}/admin/dashboard?from=${report.from}&to=${report.to}`);
    await page.waitForSelector("#login:not([hidden])");
    await page.fill("#token", "not-the-token-0123456789");
    await page.click("#login-button");
    await page.waitForSelector("#error:not([hidden])");
    expect(await page.textContent("#error")).toMatch(/管理令牌不正确/);

    await page.fill("#token", TOKEN);
    await page.click("#login-button");
    await page.waitForSelector("body[data-ready='1']");
    expect(await page.textContent("#title")).toBe("信访工作台账（三知一账）");
    const tiles = await page.locator(".tile").allTextContents();
    expect(tiles[0]).toBe(`60收到件数`);
    expect(tiles.join(" ")).toMatch(/按期反馈率/);
    // Three charts drawn by Chart.js on their canvases.
    for (const id of ["chart-category", "chart-colour", "chart-units"]) {
      expect(await page.evaluate((x) => Boolean((window as unknown as { Chart: { getChart(el: Element): unknown } }).Chart.getChart(document.getElementById(x)!)), id)).toBe(true);
    }
    const listed = await page.locator("#supervision tbody tr").count();
    expect(listed).toBeGreaterThan(0);
    // The reason shows as given (issue #17: it said 领导挂牌 where the note said 群众反映强烈).
    expect(await page.locator("#supervision tbody").textContent()).toMatch(/群众反映强烈/);
    // Only open cases are rows: as many as the "supervised, still open" tile counts.
    expect(await page.locator("#supervision tbody td:nth-child(4)").allTextContents()).not.toContain("已办结");
    // The unit named with markup appears as text (chart labels are canvas; the lists use textContent).
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const units = await page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(el: Element): { data: { labels: string[] } } } }).Chart.getChart(document.getElementById("chart-units")!);
      return chart.data.labels;
    });
    expect(units.some((u) => u.startsWith(`${XSS_NAME} (`))).toBe(true);

    mkdirSync(join(PROJECT_ROOT, "test-results"), { recursive: true });
    const shot = join(PROJECT_ROOT, "test-results", "dashboard.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);

    await page.click("#lang");
    await page.waitForFunction(() => document.getElementById("title")!.textContent === "Petition ledger (三知一账)");
    await page.waitForSelector("body[data-ready='1']");
    expect(await page.locator(".tile .label").first().textContent()).toBe("Received");
    await page.screenshot({ path: join(PROJECT_ROOT, "test-results", "dashboard-en.png"), fullPage: true });
    // A bad range says so in the page's language and leaves no stale figures on screen.
    await page.fill("#from", "2026-12-01");
    await page.fill("#to", "2026-11-01");
    await page.click("#reload");
    await page.waitForSelector("#error:not([hidden])");
    expect(await page.textContent("#error")).toMatch(/Wrong dates/);
    expect(await page.locator("#board").isHidden()).toBe(true);
    await page.close();
  });
});
