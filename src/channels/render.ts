import type { Reply } from "../chat/message.js";

/**
 * Renders a reply for channels without buttons (terminal, WeChat): the text, then each button
 * as a numbered option. Typing the number or the label selects it (the engine maps both).
 */
export function renderReplyText(r: Reply): string {
  const lines = [r.text];
  r.buttons.forEach((b, i) => lines.push(`  ${i + 1}. ${b.label}`));
  return lines.join("\n");
}
