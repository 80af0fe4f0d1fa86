import { createInterface } from "node:readline";
import type { Reply } from "../../chat/message.js";
import type { Conversation } from "../../chat/index.js";
import type { Locale, Translate } from "../../i18n.js";
import { renderReplyText } from "../render.js";

/** Options of {@link runTerminalChat}. */
export interface TerminalChatOptions {
  engine: Conversation;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The resident's id on the `terminal` channel (default "local"). */
  userId?: string;
  locale?: Locale;
  /** Machine-readable mode: one JSON object per bot reply, one line per resident message. */
  json?: boolean;
  /** Translator for the intro line and error replies. */
  t?: Translate;
  /** Called with an unexpected error of one turn (for logging); the chat goes on. */
  onError?: (err: unknown) => void;
  /** Notifications waiting for this user (status changes, new cases for cadres), shown after each answer. */
  inbox?: () => Promise<Reply[]>;
}

export { renderReplyText };

/**
 * The terminal chat channel (`petition-bot chat`). Reads one resident message per line and
 * answers through the dialog engine; lines are handled strictly in order. In `json` mode each
 * bot reply is one line `{"text","buttons","expects","caseNo"}` — the interface operators
 * and tests drive the bot with. Resolves when the input ends and every reply is written.
 */
export async function runTerminalChat(o: TerminalChatOptions): Promise<void> {
  const userId = o.userId ?? "local";
  const write = (s: string) => o.output.write(s);
  const rl = createInterface({ input: o.input, terminal: false, crlfDelay: Infinity });
  if (!o.json && o.t) write(`${o.t("terminal.intro")}\n> `);
  let n = 0;
  for await (const line of rl) {
    n++;
    let replies: Reply[];
    try {
      replies = await o.engine.handle({ channel: "terminal", userId, chatId: userId, text: line, locale: o.locale });
    } catch (err) {
      // The database may be away for a moment: say so and keep reading; the form is kept.
      o.onError?.(err);
      replies = [{ text: o.t ? o.t("unavailable") : "Service unavailable, please retry.", buttons: [], expects: null, caseNo: null }];
    }
    const waiting = o.inbox ? await o.inbox().catch(() => []) : [];
    for (const r of [...replies, ...waiting]) {
      if (o.json) write(`${JSON.stringify({ text: r.text, buttons: r.buttons, expects: r.expects, caseNo: r.caseNo })}\n`);
      else write(`${renderReplyText(r)}\n`);
    }
    if (!o.json) write("> ");
  }
  if (!o.json && n > 0) write("\n");
}
