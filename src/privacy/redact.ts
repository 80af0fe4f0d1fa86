import { foldDigits } from "./fold.js";
import { findPersonalData, type PersonalDataKind, type Span } from "./find-personal-data.js";

/** Options of `redactPersonalData`. */
export interface RedactOptions {
  /** Kinds to mask; default every kind. Showing a resident their own text back masks only ID and card numbers. */
  kinds?: readonly PersonalDataKind[];
}

/**
 * Masks every piece of personal data in a text, for logs, group chats and public outputs.
 * Use it wherever a text written by a resident leaves the resident's own chat or a cadre's private desk.
 * The format, one per kind:
 * - phone, id_number, bank_card, qq: `*` for every digit but the last four, which stay (as ASCII
 *   digits, `X` for an ID check character); separators, `+86` and brackets are dropped, so
 *   `138-0000-5678` → `*******5678`, `11010519491231002X` → `**************002X`. Numbers of fewer than
 *   8 digits are masked completely.
 * - email: `***@` and the domain (`***@163.com`).
 * - house: every digit (also 一…九, 十, 百) becomes `*`, the unit words stay (`5栋2单元301室` → `*栋*单元***室`).
 * - name, wechat, plate: one `*` per character.
 * @example redactPersonalData("我叫张伟，电话13800005678") // "我叫**，电话*******5678"
 */
export function redactPersonalData(text: string, options: RedactOptions = {}): string {
  const kinds = options.kinds ? new Set(options.kinds) : null;
  return applyMasks(text, findPersonalData(text).filter((s) => !kinds || kinds.has(s.kind)));
}

/** Replaces each span of `text` with its mask (see `redactPersonalData`); spans sorted and not overlapping. */
export function applyMasks(text: string, spans: readonly Span[]): string {
  let out = "";
  let last = 0;
  for (const s of spans) {
    out += text.slice(last, s.start) + maskValue(s.kind, text.slice(s.start, s.end));
    last = s.end;
  }
  return out + text.slice(last);
}

/**
 * Masks one phone number for showing it to a cadre in a group or in a list: the last 4 digits
 * only (`*******5678`); fewer than 8 digits are masked completely. `null` for no phone.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const masked = maskNumber(phone);
  return masked === "" ? "****" : masked;
}

/** The mask of one value of a kind (see `redactPersonalData` for the format). */
export function maskValue(kind: PersonalDataKind, value: string): string {
  switch (kind) {
    case "phone":
    case "id_number":
    case "bank_card":
    case "qq":
      return maskNumber(value);
    case "email":
      return value.replace(/^.*?(?:[@＠]|\s?[(（\[［](?:at|AT)[)）\]］]\s?)/, "***@");
    case "house":
      return foldDigits(value).replace(/[0-9十百]/g, "*");
    default:
      return "*".repeat([...value].length);
  }
}

function maskNumber(value: string): string {
  const digits = foldDigits(value).replace(/[^0-9Xx]/g, "").toUpperCase();
  if (digits.length < 8) return "*".repeat(digits.length);
  return "*".repeat(digits.length - 4) + digits.slice(-4);
}
