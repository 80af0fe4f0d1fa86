import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { CaseWorkflow } from "../../src/cases/index.js";
import { CadreDesk } from "../../src/chat/index.js";
import { ApiKeyring } from "../../src/http/api-keys.js";
import { createHttpServer } from "../../src/http/server.js";
import { calendar, harness, loadTexts, type Harness } from "../helpers.js";

let h: Harness;
let app: FastifyInstance;
beforeAll(async () => {
  h = await harness();
  const texts = await loadTexts();
  const workflow = new CaseWorkflow({ db: h.db, calendar, timeZone: "Asia/Shanghai" });
  const cadres = new CadreDesk({ db: h.db, workflow, texts, timeZone: "Asia/Shanghai" });
  // No ADMIN_TOKEN: the admin API answers 404, but the document still describes it.
  app = createHttpServer({
    engine: h.engine, texts,
    open311: { cases: h.cases, texts, keys: ApiKeyring.parse(undefined), timeZone: "Asia/Shanghai", defaultLocale: "zh-CN" },
    adminApi: { db: h.db, cases: h.cases, workflow, cadres, timeZone: "Asia/Shanghai" },
  });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

describe("GET /openapi.json", () => {
  it("should describe the Open311 and admin APIs in one OpenAPI 3 document, and nothing else", async () => {
    const res = await app.inject({ url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.0.3");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/admin/api/cadres", "/admin/api/cadres/invites", "/admin/api/cadres/{id}/revoke",
      "/admin/api/cases", "/admin/api/cases/{caseNo}", "/admin/api/cases/{caseNo}/supervision", "/admin/api/cases/{caseNo}/transitions",
      "/admin/api/dashboard", "/admin/api/ledger", "/admin/api/units",
      "/open311/discovery.{format}", "/open311/v2/requests.{format}", "/open311/v2/requests/{service_request_id}.{format}",
      "/open311/v2/services.{format}", "/open311/v2/services/{service_code}.{format}",
    ]);
    const post = doc.paths["/open311/v2/requests.{format}"].post;
    expect(Object.keys(post.requestBody.content)).toContain("application/x-www-form-urlencoded");
    expect(post.requestBody.content["application/x-www-form-urlencoded"].schema.required).toEqual(["api_key", "service_code", "description"]);
    expect(Object.keys(post.responses).sort()).toEqual(["201", "400", "403", "415"]);
    const request = doc.paths["/open311/v2/requests/{service_request_id}.{format}"].get.responses["200"].content["application/json"].schema.items;
    expect(request.properties.description).toMatchObject({ type: "string", nullable: true });
    expect(Object.keys(request.properties)).not.toContain("phone");
    expect(doc.paths["/admin/api/cases"].get.security).toEqual([{ adminToken: [] }]);
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.paths["/admin/api/cases/{caseNo}/transitions"].post.requestBody.content["application/json"].schema.properties.action.enum).toContain("accept");
  });

  it("should still keep the admin API closed and refuse filing without configured keys", async () => {
    expect((await app.inject({ url: "/admin/api/cases" })).statusCode).toBe(404);
    const res = await app.inject({ method: "POST", url: "/open311/v2/requests.json", payload: { api_key: "", service_code: "transport", description: "路上有个大坑" } });
    expect(res.statusCode).toBe(403);
  });
});
