import { createHash, timingSafeEqual } from "node:crypto";

/**
 * What a key allows: `file` — POST requests (file cases); `read` — read every case with personal data redacted;
 * `read_full` — read every case as typed (for the bureau's own systems).
 */
export type ApiScope = "file" | "read" | "read_full";

/** A system allowed to use Open311 with a key (a 12345 hotline, a city app …). */
export interface ApiClient {
  /** Its name from OPEN311_API_KEYS (`name:KEY`), or `key-` and 8 hex digits of the key's SHA-256. */
  name: string;
  /** What the key allows (`KEY@read+file`); `file` alone when none is written. */
  scopes: ReadonlySet<ApiScope>;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * The Open311 API keys (OPEN311_API_KEYS), kept as SHA-256 digests. `check` compares a given
 * key with every stored one in constant time, so neither the answer time nor an error message
 * tells anything about the keys; keys are never logged or echoed.
 * @example
 * const keys = ApiKeyring.parse("hotline:0123456789abcdef0123");
 * keys.check("0123456789abcdef0123"); // { name: "hotline", scopes: Set { "file" } }
 */
export class ApiKeyring {
  private constructor(private readonly entries: ReadonlyArray<{ name: string; hash: Buffer; scopes: ReadonlySet<ApiScope> }>) {}

  /**
   * Parses `KEY`, `name:KEY` or `name:KEY@scope+scope` entries separated by commas (validated by
   * src/config.ts); undefined → no keys.
   */
  static parse(list: string | undefined): ApiKeyring {
    const entries = (list ?? "").split(",").map((e) => e.trim()).filter(Boolean).map((item) => {
      const at = item.indexOf("@");
      const entry = at >= 0 ? item.slice(0, at) : item;
      const scopes = new Set<ApiScope>(at >= 0 ? (item.slice(at + 1).split("+") as ApiScope[]) : ["file"]);
      const colon = entry.indexOf(":");
      const key = colon >= 0 ? entry.slice(colon + 1) : entry;
      const hash = digest(key);
      return { name: colon >= 0 ? entry.slice(0, colon) : `key-${hash.toString("hex").slice(0, 8)}`, hash, scopes };
    });
    return new ApiKeyring(entries);
  }

  /** How many keys there are; 0 means nobody can file cases. */
  get size(): number {
    return this.entries.length;
  }

  /** The client whose key `given` is, or null (also for an empty or missing key). */
  check(given: string | undefined): ApiClient | null {
    const hash = digest(given ?? "");
    let found: ApiClient | null = null;
    // No early exit: every stored digest is compared.
    for (const e of this.entries) if (timingSafeEqual(e.hash, hash) && given) found = { name: e.name, scopes: e.scopes };
    return found;
  }
}
