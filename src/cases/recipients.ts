import type { Db } from "../db/database.js";

/** Where a unit's notifications go: its cadres' private chats and its registered groups. */
export interface Recipient {
  channel: string;
  chatId: string;
  /** group chats get masked personal data. */
  audience: "private" | "group";
  locale: string;
  cadreId: string | null;
}

type Tx = Pick<Db, "cadre" | "unit">;

/** The recipients of a unit's notifications; `except` leaves one cadre out. */
export async function unitRecipients(db: Tx, unitId: string, opts: { except?: string | null; roles?: string[] } = {}): Promise<Recipient[]> {
  const cadres = await db.cadre.findMany({ where: { unitId, ...(opts.roles ? { role: { in: opts.roles } } : {}) } });
  const out: Recipient[] = cadres
    .filter((c) => c.channel && c.chatId && c.id !== opts.except)
    .map((c) => ({ channel: c.channel!, chatId: c.chatId!, audience: "private" as const, locale: c.locale, cadreId: c.id }));
  if (!opts.roles) {
    const unit = await db.unit.findUnique({ where: { id: unitId } });
    for (const t of Array.isArray(unit?.chatTargets) ? (unit!.chatTargets as Array<{ channel?: string; chatId?: string | number; locale?: string }>) : []) {
      if (t?.channel && t.chatId !== undefined) out.push({ channel: t.channel, chatId: String(t.chatId), audience: "group", locale: t.locale ?? "zh-CN", cadreId: null });
    }
  }
  return out;
}

/** The supervisors (督办) with a bound chat: they hear of escalations and unsatisfied replies. */
export async function supervisorRecipients(db: Pick<Db, "cadre">): Promise<Recipient[]> {
  return (await db.cadre.findMany({ where: { role: "supervisor" } }))
    .filter((c) => c.channel && c.chatId)
    .map((c) => ({ channel: c.channel!, chatId: c.chatId!, audience: "private" as const, locale: c.locale, cadreId: c.id }));
}

/** The resident of a case, in the chat and language they filed in (status pushes, polls). */
export function residentRecipient(c: { channel: string; chatId: string; locale: string }): Recipient {
  return { channel: c.channel, chatId: c.chatId, audience: "private", locale: c.locale, cadreId: null };
}
