import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.js";
import { isUniqueViolation } from "./case-repository.js";

/**
 * What channels remember between restarts: which inbound updates were already handled and
 * which chats refuse our messages. On the database so several bot processes agree.
 */
export interface ChannelStore {
  /** True the first time `key` (e.g. `telegram:123`) is seen; false for a redelivery. */
  firstDelivery(key: string): Promise<boolean>;
  /** Forgets a key whose handling failed, so a redelivery is handled again. */
  forgetDelivery(key: string): Promise<void>;
  /** Drops delivery records older than `before` (redeliveries come within hours, not weeks). */
  pruneDeliveries(before: Date): Promise<number>;
  /** Records that `chatId` refuses messages (e.g. Telegram 403). */
  block(channel: string, chatId: string, reason: string): Promise<void>;
  /** Clears the block when the user writes again. */
  unblock(channel: string, chatId: string): Promise<void>;
  isBlocked(channel: string, chatId: string): Promise<boolean>;
  /** Keeps a message for `chatId` that could not be sent now (e.g. WeChat logged out). */
  queueOutbound(channel: string, chatId: string, text: string): Promise<void>;
  /** Messages kept for `channel`, oldest first. */
  pendingOutbound(channel: string): Promise<Array<{ id: string; chatId: string; text: string }>>;
  /** Marks a kept message as sent (it will not be sent again). */
  markOutboundSent(id: string): Promise<void>;
}

/** ChannelStore on Prisma (InboundUpdate and BlockedChat tables). */
export class PrismaChannelStore implements ChannelStore {
  constructor(private readonly db: Db) {}

  async firstDelivery(key: string): Promise<boolean> {
    try {
      await this.db.inboundUpdate.create({ data: { key } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async forgetDelivery(key: string): Promise<void> {
    await this.db.inboundUpdate.deleteMany({ where: { key } });
  }

  async pruneDeliveries(before: Date): Promise<number> {
    return (await this.db.inboundUpdate.deleteMany({ where: { createdAt: { lt: before } } })).count;
  }

  async block(channel: string, chatId: string, reason: string): Promise<void> {
    await this.db.blockedChat.upsert({ where: { channel_chatId: { channel, chatId } }, create: { channel, chatId, reason }, update: { reason } });
  }

  async unblock(channel: string, chatId: string): Promise<void> {
    await this.db.blockedChat.deleteMany({ where: { channel, chatId } });
  }

  async isBlocked(channel: string, chatId: string): Promise<boolean> {
    return (await this.db.blockedChat.count({ where: { channel, chatId } })) > 0;
  }

  private lastQueuedAt = 0;

  async queueOutbound(channel: string, chatId: string, text: string): Promise<void> {
    // Strictly increasing times keep the order of messages queued in the same millisecond.
    this.lastQueuedAt = Math.max(Date.now(), this.lastQueuedAt + 1);
    await this.db.outboxMessage.create({ data: { id: randomUUID(), kind: `${channel}.message`, dedupeKey: `${channel}.message:${randomUUID()}`, channel, chatId, payload: { text }, createdAt: new Date(this.lastQueuedAt) } });
  }

  async pendingOutbound(channel: string): Promise<Array<{ id: string; chatId: string; text: string }>> {
    const rows = await this.db.outboxMessage.findMany({ where: { kind: `${channel}.message`, status: "pending" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 500 });
    return rows.map((r) => ({ id: r.id, chatId: r.chatId ?? "", text: String((r.payload as { text?: unknown }).text ?? "") }));
  }

  async markOutboundSent(id: string): Promise<void> {
    await this.db.outboxMessage.update({ where: { id }, data: { status: "sent", sentAt: new Date(), attempts: { increment: 1 } } });
  }
}

/** Chat ids of units' registered groups on `channel` (Unit.chatTargets entries of kind group). */
export async function cadreGroupChats(db: Db, channel: string): Promise<ReadonlySet<string>> {
  const units = await db.unit.findMany({ select: { chatTargets: true } });
  const out = new Set<string>();
  for (const u of units) {
    for (const t of Array.isArray(u.chatTargets) ? (u.chatTargets as Array<{ channel?: string; chatId?: string | number }>) : []) {
      if (t?.channel === channel && t.chatId !== undefined) out.add(String(t.chatId));
    }
  }
  return out;
}
