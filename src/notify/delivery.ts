import type { Db } from "../db/database.js";
import type { Reply } from "../chat/message.js";
import type { Logger } from "../logger.js";
import { RENDERED_KINDS, type OutboxRow } from "./render.js";

/** Sends one rendered message to a chat on one channel. */
export type Deliverer = (chatId: string, reply: Reply, audience: "private" | "group") => Promise<"sent" | "blocked" | "failed">;

/** Options shared by every way of delivering the outbox (in-process runner, BullMQ workers). */
export interface DeliveryOptions {
  db: Db;
  /** One deliverer per channel that can push (telegram, wechat …); rows of other channels wait (web inbox). */
  deliverers: ReadonlyMap<string, Deliverer>;
  render: (row: OutboxRow) => Promise<Reply | null>;
  logger?: Logger;
  /** Attempts before a row is marked failed. */
  maxAttempts?: number;
  /** How long a claimed row is reserved, in ms; a process that dies sending frees it after this. */
  leaseMs?: number;
}

/** The outcome of delivering one row. */
export type RowOutcome = "sent" | "retry" | "failed" | "skipped";

/** Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 1 h. */
export function backoffMs(attempt: number): number {
  return Math.min(3_600_000, 5000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Delivers one outbox row exactly once: claims it (pending/queued → sending, atomically, so two
 * processes never both send it), renders and sends it, then marks it sent — or, on failure,
 * pending again after a backoff, or failed after `maxAttempts`. The database is the truth; any
 * queue in front of it only says "look at row X now".
 */
export async function deliverRow(o: DeliveryOptions, id: string, now: Date): Promise<{ outcome: RowOutcome; latencyMs?: number }> {
  const db = o.db;
  const lease = new Date(now.getTime() + (o.leaseMs ?? 300_000));
  const claimed = await db.outboxMessage.updateMany({ where: { id, status: { in: ["pending", "queued"] }, availableAt: { lte: lease } }, data: { status: "sending", availableAt: lease, attempts: { increment: 1 } } });
  if (claimed.count !== 1) return { outcome: "skipped" };
  const row = (await db.outboxMessage.findUnique({ where: { id } }))!;
  const deliver = row.channel ? o.deliverers.get(row.channel) : undefined;
  let outcome: "sent" | "blocked" | "failed" = "failed";
  let error = "";
  try {
    const reply = await o.render(row);
    if (!reply) {
      // The case is gone, or the message is stale (a poll already answered): nothing to send.
      await db.outboxMessage.update({ where: { id }, data: { status: "skipped", lastError: "nothing to send (case gone or message no longer due)" } });
      return { outcome: "skipped" };
    } else if (!deliver) {
      error = `no deliverer for channel ${row.channel}`;
    } else {
      outcome = await deliver(row.chatId!, reply, (row.payload as { audience?: string })?.audience === "group" ? "group" : "private");
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  if (outcome === "sent") {
    const sentAt = new Date();
    await db.outboxMessage.update({ where: { id }, data: { status: "sent", sentAt } });
    return { outcome: "sent", latencyMs: sentAt.getTime() - row.createdAt.getTime() };
  }
  if (outcome === "blocked" || row.attempts >= (o.maxAttempts ?? 8)) {
    await db.outboxMessage.update({ where: { id }, data: { status: "failed", lastError: (error || outcome).slice(0, 500) } });
    o.logger?.warn({ outboxId: id, kind: row.kind, channel: row.channel, outcome }, "notification not delivered");
    return { outcome: "failed" };
  }
  await db.outboxMessage.update({ where: { id }, data: { status: "pending", availableAt: new Date(now.getTime() + backoffMs(row.attempts)), lastError: (error || "send failed").slice(0, 500) } });
  return { outcome: "retry" };
}

/**
 * The rows to deliver at `now`, highest priority first (danger alerts) and then oldest first,
 * after releasing rows whose lease ran out (their sender or job died). Only kinds we render and
 * channels with a deliverer are picked; the rest (web and terminal inboxes, WeChat's own queue)
 * wait for their readers. Returns how many were released and the due rows' ids, attempts and
 * priorities.
 */
export async function takeDue(
  o: Pick<DeliveryOptions, "db" | "deliverers">, now: Date, limit: number,
): Promise<{ released: number; due: Array<{ id: string; attempts: number; priority: number }> }> {
  const released = await o.db.outboxMessage.updateMany({ where: { status: { in: ["sending", "queued"] }, availableAt: { lt: now } }, data: { status: "pending" } });
  const due = await o.db.outboxMessage.findMany({
    where: { status: "pending", availableAt: { lte: now }, kind: { in: [...RENDERED_KINDS] }, channel: { in: [...o.deliverers.keys()] } },
    // Higher priority first (danger alerts, src/domain/alert.ts), then oldest first.
    orderBy: [{ priority: "desc" }, { createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, attempts: true, priority: true },
  });
  return { released: released.count, due };
}
