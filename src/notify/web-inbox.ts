import type { Db } from "../db/database.js";
import type { Reply } from "../chat/message.js";
import { RENDERED_KINDS, type OutboxRow } from "./render.js";

/**
 * Channels without push (web chat, terminal chat): notifications wait in the outbox until the
 * chat asks (the web page polls GET /api/inbox; the terminal looks after each message). Each is
 * handed out once: it is claimed, rendered and marked sent.
 */
export async function takeInbox(db: Db, channel: string, chatId: string, render: (row: OutboxRow) => Promise<Reply | null>): Promise<Reply[]> {
  const rows = await db.outboxMessage.findMany({
    where: { channel, chatId, status: "pending", kind: { in: [...RENDERED_KINDS] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 20,
  });
  const out: Reply[] = [];
  for (const row of rows) {
    const { count } = await db.outboxMessage.updateMany({ where: { id: row.id, status: "pending" }, data: { status: "sent", sentAt: new Date(), attempts: { increment: 1 } } });
    if (count !== 1) continue;
    const reply = await render(row);
    if (reply) out.push(reply);
  }
  return out;
}

/** The web chat's inbox (see {@link takeInbox}). */
export function takeWebInbox(db: Db, userId: string, render: (row: OutboxRow) => Promise<Reply | null>): Promise<Reply[]> {
  return takeInbox(db, "web", userId, render);
}
