import { LEDGER_GROUPS } from "../cases/ledger.js";
import { CADRE_ROLES, CASE_STATES, CATEGORIES, TRANSITIONS } from "../domain/index.js";

/**
 * JSON schemas of the admin API routes: fastify checks inputs with them and @fastify/swagger
 * puts them in the OpenAPI document. Objects allow more properties than listed, so an answer
 * never loses a field the schema forgot.
 */

/** Every action of the transition table, for `POST /admin/api/cases/{caseNo}/transitions`. */
export const ACTIONS = [...new Set(Object.values(TRANSITIONS).flatMap((t) => Object.keys(t)))];

const str = (description: string, extra: object = {}) => ({ type: "string", description, ...extra });
const nullable = (description: string) => ({ type: ["string", "null"], description });
const obj = (properties: Record<string, unknown>, extra: object = {}) => ({ type: "object", properties, additionalProperties: true, ...extra });

const error = {
  description: "{error, message}: error is a stable code (BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, CASE.FORBIDDEN, CASE.INVALID_TRANSITION, CASE.ACTION_REFUSED, CASE.CONCURRENT_CHANGE …)",
  ...obj({ error: str("Stable code"), message: str("What was wrong, in one line") }, { required: ["error", "message"] }),
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, error]));

const caseSummary = obj({
  caseNo: str("Case number"), category: str("Category id"), state: str("Case state"), colour: str("green, yellow or red"),
  unit: nullable("Unit id"), receivedAt: str("ISO instant (UTC)"), colourDueAt: str("ISO instant (UTC)"), phone: nullable("Masked phone"),
});

const caseDetails = obj({
  caseNo: str("Case number"), category: str("Category id"), state: str("Case state"), colour: str("green, yellow or red"),
  unit: { type: ["object", "null"], properties: { id: { type: "string" }, name: { type: "string" } }, additionalProperties: true },
  description: str("Phone and ID-card numbers masked unless reveal_phone"),
  location: nullable("Place"), occurredAt: nullable("The resident's words for when"), occurredOn: nullable("Parsed local date"),
  demands: nullable("What the resident asks for"),
  attachments: { type: "array", items: obj({ kind: { type: "string" }, fileId: { type: "string" }, channel: { type: "string" }, caption: { type: "string" } }) },
  name: nullable("Name"), phone: nullable("Phone, masked unless reveal_phone"), channel: str("Where it was filed"), receivedAt: str("ISO instant"),
  clocks: obj({
    colourDueAt: str("Colour deadline"), registerDueAt: str("Art. 22"), acceptanceDueAt: str("Art. 23"),
    objectionDueAt: nullable("Art. 23 ¶3"), replyDueAt: str("Art. 34"),
  }),
  classifier: obj({ suggested: nullable("Category the classifier suggested"), confidence: { type: ["number", "null"] } }),
  events: { type: "array", items: obj({ type: { type: "string" }, actor: { type: "string" }, from: nullable("State before"), to: nullable("State after"), note: nullable("Note"), at: str("ISO instant") }) },
});

const unit = obj({
  id: str("Unit id"), name: str("Name"), nameEn: nullable("English name"), categories: { type: "array", items: { type: "string" } },
  areas: { type: "array", items: { type: "string" } }, chatTargets: { type: "array", items: obj({ channel: { type: "string" }, chatId: { type: "string" } }) },
  isDutyDesk: { type: "boolean" },
});

const rate = (description: string) => ({ type: ["number", "null"], description });
const count = (description: string) => ({ type: "integer", description });
const ledgerRow = obj({
  key: nullable("Group value; \"all\" for the total; null = not known"), received: count("Cases received"), replied: count("With a first opinion"),
  repliedOnTime: count("First opinion by the colour deadline"), due: count("Replied, or past the colour deadline"), onTimeRate: rate("repliedOnTime / due"),
  closed: count("Closed (办结)"), pollAnswered: count("Closed with an answered poll"), participationRate: rate("pollAnswered / closed"),
  satisfied: count("满意"), basicallySatisfied: count("基本满意"), unsatisfied: count("不满意"), satisfactionRate: rate("(satisfied + basically satisfied) / answered"),
  firstTimeResolved: count("Closed by the first handling, not unsatisfied, no repeat visit"), firstTimeResolutionRate: rate("firstTimeResolved / closed"),
  open: count("Not yet closed"), overdue: count("Open past a deadline"), notAccepted: count("Not accepted (诉访分离)"), supervised: count("On the supervision list"),
});

const tags = ["admin"];
const security = [{ adminToken: [] }];
const caseNoParam = { type: "object", properties: { caseNo: str("Case number, e.g. XF-261130-0001-1") }, required: ["caseNo"] };

/** Route schemas of {@link adminApi}, by route. */
export const adminSchemas = {
  listCases: {
    tags, security, summary: "List cases, newest first (cases list)",
    querystring: {
      type: "object",
      properties: {
        state: str("Only this state", { enum: [...CASE_STATES] }),
        unit: str("Only this unit id"),
        category: str("Only this category", { enum: [...CATEGORIES] }),
        limit: { type: "integer", minimum: 1, maximum: 1000, default: 100, description: "1–1000" },
      },
      additionalProperties: false,
    },
    response: { 200: obj({ cases: { type: "array", items: caseSummary } }), ...errors(400, 401, 404) },
  },
  showCase: {
    tags, security, summary: "One case with its clocks and history (cases show)",
    params: caseNoParam,
    querystring: { type: "object", properties: { reveal_phone: { type: "boolean", default: false, description: "Full phone and unmasked description" } }, additionalProperties: false },
    response: { 200: caseDetails, ...errors(400, 401, 404) },
  },
  transition: {
    tags, security, summary: "Move a case (cases transition)",
    description: "Same workflow, permissions and statutory checks as the cadres' buttons and the CLI; the notifications it causes are queued in the same transaction. " +
      "403 CASE.FORBIDDEN: the actor may not act on this case; 409 CASE.INVALID_TRANSITION: the state does not allow the action; " +
      "409 CASE.CONCURRENT_CHANGE: someone changed the case first; 422 CASE.ACTION_REFUSED: a statutory rule (note required, one extension of ≤ 30 days, objection window).",
    params: caseNoParam,
    body: {
      type: "object",
      required: ["action"],
      properties: {
        action: str("What to do", { enum: ACTIONS }),
        note: str("Reason, progress or handling opinion (required by object, extend, reply, decline, report_progress)", { maxLength: 4000 }),
        days: { type: "integer", description: "Extension days (1–30, Art. 34)" },
        unit: str("Target unit of assign"),
        actor: str("Who acts: an operator name, or a cadre id to act as that cadre (default operator)", { default: "operator", minLength: 1, maxLength: 64 }),
      },
      additionalProperties: false,
    },
    response: {
      200: obj({ caseNo: str("Case number"), action: str("Action"), from: str("State before"), to: str("State after"), notifications: { type: "integer", description: "Notifications queued" } }),
      ...errors(400, 401, 403, 404, 409, 422),
    },
  },
  listUnits: {
    tags, security, summary: "Units and the categories each handles (units list)",
    response: { 200: obj({ units: { type: "array", items: unit } }), ...errors(401, 404) },
  },
  importUnits: {
    tags, security, summary: "Import units (units import)",
    description: "The body is a units file as JSON ({units: [{id, name, nameEn?, categories, areas?, isDutyDesk?, chatTargets?}]}); all or nothing. " +
      "Exactly one duty desk must remain; warnings name categories another unit also handles district-wide.",
    body: obj({ units: { type: "array", items: obj({}) } }, { required: ["units"] }),
    response: { 200: obj({ imported: { type: "array", items: { type: "string" } }, warnings: { type: "array", items: { type: "string" } } }), ...errors(400, 401, 404) },
  },
  inviteCadre: {
    tags, security, summary: "A one-time code a new cadre sends as /bind CODE (cadres invite)",
    body: {
      type: "object",
      required: ["unit"],
      properties: {
        unit: str("Unit id"),
        role: str("handler, leader or supervisor", { enum: [...CADRE_ROLES], default: "handler" }),
        name: str("The cadre's name", { maxLength: 50 }),
        ttlHours: { type: "number", exclusiveMinimum: 0, maximum: 720, default: 72, description: "Hours the code stays valid (≤ 720)" },
      },
      additionalProperties: false,
    },
    response: { 201: obj({ code: str("The code"), unit: str("Unit id"), role: str("Role"), expiresAt: str("ISO instant") }), ...errors(400, 401, 404) },
  },
  listCadres: {
    tags, security, summary: "Cadre accounts: unit, role, name, channel, bound or not, masked chat id (cadres list)",
    response: {
      200: obj({
        cadres: {
          type: "array",
          items: obj({
            id: str("Cadre id"), unitId: str("Unit id"), role: str("handler, leader or supervisor"), name: str("Name"),
            channel: nullable("Channel of the bound chat; null when not bound"),
            bound: { type: "boolean", description: "A chat is bound" },
            externalIdMasked: nullable("The chat identity, all but its ends hidden"),
            createdAt: str("ISO instant (UTC)"),
            revokedAt: nullable("ISO instant (UTC) of the revoke; null when not revoked"),
          }),
        },
      }),
      ...errors(401, 404),
    },
  },
  revokeCadre: {
    tags, security,
    summary: "Revoke a cadre (cadres revoke): unbind their chat, drop what waits for it, release their open cases",
    params: { type: "object", required: ["id"], properties: { id: str("Cadre id", { maxLength: 100 }) } },
    body: {
      type: ["object", "null"],
      properties: {
        actor: str("Who revokes (operator id), for the audit row", { maxLength: 100, default: "operator" }),
      },
      additionalProperties: false,
    },
    response: {
      200: obj({
        cadreId: str("Cadre id"),
        droppedNotifications: { type: "integer", description: "Pending notifications that will not be sent" },
        releasedCases: {
          type: "array", items: { type: "string" }, description: "Open cases they owned, now ownerless in their unit",
        },
      }),
      ...errors(401, 404, 409),
    },
  },
  ledger: {
    tags, security, summary: "The ledger, 三知一账 (ledger)",
    description: "Cases received from `from` to `to` (local dates, inclusive): received, replied on time, participation, satisfaction, " +
      "first-time resolution, open and overdue, in total and per group. Rates are 0–1, null when there is nothing to count. Definitions: src/cases/ledger.ts.",
    querystring: {
      type: "object",
      properties: {
        from: str("First day, YYYY-MM-DD (default 1 January of this year)", { format: "date" }),
        to: str("Last day, YYYY-MM-DD (default today)", { format: "date" }),
        by: str("Group rows by", { enum: [...LEDGER_GROUPS] }),
      },
      additionalProperties: false,
    },
    response: { 200: obj({ from: str("First day"), to: str("Last day"), by: nullable("Grouping"), rows: { type: "array", items: ledgerRow }, total: ledgerRow }), ...errors(400, 401, 404) },
  },
  dashboard: {
    tags, security, summary: "The leaders' dashboard data: ledger series, per-unit rates, supervision list, overdue cases",
    querystring: {
      type: "object",
      properties: {
        from: str("First day, YYYY-MM-DD (default 29 days before to)", { format: "date" }),
        to: str("Last day, YYYY-MM-DD (default today)", { format: "date" }),
      },
      additionalProperties: false,
    },
    response: { 200: obj({}), ...errors(400, 401, 404) },
  },
  supervision: {
    tags, security, summary: "List a case for supervision (挂牌督办) or take it off the list (cases supervise|unsupervise)",
    params: caseNoParam,
    body: {
      type: "object",
      required: ["listed"],
      properties: {
        listed: { type: "boolean", description: "true lists it, false takes it off" },
        note: str("The reason", { maxLength: 1000 }),
        actor: str("Who acts: an operator name, or a leader's/supervisor's cadre id", { default: "operator", minLength: 1, maxLength: 64 }),
      },
      additionalProperties: false,
    },
    response: { 200: obj({ caseNo: str("Case number"), supervised: { type: "boolean" }, changed: { type: "boolean" } }), ...errors(400, 401, 403, 404) },
  },
} as const;
