import { XMLBuilder } from "fast-xml-parser";
import { routeCategory, type CaseRecord, type RoutedUnit } from "../cases/index.js";
import {
  CATEGORIES, OPEN_STATES, endOfLocalDay, parseLocalDate, startOfLocalDay, toLocalDate, zoneOffsetMinutes,
  type Category,
} from "../domain/index.js";
import { localName, type Locale, type Translate } from "../i18n.js";
import { redactPersonalData } from "../privacy/index.js";
import { OPEN311_ATTRIBUTES } from "./open311-intake.js";

/**
 * The GeoReport v2 resources as we publish them, built from our categories, units and cases,
 * and their XML form. Pure: no I/O. Nothing personal leaves here: no names, phones, places,
 * demands or attachments, and descriptions with phone and ID-card numbers masked.
 */

/** One service (服务类别) of `GET services`: a reception category. */
export interface Open311Service {
  service_code: Category;
  service_name: string;
  description: string;
  /** True: the service has attributes (GET services/{code}). */
  metadata: true;
  /** realtime: POST returns the service_request_id at once. */
  type: "realtime";
  /** Comma-separated words residents use for such matters. */
  keywords: string;
  /** The responsible unit that handles the category district-wide. */
  group: string;
}

/** One attribute of a service definition: a form field Open311 has no parameter for. */
export interface Open311Attribute {
  variable: true;
  code: string;
  datatype: "string" | "text";
  required: false;
  datatype_description: string;
  order: number;
  description: string;
}

/** A service request as anyone may read it (`GET requests`). */
export interface Open311Request {
  /** The case number, e.g. XF-261130-0001-1. */
  service_request_id: string;
  /** open while a unit still owes an answer (OPEN_STATES), otherwise closed. */
  status: "open" | "closed";
  /** The case state in words, e.g. "accepted". */
  status_notes: string;
  service_name: string;
  service_code: Category;
  /** The resident's description with phone and ID-card numbers masked; null for integrity matters. */
  description: string | null;
  /** The responsible unit, or null while the duty desk assigns it. */
  agency_responsible: string | null;
  service_notice: string;
  /** W3C date-times with the zone's offset. */
  requested_datetime: string;
  updated_datetime: string;
  /** The colour deadline (三色): when the unit reports back. */
  expected_datetime: string;
  /** Never published (personal data). */
  /** Town and village (redacted reads) or the place as typed (full reads). */
  address: string | null;
  address_id: null;
  zipcode: null;
  lat: null;
  long: null;
  media_url: null;
}

/** An Open311 error: the HTTP status as `code` and what was wrong. */
export interface Open311Error {
  code: number;
  description: string;
}

/**
 * Categories whose descriptions are never published: accusations against officials (检举、揭发)
 * must not reach the people accused, so only the status of such a case is public.
 */
const UNPUBLISHED_DESCRIPTIONS: ReadonlySet<Category> = new Set(["grassroots_integrity"]);

/** Our categories as Open311 services, in the order of CATEGORIES. */
export function services(t: Translate, locale: Locale, units: readonly RoutedUnit[]): Open311Service[] {
  return CATEGORIES.map((c) => ({
    service_code: c, service_name: t(`category.${c}`), description: t(`open311.description.${c}`), metadata: true, type: "realtime",
    keywords: t(`open311.keywords.${c}`), group: localName(routeCategory(c, units, null), locale) ?? "",
  }));
}

/** The definition of one service: the optional form fields `attribute[occurredAt]` and `attribute[demands]`. */
export function serviceDefinition(t: Translate, code: Category): { service_code: Category; attributes: Open311Attribute[] } {
  return {
    service_code: code,
    attributes: OPEN311_ATTRIBUTES.map((a, i) => ({
      variable: true, code: a, datatype: a === "demands" ? "text" : "string", required: false,
      datatype_description: t(`open311.datatype.${a}`), order: i + 1, description: t(`ask.${a}`),
    })),
  };
}

/**
 * A case as a service request. `redact` (the default, for public reads): the description through the
 * personal-data redactor and the address cut to town and village; false (a `read_full` key, or
 * OPEN311_PUBLIC_READ=full): the description and place as typed.
 */
export function serviceRequest(c: CaseRecord, t: Translate, locale: Locale, timeZone: string, redact = true): Open311Request {
  // An accusation against officials names neither its words nor its village: in a small village the
  // place alone can point to who reported.
  const hidden = redact && UNPUBLISHED_DESCRIPTIONS.has(c.category);
  const place = hidden ? null : redact ? [c.town, c.village].filter(Boolean).join("") || null : c.location;
  return {
    service_request_id: c.caseNo,
    status: OPEN_STATES.has(c.state) ? "open" : "closed",
    status_notes: t(`state.${c.state}`),
    service_name: t(`category.${c.category}`),
    service_code: c.category,
    description: hidden ? null : redact ? redactPersonalData(c.description) : c.description,
    agency_responsible: c.unitId ? localName({ name: c.unitName ?? c.unitId, nameEn: c.unitNameEn }, locale) : null,
    service_notice: t("open311.notice.reply_due", { replyDue: toLocalDate(c.replyDueAt, timeZone) }),
    requested_datetime: w3cDateTime(c.receivedAt, timeZone),
    updated_datetime: w3cDateTime(c.updatedAt, timeZone),
    expected_datetime: w3cDateTime(c.colourDueAt, timeZone),
    address: place, address_id: null, zipcode: null, lat: null, long: null, media_url: null,
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `instant` as a W3C date-time in `timeZone` with its offset, e.g. 2026-11-30T09:05:00+08:00. */
export function w3cDateTime(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const a = Math.abs(offset);
  return `${local}${offset < 0 ? "-" : "+"}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/**
 * Reads a W3C date or date-time: `2026-11-30` (a local day in `timeZone`: its start, or with
 * `endOfDay` its last millisecond) or `2026-11-30T09:05:00+08:00` / `…Z` (a zone is required).
 * A space where the `+` of the offset was (a `+` left unencoded in a URL) is taken as `+`.
 * Returns null when it is neither.
 */
export function parseW3cDate(text: string, timeZone: string, endOfDay = false): Date | null {
  const t = text.trim().replace(/ (\d{2}:\d{2})$/, "+$1");
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return endOfDay ? endOfLocalDay(t, timeZone) : startOfLocalDay(t, timeZone);
    const m = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/.exec(t);
    if (!m) return null;
    parseLocalDate(m[1]!); // a real day (no 30 February)
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d;
  } catch {
    return null;
  }
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: false });

/** The XML elements that hold one item of each kind of Open311 list. */
const ITEM = { services: "service", service_requests: "request", errors: "error" } as const;

/**
 * A JSON Open311 body as the spec's XML document (with the UTF-8 declaration): lists become
 * `<services><service>…`, `<service_requests><request>…`, `<errors><error>…`; a service
 * definition becomes `<service_definition>…<attributes><attribute>…`.
 */
export function toXml(root: keyof typeof ITEM | "service_definition" | "discovery", body: unknown): string {
  let tree: unknown;
  if (root === "service_definition") {
    const d = body as ReturnType<typeof serviceDefinition>;
    tree = { service_definition: { service_code: d.service_code, attributes: { attribute: d.attributes } } };
  } else if (root === "discovery") {
    const d = body as { endpoints: Array<{ formats: string[] } & Record<string, unknown>> } & Record<string, unknown>;
    tree = { discovery: { ...d, endpoints: { endpoint: d.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) } } };
  } else {
    tree = { [root]: { [ITEM[root]]: body } };
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(tree)}`;
}
