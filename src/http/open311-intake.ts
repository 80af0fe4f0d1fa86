import { randomUUID } from "node:crypto";
import {
  validateDemands, validateDescription, validateLocation, validateName, validateOccurredAt, validatePhone,
  type Attachment, type Invalid, type Submission,
} from "../chat/resident/index.js";
import { isCategory } from "../domain/index.js";
import { isLocale, type Locale } from "../i18n.js";
import { MAX_DESCRIPTION_CHARS, MAX_FIELD_CHARS, normalizeText } from "../nlu/index.js";
import type { ApiClient } from "./api-keys.js";

/** Codes of the attributes every service has (the form's fields that Open311 has no parameter for). */
export const OPEN311_ATTRIBUTES = ["occurredAt", "demands"] as const;

/** What a valid `POST requests` body becomes: a form for the case service and who filed it. */
export interface Open311Intake {
  form: Submission["form"];
  /** The resident's identity on the `open311` channel: `<client>:account:<id>`, `…:email:…`, `…:device:…`, `…:phone:…` or `…:anonymous:<uuid>`. */
  userId: string;
  locale: Locale;
}

/** Validation of a `POST requests` body: the intake, or one "field: problem" line per bad field. */
export type IntakeResult = { ok: true; value: Open311Intake } | { ok: false; errors: string[] };

const REASONS: Record<Invalid, string> = {
  empty: "required",
  too_short: "too short; describe what happened, where and who is affected (at least 4 letters or digits)",
  too_long: `longer than ${MAX_FIELD_CHARS} characters`,
  not_a_phone: "not a phone number (a CN mobile, a landline with area code, or +country code)",
  looks_like_phone: "looks like a phone number; send the phone as the phone parameter",
  future_date: "is in the future; say when it happened",
  bad_date: "is not a real date",
  not_a_time: "does not say when (give a date such as 2026-03-05 or words such as 'last month')",
  not_a_name: "not a name",
  not_a_place: "not a place (give a town, village, street or road and number)",
  looks_like_date: "looks like a date; give the place",
  vague_place: "does not name a place (here, outside my house); give a village, community, street or road and number",
  not_a_time_number: "a number alone is not a date (give a date such as 2026-03-05 or words such as 'last month')",
};

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

/**
 * Checks a `POST requests` body (form fields, already parsed) with the same validators as the
 * chat form and builds the case's form: `service_code` is the category; `description` is
 * required and at most 4,000 characters (Open311's limit, also ours — refused, not cut, since
 * there is nobody to tell); a place is required as `address_string` or `lat` + `long`;
 * `first_name`/`last_name` become the name, `phone` the phone, `attribute[occurredAt]` and
 * `attribute[demands]` the optional fields, `media_url` a photo. Unknown attributes are refused.
 */
export function parseServiceRequest(body: Record<string, unknown>, o: { client: ApiClient; now: Date; timeZone: string; defaultLocale: Locale }): IntakeResult {
  const errors: string[] = [];
  const field = (name: string): string | undefined => {
    const v = body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" && typeof v !== "number") {
      errors.push(`${name}: must be given once, as text`);
      return undefined;
    }
    const text = normalizeText(String(v));
    return text === "" ? undefined : text;
  };
  const fail = (name: string, reason: Invalid | string) => errors.push(`${name}: ${REASONS[reason as Invalid] ?? reason}`);

  const serviceCode = field("service_code");
  if (!serviceCode) fail("service_code", "required; one of the codes from GET services.json");
  else if (!isCategory(serviceCode)) fail("service_code", `unknown service "${serviceCode.slice(0, 40)}"; see GET services.json`);

  let description: string | undefined;
  const rawDescription = field("description");
  if (!rawDescription) fail("description", "required");
  else if (rawDescription.length > MAX_DESCRIPTION_CHARS) fail("description", `longer than ${MAX_DESCRIPTION_CHARS.toLocaleString("en")} characters`);
  else {
    const r = validateDescription(rawDescription);
    if (r.ok) description = r.value.text;
    else fail("description", r.reason);
  }

  const lat = field("lat");
  const long = field("long");
  const address = field("address_string");
  let coordinates: string | undefined;
  if (lat !== undefined || long !== undefined) {
    const la = Number(lat), lo = Number(long);
    if (lat === undefined || long === undefined) fail(lat === undefined ? "lat" : "long", "required with the other coordinate");
    else if (!Number.isFinite(la) || la < -90 || la > 90) fail("lat", "must be a latitude from -90 to 90 (WGS84 decimal degrees)");
    else if (!Number.isFinite(lo) || lo < -180 || lo > 180) fail("long", "must be a longitude from -180 to 180 (WGS84 decimal degrees)");
    else coordinates = `${la},${lo}`;
  }
  let location: string | undefined;
  if (address !== undefined) {
    const r = validateLocation(address, o.now, o.timeZone);
    if (r.ok) location = coordinates ? `${r.value} (${coordinates})` : r.value;
    else fail("address_string", r.reason);
  } else if (coordinates) location = coordinates;
  else if (lat === undefined && long === undefined) fail("address_string", field("address_id") ? "required (address_id is not supported); or give lat and long" : "required, or lat and long");

  const first = field("first_name");
  const last = field("last_name");
  let name: string | undefined;
  if (first || last) {
    // 姓 comes first in Chinese names (王 + 小明); Western names are "first last".
    const han = /\p{Script=Han}/u.test(`${first ?? ""}${last ?? ""}`);
    const joined = han ? `${last ?? ""}${first ?? ""}` : [first, last].filter(Boolean).join(" ");
    const r = validateName(joined);
    if (r.ok) name = r.value;
    else fail(first ? "first_name" : "last_name", r.reason === "too_long" ? "first_name and last_name together are longer than 50 characters" : r.reason);
  }

  let phone: string | undefined;
  const rawPhone = field("phone");
  if (rawPhone) {
    const r = validatePhone(rawPhone);
    if (r.ok) phone = r.value;
    else fail("phone", r.reason);
  }

  const email = field("email");
  if (email && !EMAIL.test(email)) fail("email", "not an e-mail address");
  const accountId = field("account_id");
  const deviceId = field("device_id");
  for (const [n, v] of [["account_id", accountId], ["device_id", deviceId]] as const) if (v && v.length > 200) fail(n, "longer than 200 characters");

  const attributes: Record<string, string> = {};
  for (const key of Object.keys(body)) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(key);
    if (!m) continue;
    if (!(OPEN311_ATTRIBUTES as readonly string[]).includes(m[1]!)) {
      fail(key.slice(0, 60), `unknown attribute; this service has ${OPEN311_ATTRIBUTES.map((a) => `attribute[${a}]`).join(", ")}`);
      continue;
    }
    const v = field(key);
    if (v) attributes[m[1]!] = v;
  }
  let occurred: { text: string; date?: string; precision?: "day" | "month" | "year" } | undefined;
  if (attributes.occurredAt) {
    const r = validateOccurredAt(attributes.occurredAt, o.now, o.timeZone);
    if (r.ok) occurred = r.value;
    else fail("attribute[occurredAt]", r.reason === "too_long" ? "longer than 200 characters" : r.reason);
  }
  let demands: string | undefined;
  if (attributes.demands) {
    const r = validateDemands(attributes.demands);
    if (r.ok) demands = r.value;
    else fail("attribute[demands]", r.reason);
  }

  let attachments: Attachment[] | undefined;
  const media = field("media_url");
  if (media) {
    if (media.length > 2000 || !/^https?:\/\/[^\s]+$/i.test(media)) fail("media_url", "must be an http(s) URL of at most 2,000 characters");
    else attachments = [{ channel: "open311", kind: "photo", fileId: media }];
  }

  const localeParam = field("locale");
  if (localeParam && !isLocale(localeParam)) fail("locale", "must be zh-CN or en");

  if (errors.length || !description || !location || !isCategory(serviceCode)) return { ok: false, errors };
  const who = accountId ? `account:${accountId}` : email ? `email:${email.toLowerCase()}` : deviceId ? `device:${deviceId}` : phone ? `phone:${phone}` : `anonymous:${randomUUID()}`;
  return {
    ok: true,
    value: {
      userId: `${o.client.name}:${who}`,
      locale: isLocale(localeParam) ? localeParam : o.defaultLocale,
      form: {
        description, category: serviceCode, location, name, phone, demands, attachments,
        occurredText: occurred?.text, occurredOn: occurred?.date, occurredPrecision: occurred?.precision,
      },
    },
  };
}
