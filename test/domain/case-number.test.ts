import { describe, expect, it } from "vitest";
import { InvalidCaseNumberError, dammDigit, formatCaseNumber, parseCaseNumber } from "../../src/domain/index.js";

describe("case numbers", () => {
  it("should format prefix, local date, sequence and a check digit", () => {
    const no = formatCaseNumber("XF", "2026-11-29", 7);
    expect(no).toMatch(/^XF-261129-0007-\d$/);
    expect(dammDigit(no.replace(/\D/g, ""))).toBe(0);
  });

  it("should grow past 9999 cases a day without breaking the format", () => {
    expect(parseCaseNumber(formatCaseNumber("XF", "2026-11-29", 12345))).toMatch(/^XF-261129-12345-\d$/);
  });

  it("should read what a resident types: lower case, spaces, full-width digits, no dashes", () => {
    const no = formatCaseNumber("XF", "2026-11-29", 42);
    const digits = no.replace(/\D/g, "");
    expect(parseCaseNumber(no.toLowerCase())).toBe(no);
    expect(parseCaseNumber(`xf ${digits.slice(0, 6)} ${digits.slice(6)}`)).toBe(no);
    expect(parseCaseNumber(`ＸＦ${[...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join("")}`)).toBe(no);
  });

  it("should catch every single mistyped digit and every swap of neighbours", () => {
    const no = formatCaseNumber("XF", "2026-11-29", 73);
    const digits = no.replace(/\D/g, "");
    for (let i = 0; i < digits.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        const typo = digits.slice(0, i) + d + digits.slice(i + 1);
        expect(() => parseCaseNumber(`XF${typo}`)).toThrow(InvalidCaseNumberError);
      }
      if (i + 1 < digits.length && digits[i] !== digits[i + 1]) {
        const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        expect(() => parseCaseNumber(`XF${swapped}`)).toThrow(InvalidCaseNumberError);
      }
    }
  });

  it("should refuse a bad prefix", () => {
    expect(() => formatCaseNumber("xf1", "2026-11-29", 1)).toThrow(RangeError);
  });
});
