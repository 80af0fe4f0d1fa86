import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { ApiKeyring } from "../../src/http/api-keys.js";

describe("ApiKeyring", () => {
  it("should name each key's client and accept only exact keys", () => {
    const keys = ApiKeyring.parse(" hotline:0123456789abcdef-hotline , 0123456789abcdef-cityapp ");
    expect(keys.size).toBe(2);
    expect(keys.check("0123456789abcdef-hotline")).toEqual({ name: "hotline", scopes: new Set(["file"]) });
    expect(keys.check("0123456789abcdef-cityapp")?.name).toMatch(/^key-[0-9a-f]{8}$/);
    for (const wrong of ["0123456789abcdef-hotlin", "0123456789abcdef-hotlinee", "hotline:0123456789abcdef-hotline", "", undefined]) expect(keys.check(wrong)).toBeNull();
  });

  it("should give each key the scopes written after @, and file alone by default", () => {
    const keys = ApiKeyring.parse("hotline:0123456789abcdef-hotline@file+read_full,portal:0123456789abcdef-portal@read,0123456789abcdef-plain");
    expect([...keys.check("0123456789abcdef-hotline")!.scopes].sort()).toEqual(["file", "read_full"]);
    expect([...keys.check("0123456789abcdef-portal")!.scopes]).toEqual(["read"]);
    expect([...keys.check("0123456789abcdef-plain")!.scopes]).toEqual(["file"]);
    // The scope is not part of the key.
    expect(keys.check("0123456789abcdef-portal@read")).toBeNull();
    expect(() => loadConfig({ OPEN311_API_KEYS: "a:0123456789abcdef@admin" })).toThrow(ConfigError);
    expect(loadConfig({ OPEN311_API_KEYS: "a:0123456789abcdef@read+file" }).OPEN311_API_KEYS).toBe("a:0123456789abcdef@read+file");
  });

  it("should accept nothing without keys", () => {
    expect(ApiKeyring.parse(undefined).size).toBe(0);
    expect(ApiKeyring.parse(undefined).check("")).toBeNull();
  });
});

describe("OPEN311_API_KEYS", () => {
  it("should be optional and take name:KEY lists", () => {
    expect(loadConfig({}).OPEN311_API_KEYS).toBeUndefined();
    expect(loadConfig({ OPEN311_API_KEYS: "a:0123456789abcdef,0123456789abcdefXYZ" }).OPEN311_API_KEYS).toBe("a:0123456789abcdef,0123456789abcdefXYZ");
  });

  it("should stop start-up with one line naming the variable but never the key", () => {
    const secret = "short-secret";
    let err: unknown;
    try {
      loadConfig({ OPEN311_API_KEYS: `hotline:${secret}` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^Invalid configuration: OPEN311_API_KEYS must be comma-separated keys of 16–128 characters/);
    expect((err as Error).message).not.toContain(secret);
  });
});
