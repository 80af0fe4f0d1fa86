import { randomUUID } from "node:crypto";
import formbody from "@fastify/formbody";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CaseService } from "../cases/index.js";
import {
  CASE_STATES, CATEGORIES, OPEN_STATES, isCategory, parseCaseNumber,
  type CaseState, type Category,
} from "../domain/index.js";
import { isLocale, type Locale, type Texts } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { ApiClient, ApiKeyring } from "./api-keys.js";
import { parseServiceRequest } from "./open311-intake.js";
import { parseW3cDate, serviceDefinition, serviceRequest, services, toXml, type Open311Error } from "./open311-format.js";
import { open311Schemas } from "./open311-schemas.js";
import { schemaErrorText, type SchemaError } from "./schema-errors.js";

/** Options of {@link open311Api}. */
export interface Open311Options {
  /** The same case service the chat files cases with. */
  cases: CaseService;
  texts: Texts;
  /** Keys that may POST requests (OPEN311_API_KEYS); without any, nobody can file. */
  keys: ApiKeyring;
  /** IANA zone of the dates in responses and of date-only filters. */
  timeZone: string;
  /** Language of names and notes when the request has no `locale`. */
  defaultLocale: Locale;
  /** Shown as `contact` in discovery.json, e.g. "12345". */
  contact?: string;
  logger?: Logger;
  /** The clock (tests move it). */
  now?: () => Date;
  /**
   * What reads show a caller without a read key (OPEN311_PUBLIC_READ, default `redacted`): `none` → 403;
   * `redacted` → consented cases only, personal data redacted, address cut to town and village; `full` → all as typed.
   */
  publicRead?: "none" | "redacted" | "full";
}

/** What one read request may see: which cases, and whether descriptions are redacted. */
interface ReadAccess {
  publicOnly: boolean;
  redact: boolean;
}

/** Most requests one `GET requests` answers (the spec's limit); page on with `page`. */
export const MAX_REQUESTS = 1000;
/** Longest span of `start_date`…`end_date`, and the default window, in days (the spec's 90). */
export const MAX_SPAN_DAYS = 90;
/** Date of this API's last change, for discovery.json. */
const CHANGESET = "2026-11-29T00:00:00Z";

type Format = "json" | "xml";
class Open311Failure extends Error {
  constructor(readonly status: number, readonly descriptions: string[]) {
    super(descriptions.join("; "));
    this.name = "Open311Failure";
  }
}
const bad = (...descriptions: string[]) => new Open311Failure(400, descriptions);

const formatOf = (req: FastifyRequest): Format => (/\.xml$/i.test(req.url.split("?")[0]!) ? "xml" : "json");

function send(reply: FastifyReply, format: Format, root: Parameters<typeof toXml>[0], body: unknown, status = 200): FastifyReply {
  reply.code(status);
  if (format === "xml") return reply.type("text/xml; charset=utf-8").send(toXml(root, body));
  return reply.type("application/json; charset=utf-8").send(body);
}

function sendErrors(req: FastifyRequest, reply: FastifyReply, status: number, descriptions: string[]): FastifyReply {
  const errors: Open311Error[] = descriptions.map((description) => ({ code: status, description }));
  // An error body is never run through a route's success schema.
  const format = formatOf(req);
  reply.code(status);
  if (format === "xml") return reply.type("text/xml; charset=utf-8").send(toXml("errors", errors));
  return reply.type("application/json; charset=utf-8").serializer(JSON.stringify).send(errors);
}

const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) as a fastify plugin, registered
 * under the prefix `/open311`: `GET discovery.json`, `GET v2/services.json`,
 * `GET v2/services/{code}.json`, `POST v2/requests.json` (API key; files a case through the
 * case service, channel `open311`), `GET v2/requests.json` and `GET v2/requests/{id}.json`;
 * every one also as `.xml`. Errors are the spec's list of `{code, description}` with the HTTP
 * status as code. Public answers carry no personal data (see open311-format.ts).
 * @example
 * app.register(open311Api({ cases, texts, keys: ApiKeyring.parse(config.OPEN311_API_KEYS), timeZone, defaultLocale: "zh-CN" }), { prefix: "/open311" });
 */
export function open311Api(o: Open311Options) {
  const now = o.now ?? (() => new Date());
  const clients = new WeakMap<FastifyRequest, ApiClient>();
  const publicRead = o.publicRead ?? "redacted";
  /**
   * A read key (query `api_key` or header `X-Api-Key`) with `read_full` sees every case as typed, with
   * `read` every case redacted; a missing key gets the public mode; a wrong key is refused (403).
   */
  const readAccess = (req: FastifyRequest): ReadAccess => {
    const given = (req.query as { api_key?: string }).api_key ?? (typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"] : undefined);
    if (given !== undefined) {
      const client = o.keys.check(given);
      if (!client) throw new Open311Failure(403, ["api_key: not valid"]);
      if (client.scopes.has("read_full")) return { publicOnly: false, redact: false };
      if (client.scopes.has("read")) return { publicOnly: false, redact: true };
      if (publicRead === "none") throw new Open311Failure(403, ["api_key: this key may file requests but not read them"]);
    }
    if (publicRead === "none") throw new Open311Failure(403, ["api_key: reading requests needs a key with the read scope (OPEN311_PUBLIC_READ=none)"]);
    return publicRead === "full" ? { publicOnly: false, redact: false } : { publicOnly: true, redact: true };
  };
  const localeOf = (value: unknown): Locale => {
    if (value === undefined || value === "") return o.defaultLocale;
    if (!isLocale(value)) throw bad("locale: must be zh-CN or en");
    return value;
  };

  return async function open311(app: FastifyInstance): Promise<void> {
    await app.register(formbody);

    app.setErrorHandler((err: Error & { statusCode?: number; validation?: SchemaError[] }, req, reply) => {
      if (err instanceof Open311Failure) return sendErrors(req, reply, err.status, err.descriptions);
      if (err.validation) return sendErrors(req, reply, 400, err.validation.map(schemaErrorText));
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) o.logger?.error({ err, url: req.url.split("?")[0] }, "open311 request failed");
      return sendErrors(req, reply, status, [status === 500 ? "Internal error" : err.message]);
    });
    app.setNotFoundHandler((req, reply) => sendErrors(req, reply, 404, [`${req.method} ${req.url.split("?")[0]} not found; see /open311/discovery.json`]));

    app.get<{ Params: { format: Format } }>("/discovery.:format", { schema: open311Schemas.discovery }, async (req, reply) =>
      send(reply, req.params.format, "discovery", {
        changeset: CHANGESET, contact: o.contact ?? "", key_service: "API keys for POST requests are issued by the district petition bureau (OPEN311_API_KEYS).",
        endpoints: [{ specification: "http://wiki.open311.org/GeoReport_v2", url: `${req.protocol}://${req.host}/open311/v2`, changeset: CHANGESET, type: "production", formats: ["application/json", "text/xml"] }],
      }));

    app.get<{ Params: { format: Format }; Querystring: { locale?: string } }>("/v2/services.:format", { schema: open311Schemas.services }, async (req, reply) => {
      const locale = localeOf(req.query.locale);
      return send(reply, req.params.format, "services", services(o.texts.t(locale), locale, await o.cases.units()));
    });

    app.get<{ Params: { service_code: string; format: Format }; Querystring: { locale?: string } }>("/v2/services/:service_code.:format", { schema: open311Schemas.service }, async (req, reply) => {
      const code = req.params.service_code;
      if (!isCategory(code)) throw new Open311Failure(404, [`service_code: unknown service "${code.slice(0, 40)}"; see GET services.${req.params.format}`]);
      return send(reply, req.params.format, "service_definition", serviceDefinition(o.texts.t(localeOf(req.query.locale)), code));
    });

    app.post<{ Params: { format: Format }; Body: Record<string, unknown> }>("/v2/requests.:format", {
      schema: open311Schemas.postRequest,
      // The key is checked before anything else is looked at.
      preValidation: async (req) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const client = o.keys.check(typeof body.api_key === "string" ? body.api_key : undefined);
        if (!client) throw new Open311Failure(403, ["api_key: missing or not valid"]);
        if (!client.scopes.has("file")) throw new Open311Failure(403, ["api_key: this key may not file requests (no file scope)"]);
        clients.set(req, client);
      },
    }, async (req, reply) => {
      const at = now();
      const parsed = parseServiceRequest(req.body, { client: clients.get(req)!, now: at, timeZone: o.timeZone, defaultLocale: o.defaultLocale });
      if (!parsed.ok) throw bad(...parsed.errors);
      const { userId, locale, form } = parsed.value;
      const idempotency = req.headers["idempotency-key"];
      if (idempotency !== undefined && (typeof idempotency !== "string" || !/^[\x21-\x7e]{1,200}$/.test(idempotency))) throw bad("Idempotency-Key: 1–200 visible ASCII characters");
      const key = idempotency ? `open311:${clients.get(req)!.name}:${idempotency}` : `open311:${randomUUID()}`;
      const receipt = await o.cases.submit({ key, channel: "open311", userId, chatId: userId, locale, form, receivedAt: at });
      const t = o.texts.t(locale);
      const unit = (locale === "en" ? receipt.unitNameEn ?? receipt.unitName : receipt.unitName) ?? t("receipt.unit_pending");
      const code = receipt.enquiryCode ? t("open311.notice.code", { code: receipt.enquiryCode }) : "";
      const notice = t("open311.notice.created", { caseNo: receipt.caseNo, unit, colourDue: receipt.colourDueDate, replyDue: receipt.replyDueDate }) + code;
      return send(reply, req.params.format, "service_requests", [{ service_request_id: receipt.caseNo, service_notice: notice, account_id: null }], 201);
    });

    app.get<{ Params: { format: Format }; Querystring: Record<string, string | undefined> & { page?: number; page_size?: number } }>("/v2/requests.:format", { schema: open311Schemas.listRequests }, async (req, reply) => {
      const { api_key: _key, ...q } = req.query;
      const access = readAccess(req);
      const locale = localeOf(q.locale);
      const page = q.page ?? 1;
      const pageSize = q.page_size ?? MAX_REQUESTS;
      const filter = { ...requestFilter(q, now(), o.timeZone), publicOnly: access.publicOnly };
      const [total, rows] = await Promise.all([
        o.cases.count(filter),
        o.cases.list({ ...filter, offset: (page - 1) * pageSize, limit: pageSize }),
      ]);
      reply.header("X-Total-Count", String(total));
      if (page * pageSize < total) {
        const next = new URLSearchParams(Object.entries({ ...q, page: String(page + 1) }).filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => [k, String(v)]));
        reply.header("Link", `</open311/v2/requests.${req.params.format}?${next}>; rel="next"`);
      }
      const t = o.texts.t(locale);
      return send(reply, req.params.format, "service_requests", rows.map((c) => serviceRequest(c, t, locale, o.timeZone, access.redact)));
    });

    app.get<{ Params: { service_request_id: string; format: Format }; Querystring: { locale?: string; api_key?: string } }>("/v2/requests/:service_request_id.:format", { schema: open311Schemas.getRequest }, async (req, reply) => {
      const access = readAccess(req);
      const locale = localeOf(req.query.locale);
      let caseNo: string;
      try {
        caseNo = parseCaseNumber(req.params.service_request_id);
      } catch {
        throw bad(`service_request_id: "${req.params.service_request_id.slice(0, 40)}" is not a valid case number (e.g. XF-261130-0001-1)`);
      }
      // A case that may not be listed answers exactly as one that does not exist.
      const [c] = await o.cases.list({ caseNos: [caseNo], limit: 1, publicOnly: access.publicOnly });
      if (!c) throw new Open311Failure(404, [`service_request_id: no request ${caseNo}`]);
      return send(reply, req.params.format, "service_requests", [serviceRequest(c, o.texts.t(locale), locale, o.timeZone, access.redact)]);
    });
  };
}

/**
 * The case filter of `GET requests`: `service_request_id` (comma-separated; then the other
 * filters are ignored, as the spec says), `service_code` and `status` (comma-separated),
 * `start_date`/`end_date` (W3C; at most 90 days apart; default the last 90 days).
 * @throws Open311Failure (400) naming the bad parameter.
 */
function requestFilter(q: Record<string, unknown>, now: Date, timeZone: string) {
  const str = (k: string) => (typeof q[k] === "string" ? (q[k] as string) : undefined);
  const ids = list(str("service_request_id"));
  if (ids.length) {
    if (ids.length > MAX_REQUESTS) throw bad(`service_request_id: at most ${MAX_REQUESTS} ids`);
    const caseNos = ids.map((id) => {
      try {
        return parseCaseNumber(id);
      } catch {
        throw bad(`service_request_id: "${id.slice(0, 40)}" is not a valid case number (e.g. XF-261130-0001-1)`);
      }
    });
    return { caseNos };
  }
  const codes = list(str("service_code"));
  const unknown = codes.find((c) => !isCategory(c));
  if (unknown) throw bad(`service_code: unknown service "${unknown.slice(0, 40)}"; one of ${CATEGORIES.join(", ")}`);
  const statuses = list(str("status"));
  const wrong = statuses.find((s) => s !== "open" && s !== "closed");
  if (wrong) throw bad(`status: "${wrong.slice(0, 20)}" is not open or closed`);
  const states: CaseState[] | undefined = statuses.length === 1 ? CASE_STATES.filter((s) => OPEN_STATES.has(s) === (statuses[0] === "open")) : undefined;

  const date = (k: "start_date" | "end_date") => {
    const v = str(k);
    if (v === undefined || v === "") return undefined;
    const d = parseW3cDate(v, timeZone, k === "end_date");
    if (!d) throw bad(`${k}: "${v.slice(0, 40)}" is not a W3C date-time with a time zone (e.g. 2026-11-01T00:00:00+08:00) or a date (2026-11-01)`);
    return d;
  };
  const start = date("start_date");
  const end = date("end_date");
  const span = MAX_SPAN_DAYS * 86_400_000;
  if (start && end && end < start) throw bad("end_date: before start_date");
  if (start && end && end.getTime() - start.getTime() > span) throw bad(`start_date, end_date: more than ${MAX_SPAN_DAYS} days apart`);
  const to = end ?? (start ? new Date(start.getTime() + span) : now);
  const from = start ?? new Date(to.getTime() - span);
  return { categories: codes.length ? (codes as Category[]) : undefined, states, receivedFrom: from, receivedTo: to };
}
