import { randomBytes } from "node:crypto";
import { isUniqueViolation, releaseCadreChat } from "../cases/index.js";
import type { Db } from "../db/database.js";
import type { WebSessionStore } from "./web-sessions.js";

/** Web sessions in the database (table WebSession), shared by every bot process of a deployment. */
export class PrismaWebSessionStore implements WebSessionStore {
  constructor(private readonly db: Db) {}

  async create(id: string, now: Date): Promise<void> {
    await this.db.webSession.create({ data: { id, createdAt: now, lastSeenAt: now } });
  }

  async lastSeen(id: string): Promise<Date | null> {
    return (await this.db.webSession.findUnique({ where: { id }, select: { lastSeenAt: true } }))?.lastSeenAt ?? null;
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.db.webSession.updateMany({ where: { id }, data: { lastSeenAt: now } });
  }

  async end(id: string): Promise<void> {
    await this.db.webSession.deleteMany({ where: { id } });
    await releaseCadreChat(this.db, "web", id);
  }

  async cadreOf(id: string): Promise<string | null> {
    const where = { channel_externalId: { channel: "web", externalId: id } };
    return (await this.db.cadre.findUnique({ where, select: { id: true } }))?.id ?? null;
  }

  async rotate(from: string, to: string, now: Date): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.webSession.create({ data: { id: to, createdAt: now, lastSeenAt: now } });
      await tx.cadre.updateMany({ where: { channel: "web", externalId: from }, data: { externalId: to, chatId: to } });
      await tx.outboxMessage.updateMany({
        where: { channel: "web", chatId: from, status: "pending", kind: { startsWith: "cadre." } },
        data: { chatId: to },
      });
      await tx.webSession.deleteMany({ where: { id: from } });
    });
  }

  async prune(before: Date): Promise<number> {
    const old = await this.db.webSession.findMany({
      where: { lastSeenAt: { lt: before } }, select: { id: true }, take: 10_000,
    });
    for (const s of old) await this.end(s.id);
    return old.length;
  }
}

/** Name of the web session signing key in table DeploymentSecret. */
const SECRET_NAME = "web-session";

/**
 * The web session cookie's signing key when SESSION_SECRET is unset: generated once (32 random
 * bytes) and kept in the database, so every process of the deployment signs and checks with the
 * same key and a restart does not sign everybody out. Never logged.
 */
export async function storedSessionSecret(db: Db): Promise<string> {
  const found = await db.deploymentSecret.findUnique({ where: { name: SECRET_NAME } });
  if (found) return found.value;
  try {
    const value = randomBytes(32).toString("base64url");
    await db.deploymentSecret.create({ data: { name: SECRET_NAME, value } });
    return value;
  } catch (err) {
    // Another process created it at the same moment: use theirs.
    if (!isUniqueViolation(err)) throw err;
    return (await db.deploymentSecret.findUniqueOrThrow({ where: { name: SECRET_NAME } })).value;
  }
}
