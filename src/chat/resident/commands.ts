import { CASE_NUMBER_ATTEMPT, CASE_NUMBER_IN_TEXT } from "../../domain/index.js";
import { LOCALES, type Texts } from "../../i18n.js";

/** Commands that work at any step of the form, in every locale. */
export type Command = "help" | "cancel" | "restart" | "back" | "skip" | "staff" | "confirm" | "edit" | "yes" | "no" | "lang_en" | "lang_zh";

const COMMANDS: readonly Command[] = ["help", "cancel", "restart", "back", "skip", "staff", "confirm", "edit", "yes", "no", "lang_en", "lang_zh"];

/** Lower-cases and strips surrounding punctuation, so "取消！" and "Cancel." match. */
export function commandKey(text: string): string {
  return text.toLowerCase().replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "").replace(/\s+/g, " ");
}

/**
 * Recognises command words from locales/*.json (`commands.<name>` arrays). Every locale's
 * words work whatever the resident's language, so "cancel" and "取消" both cancel.
 */
export class CommandMatcher {
  private readonly words = new Map<string, Command>();
  private readonly statusWords: string[] = [];
  private readonly newCodeWords: string[] = [];

  constructor(texts: Texts) {
    for (const locale of LOCALES) {
      for (const cmd of COMMANDS) {
        for (const w of texts.list(locale, `commands.${cmd}`)) {
          const k = commandKey(w);
          if (k && !this.words.has(k)) this.words.set(k, cmd);
        }
      }
      this.statusWords.push(...texts.list(locale, "commands.status").map((w) => w.toLowerCase()));
      this.newCodeWords.push(...texts.list(locale, "commands.new_code").map((w) => w.toLowerCase()));
    }
    this.statusWords.sort((a, b) => b.length - a.length);
    this.newCodeWords.sort((a, b) => b.length - a.length);
  }

  /** The command the whole message means, or null. Slash commands (/help) work too. */
  match(text: string): Command | null {
    const k = commandKey(text.replace(/^\//, ""));
    return this.words.get(k) ?? null;
  }

  /**
   * A request for a new enquiry code: "查询码 XF-…", "new code XF-…" (a new-code word, then a case
   * number and nothing after it). Returns the number text, or null. "查询码 XF-… ABC234" is a lookup
   * with a code instead (see {@link matchStatus}).
   */
  matchNewCode(text: string): string | null {
    const t = text.trim().replace(/^\//, "");
    const lower = t.toLowerCase();
    for (const w of this.newCodeWords) {
      if (!lower.startsWith(w)) continue;
      const rest = t.slice(w.length).replace(/^[\s:：,，]+/, "").replace(/[\s。.!！?？]+$/u, "");
      const full = CASE_NUMBER_IN_TEXT.exec(rest);
      return full && full.index === 0 && full[0].length === rest.length ? full[0] : null;
    }
    return null;
  }

  /**
   * A status request: "status XF-261129-0073-7", "查询 XF…" (also with a wrong or partial
   * number, which then gets "not a valid number"), "/status", a sentence with a status word and
   * a case number, or a message that is only a case number. Returns the number text ("" when
   * none was given), or null.
   */
  matchStatus(text: string): string | null {
    const t = text.trim().replace(/^\//, "");
    const lower = t.toLowerCase();
    const full = CASE_NUMBER_IN_TEXT.exec(t);
    for (const w of this.statusWords) {
      if (lower === w) return "";
      if (lower.startsWith(w)) {
        const rest = t.slice(w.length).replace(/^[\s:：,，]+/, "");
        if (rest === "") return "";
        if (full) return full[0];
        if (CASE_NUMBER_ATTEMPT.test(rest)) return rest;
      }
    }
    if (full && (t.length <= full[0].length + 6 || this.statusWords.some((w) => lower.includes(w)))) return full[0];
    return null;
  }
}
