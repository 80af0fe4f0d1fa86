/**
 * WeChat delivers emoji, link cards, mini-program cards and app messages as markup or XML.
 * These helpers turn them into plain text so raw XML is never stored as a description.
 */

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'", "&apos;": "'", "&nbsp;": " " };

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|#39|apos|nbsp);/g, (m) => ENTITIES[m] ?? m);
}

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${name}>`).exec(xml);
  return m?.[1]?.trim() || undefined;
}

/**
 * Plain text of a WeChat text message: an XML app message (<msg>…) becomes its title,
 * description and URL; emoji images (<img class="emoji emoji1f600" …>, <span class="emoji …">)
 * become the emoji; HTML entities are decoded. Anything else the resident typed — including
 * their own `<b>` — is kept as typed.
 */
export function plainText(raw: string): string {
  const trimmed = raw.trim();
  if (/^(<\?xml|<msg[\s>])/i.test(trimmed)) {
    const parts = [tag(trimmed, "title"), tag(trimmed, "des"), tag(trimmed, "url")].filter(Boolean);
    return decodeEntities(parts.join(" "));
  }
  const emoji = trimmed.replace(/<(?:img|span)\s+class="emoji emoji([0-9a-f]{4,6})"[^>]*>(?:<\/span>)?/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
  return /&(lt|gt|amp|quot|#39|apos|nbsp);/.test(emoji) ? decodeEntities(emoji) : emoji;
}
