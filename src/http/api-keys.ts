import { createHash, timingSafeEqual } from "node:crypto";

/** A system allowed to file cases through Open311 (a 12345 hotline, a city app …). */
export interface ApiClient {
  /** Its name from OPEN311_API_KEYS (`name:KEY`), or `key-` and 8 hex digits of the key's SHA-256. */
  name: string;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * The Open311 API keys (OPEN311_API_KEYS), kept as SHA-256 digests. `check` compares a given
 * key with every stored one in constant time, so neither the answer time nor an error message
 * tells anything about the keys; keys are never logged or echoed.
 * @example
 * const keys = ApiKeyring.parse("hotline:0123456789abcdef0123");
 * keys.check("0123456789abcdef0123"); // { name: "hotline" }
 */
export class ApiKeyring {
  private constructor(private readonly entries: ReadonlyArray<{ name: string; hash: Buffer }>) {}

  /** Parses `KEY` or `name:KEY` entries separated by commas (validated by src/config.ts); undefined → no keys. */
  static parse(list: string | undefined): ApiKeyring {
    const entries = (list ?? "").split(",").map((e) => e.trim()).filter(Boolean).map((entry) => {
      const colon = entry.indexOf(":");
      const key = colon >= 0 ? entry.slice(colon + 1) : entry;
      const hash = digest(key);
      return { name: colon >= 0 ? entry.slice(0, colon) : `key-${hash.toString("hex").slice(0, 8)}`, hash };
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
    for (const e of this.entries) if (timingSafeEqual(e.hash, hash) && given) found = { name: e.name };
    return found;
  }
}
