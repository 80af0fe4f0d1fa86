/**
 * JSON schemas of the Open311 routes: fastify checks inputs with them, serialises answers
 * through them (a field not listed here never leaves the server) and @fastify/swagger turns
 * them into the OpenAPI document. Every route also answers in XML when the path ends in .xml.
 */

const str = (description: string, extra: object = {}) => ({ type: "string", description, ...extra });
const nullable = (description: string) => ({ type: ["string", "null"], description });

const format = { type: "string", enum: ["json", "xml"], description: "json or xml (the path's extension)" };
const locale = str("Language of names and notes: zh-CN or en (extension; default the server's DEFAULT_LOCALE)", { enum: ["zh-CN", "en"] });
const jurisdiction = str("Accepted and ignored: this server serves one jurisdiction");

const errors = {
  description: "Open311 errors: the HTTP status as code and what was wrong, naming the parameter",
  type: "array",
  items: { type: "object", properties: { code: { type: "integer" }, description: { type: "string" } }, required: ["code", "description"] },
};
const errorResponses = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, errors]));

const service = {
  type: "object",
  properties: {
    service_code: str("Reception category id, e.g. transport"),
    service_name: str("Category name in the requested language"),
    description: str("What matters the category covers"),
    metadata: { type: "boolean", description: "Always true: see GET services/{service_code} for the attributes" },
    type: str("Always realtime: POST requests answers with the case number at once"),
    keywords: str("Comma-separated words residents use for such matters"),
    group: str("The responsible unit that handles the category district-wide"),
  },
};

const attribute = {
  type: "object",
  properties: {
    variable: { type: "boolean" },
    code: str("Send as attribute[code]"),
    datatype: str("string or text"),
    required: { type: "boolean" },
    datatype_description: str("What the value may be"),
    order: { type: "integer" },
    description: str("The question the chat form asks"),
  },
};

const request = {
  type: "object",
  properties: {
    service_request_id: str("Case number, e.g. XF-261130-0001-1"),
    status: str("open (a unit still owes an answer) or closed", { enum: ["open", "closed"] }),
    status_notes: str("The case state in words"),
    service_name: str("Category name"),
    service_code: str("Category id"),
    description: nullable("The description with phone and ID-card numbers masked; null for accusations against officials (grassroots_integrity), which are never published"),
    agency_responsible: nullable("The responsible unit; null while the duty desk assigns it"),
    service_notice: str("The statutory reply deadline"),
    requested_datetime: str("When the case was received (W3C date-time with offset)"),
    updated_datetime: str("Last change"),
    expected_datetime: str("Colour deadline (三色): when the unit reports back"),
    address: nullable("Town and village only (public reads); the place as typed for a read_full key"),
    address_id: nullable("Not used"),
    zipcode: nullable("Not used"),
    lat: nullable("Never published (personal data)"),
    long: nullable("Never published (personal data)"),
    media_url: nullable("Never published (personal data)"),
  },
};

const tags = ["open311"];

/** Route schemas of {@link open311Api}, by route. */
export const open311Schemas = {
  discovery: {
    tags, summary: "Service discovery (Open311)",
    params: { type: "object", properties: { format } },
    response: {
      200: {
        type: "object",
        properties: {
          changeset: str("Date of the last change"), contact: str("Who to contact"), key_service: str("How to get an API key"),
          endpoints: { type: "array", items: { type: "object", properties: { specification: str("Spec URL"), url: str("Base URL"), changeset: str("Date"), type: str("production"), formats: { type: "array", items: { type: "string" } } } } },
        },
      },
    },
  },
  services: {
    tags, summary: "List services (reception categories)",
    params: { type: "object", properties: { format } },
    querystring: { type: "object", properties: { jurisdiction_id: jurisdiction, locale } },
    response: { 200: { type: "array", items: service }, ...errorResponses(400) },
  },
  service: {
    tags, summary: "A service's definition: its attributes",
    params: { type: "object", properties: { service_code: str("Category id"), format } },
    querystring: { type: "object", properties: { jurisdiction_id: jurisdiction, locale } },
    response: {
      200: { type: "object", properties: { service_code: { type: "string" }, attributes: { type: "array", items: attribute } } },
      ...errorResponses(400, 404),
    },
  },
  postRequest: {
    tags, summary: "File a case (service request)",
    description: "Form-encoded (application/x-www-form-urlencoded; JSON also accepted). Needs an API key. A place is required: address_string, or lat and long. " +
      "Optional fields of the form go in attribute[occurredAt] and attribute[demands]; unknown attributes are refused. " +
      "Same validation as the chat form: description 4–4,000 characters with content, phone a real number, name at most 50 characters. " +
      "An Idempotency-Key header (extension) makes retries return the first case. Answers 201 with the case number.",
    consumes: ["application/x-www-form-urlencoded", "application/json"],
    params: { type: "object", properties: { format } },
    headers: { type: "object", properties: { "idempotency-key": str("Extension: the same key (per API key) always returns the same case") } },
    body: {
      type: "object",
      required: ["api_key", "service_code", "description"],
      properties: {
        api_key: str("Key issued by the petition bureau (OPEN311_API_KEYS)"),
        jurisdiction_id: jurisdiction,
        service_code: str("Category id from GET services"),
        description: str("What happened, where, who is affected; at most 4,000 characters", { maxLength: 4000 }),
        lat: str("Latitude, WGS84 decimal degrees (with long)"),
        long: str("Longitude, WGS84 decimal degrees (with lat)"),
        address_string: str("The place: town, village, street or road and number; at most 500 characters"),
        address_id: str("Not supported: give address_string"),
        email: str("Identifies the resident across requests (not published)"),
        device_id: str("Identifies the resident's device (not published)"),
        account_id: str("Identifies the resident's account at the caller (not published)"),
        first_name: str("Given name (not published)"),
        last_name: str("Family name (not published)"),
        phone: str("Phone for the unit to call back (not published)"),
        media_url: str("A photo's URL, kept with the case (not published)"),
        locale,
      },
      additionalProperties: { description: "attribute[occurredAt], attribute[demands]: see GET services/{service_code}" },
    },
    response: {
      201: {
        type: "array",
        items: { type: "object", properties: { service_request_id: str("The case number"), service_notice: str("Receipt: unit and deadlines"), account_id: { type: "null" } } },
      },
      ...errorResponses(400, 403, 415),
    },
  },
  listRequests: {
    tags, summary: "Find service requests",
    description: "Newest first. Without dates, the last 90 days. At most 1,000 per answer: the pagination extension (page, page_size) pages on; " +
      "X-Total-Count gives the number of matches and a Link header with rel=\"next\" the next page.",
    params: { type: "object", properties: { format } },
    querystring: {
      type: "object",
      properties: {
        jurisdiction_id: jurisdiction,
        service_request_id: str("Comma-separated case numbers; the other filters are then ignored"),
        service_code: str("Comma-separated category ids"),
        start_date: str("Received at or after (W3C date-time with zone, or a date = its start)"),
        end_date: str("Received at or before (W3C date-time with zone, or a date = its end); at most 90 days after start_date"),
        status: str("open, closed or open,closed"),
        locale,
        api_key: str("Key with the read or read_full scope; without one, what OPEN311_PUBLIC_READ allows"),
        page: { type: "integer", minimum: 1, default: 1, description: "Extension: page number, from 1" },
        page_size: { type: "integer", minimum: 1, maximum: 1000, default: 1000, description: "Extension: requests per page, 1–1000" },
      },
    },
    response: { 200: { type: "array", items: request }, ...errorResponses(400, 403) },
  },
  getRequest: {
    tags, summary: "One service request's status",
    params: { type: "object", properties: { service_request_id: str("Case number"), format } },
    querystring: { type: "object", properties: { jurisdiction_id: jurisdiction, locale, api_key: str("Key with the read or read_full scope") } },
    response: { 200: { type: "array", items: request }, ...errorResponses(400, 403, 404) },
  },
} as const;
