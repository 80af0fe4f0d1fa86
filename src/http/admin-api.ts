import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  CadreAlreadyRevokedError, CadreNotFoundError, ConcurrentTransitionError, actorById, caseSummary, importUnits,
  listCadres, revokeCadre, type CaseService, type CaseWorkflow,
} from "../cases/index.js";
import { type CadreDesk } from "../chat/index.js";
import type { Db } from "../db/database.js";
import {
  ActionRefusedError, CaseNotFoundError, ForbiddenActionError, InvalidCaseNumberError, InvalidTransitionError, parseCaseNumber,
  type CadreRole, type CaseAction, type CaseState, type Category,
} from "../domain/index.js";
import { adminSchemas } from "./admin-api-schemas.js";
import { computeLedger, ledgerPeriod, type LedgerGroup, type PeriodProblem } from "../cases/ledger.js";
import { dashboardData } from "../cases/dashboard.js";
import { schemaErrorText, type SchemaError } from "./schema-errors.js";


/** Options of {@link adminApi}. */
export interface AdminApiOptions {
  /** ADMIN_TOKEN; without it every admin API path answers 404, like the other /admin pages. */
  token?: string;
  db: Db;
  cases: CaseService;
  workflow: CaseWorkflow;
  cadres: CadreDesk;
  /** IANA zone of the ledger's local dates. */
  timeZone: string;
}

/** HTTP status of each error the case workflow and lookups throw; the body is `{error: err.code, message}`. */
const STATUS: Array<[new (...args: never[]) => Error & { code: string }, number]> = [
  [InvalidCaseNumberError, 400],
  [ForbiddenActionError, 403],
  [CaseNotFoundError, 404],
  [InvalidTransitionError, 409],
  [ConcurrentTransitionError, 409],
  [ActionRefusedError, 422],
  [CadreNotFoundError, 404],
  [CadreAlreadyRevokedError, 409],
];

/** The admin API's wording of a refused period. */
const periodText = (p: PeriodProblem) => (p.problem === "not_a_date" ? `${p.field}: "${p.value}" is not a date (YYYY-MM-DD)` : `from ${p.from} is after to ${p.to}`);

const badRequest = (reply: FastifyReply, message: string) => reply.code(400).send({ error: "BAD_REQUEST", message });

/**
 * The admin JSON API as a fastify plugin, registered under `/admin/api`: the operations of the
 * `petition-bot` CLI over HTTP — `GET cases`, `GET cases/{caseNo}`, `POST cases/{caseNo}/transitions`
 * (the same CaseWorkflow as `cases transition`), `POST cases/{caseNo}/supervision` (挂牌督办),
 * `GET ledger` (三知一账), `GET dashboard` (the leaders' dashboard data), `GET units`,
 * `POST units` (import), `POST cadres/invites`, `GET cadres`, `POST cadres/{id}/revoke`.
 * `Authorization: Bearer ADMIN_TOKEN`, compared in constant time: a wrong
 * or missing token answers 401, no ADMIN_TOKEN at all 404. Errors are `{error, message}`.
 * @example
 * app.register(adminApi({ token: config.ADMIN_TOKEN, db, cases, workflow, cadres }), { prefix: "/admin/api" });
 */
export function adminApi(o: AdminApiOptions) {
  const token = o.token ? Buffer.from(o.token) : undefined;

  return async function admin(app: FastifyInstance): Promise<void> {
    app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
      if (!token) return reply.code(404).send({ error: "NOT_FOUND", message: `${req.method} ${req.url.split("?")[0]} not found` });
      const m = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ""));
      const given = Buffer.from(m?.[1]?.trim() ?? "");
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        return reply.code(401).header("WWW-Authenticate", "Bearer").send({ error: "UNAUTHORIZED", message: "admin token required (Authorization: Bearer …)" });
      }
    });

    app.setSchemaErrorFormatter((errors) => new Error(errors.map((e) => schemaErrorText(e as SchemaError)).join("; ")));
    app.setErrorHandler((err, _req, reply) => {
      const status = STATUS.find(([type]) => err instanceof type)?.[1];
      if (status) return reply.code(status).send({ error: (err as Error & { code: string }).code, message: (err as Error).message });
      throw err; // the server's handler: {error, message} for validation and everything else
    });

    const caseNoOf = (input: string) => parseCaseNumber(input); // throws InvalidCaseNumberError → 400

    app.get<{ Querystring: { state?: CaseState; unit?: string; category?: Category; limit: number } }>("/cases", { schema: adminSchemas.listCases }, async (req) => {
      const q = req.query;
      const list = await o.cases.list({ state: q.state, unitId: q.unit, category: q.category, limit: q.limit });
      return { cases: list.map(caseSummary) };
    });

    app.get<{ Params: { caseNo: string }; Querystring: { reveal_phone: boolean } }>("/cases/:caseNo", { schema: adminSchemas.showCase }, async (req) => {
      const caseNo = caseNoOf(req.params.caseNo);
      const c = await o.cases.show(caseNo, req.query.reveal_phone);
      if (!c) throw new CaseNotFoundError(caseNo);
      return c;
    });

    app.post<{ Params: { caseNo: string }; Body: { action: CaseAction; note?: string; days?: number; unit?: string; actor: string } }>(
      "/cases/:caseNo/transitions", { schema: adminSchemas.transition }, async (req, reply) => {
        const caseNo = caseNoOf(req.params.caseNo);
        const b = req.body;
        if (b.unit !== undefined && !(await o.cases.units()).some((u) => u.id === b.unit)) return badRequest(reply, `unit: no unit "${b.unit}" (see GET /admin/api/units)`);
        const actor = await actorById(o.db, b.actor);
        return o.workflow.transition(caseNo, b.action, actor, { note: b.note, days: b.days, unitId: b.unit });
      });

    app.get<{ Querystring: { from?: string; to?: string; by?: LedgerGroup } }>("/ledger", { schema: adminSchemas.ledger }, async (req, reply) => {
      const period = ledgerPeriod(req.query, o.timeZone, "year");
      if ("problem" in period) return badRequest(reply, periodText(period));
      return computeLedger(o.db, { ...period, by: req.query.by, timeZone: o.timeZone });
    });

    app.get<{ Querystring: { from?: string; to?: string } }>("/dashboard", { schema: adminSchemas.dashboard }, async (req, reply) => {
      const period = ledgerPeriod(req.query, o.timeZone, "month");
      if ("problem" in period) return badRequest(reply, periodText(period));
      try {
        const units = (await o.cases.units()).map((u) => ({ id: u.id, name: u.name, nameEn: u.nameEn }));
        return { ...(await dashboardData(o.db, { ...period, timeZone: o.timeZone })), units };
      } catch (err) {
        if (err instanceof RangeError) return badRequest(reply, err.message);
        throw err;
      }
    });

    app.post<{ Params: { caseNo: string }; Body: { listed: boolean; note?: string; actor: string } }>("/cases/:caseNo/supervision", { schema: adminSchemas.supervision }, async (req) => {
      const caseNo = caseNoOf(req.params.caseNo);
      const changed = await o.workflow.setSupervision(caseNo, req.body.listed, await actorById(o.db, req.body.actor), req.body.note ?? null);
      return { caseNo, supervised: req.body.listed, changed };
    });

    app.get("/units", { schema: adminSchemas.listUnits }, async () => ({ units: await o.cases.units() }));

    app.post("/units", { schema: adminSchemas.importUnits }, async (req, reply) => {
      const result = await importUnits(o.db, req.body);
      if (!result.ok) return badRequest(reply, result.error);
      return { imported: result.imported, warnings: result.warnings };
    });

    app.post<{ Body: { unit: string; role: CadreRole; name?: string; ttlHours: number } }>("/cadres/invites", { schema: adminSchemas.inviteCadre }, async (req, reply) => {
      const b = req.body;
      if (!(await o.cases.units()).some((u) => u.id === b.unit)) return badRequest(reply, `unit: no unit "${b.unit}" (see GET /admin/api/units)`);
      const { code, expiresAt } = await o.cadres.invite(b.unit, b.role, b.name, b.ttlHours);
      return reply.code(201).send({ code, unit: b.unit, role: b.role, expiresAt: expiresAt.toISOString() });
    });

    app.get("/cadres", { schema: adminSchemas.listCadres }, async () => ({ cadres: await listCadres(o.db) }));

    app.post<{ Params: { id: string }; Body: { actor?: string } | null }>(
      "/cadres/:id/revoke", { schema: adminSchemas.revokeCadre },
      async (req) => revokeCadre(o.db, req.params.id, req.body?.actor ?? "operator"),
    );
  };
}
