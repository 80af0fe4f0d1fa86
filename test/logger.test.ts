import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

function capture() {
  const lines: string[] = [];
  const logger = createLogger("debug", new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
  return { logger, lines };
}

describe("createLogger", () => {
  it("should never write a full phone or ID-card number, in known fields or anywhere else", () => {
    const { logger, lines } = capture();
    logger.info({ phone: "13800001234", form: { phone: "13912345678", idCard: "11010519491231002X" }, text: "我的电话13700001111" }, "form saved");
    logger.error({ err: new Error("duplicate key contactPhone=13600002222 for 身份证 110105194912310021") }, "save failed");
    logger.warn({ resident: { contact: "+86 135-0000-3333" } }, "resident 15800004444 asked for staff");
    const out = lines.join("");
    for (const secret of ["13800001234", "13912345678", "11010519491231002X", "13700001111", "13600002222", "110105194912310021", "0000-3333", "15800004444"]) {
      expect(out).not.toContain(secret);
    }
    // Still useful: masked forms and the rest of the message survive.
    expect(out).toContain("*******2222");
    expect(out).toContain("*******4444 asked for staff");
    expect(out).toContain("[redacted]");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it("should mask names, e-mail and numbers after a JSON escape in free text", () => {
    const { logger, lines } = capture();
    logger.warn({ err: new Error("bad row: 我叫张伟，邮箱zhang.wei@163.com\n13800001234") }, "import failed");
    const out = lines.join("");
    expect(out).not.toMatch(/张伟|zhang\.wei|13800001234/);
    expect(out).toContain("***@163.com");
    expect(() => JSON.parse(lines[0]!)).not.toThrow();
  });

  it("should redact tokens and the database URL", () => {
    const { logger, lines } = capture();
    logger.info({ authorization: "Bearer abcdefabcdefabcdef", token: "123:SECRET", DATABASE_URL: "postgresql://u:pw@db/x" }, "config");
    expect(lines.join("")).not.toMatch(/abcdefabcdef|SECRET|pw@db/);
  });
});
