import type { Db } from "../../db/database.js";
import { StaleSessionError, type SessionStore, type Versioned } from "./session-store.js";
import type { DialogState } from "./state.js";
import { isUniqueViolation } from "../../cases/case-repository.js";

/**
 * SessionStore on the database (DialogSession table), so a form survives a restart and
 * several bot processes can share conversations. Optimistic concurrency on `version`.
 */
export class PrismaSessionStore implements SessionStore {
  constructor(private readonly db: Db) {}

  async read(key: string): Promise<Versioned<DialogState> | undefined> {
    const row = await this.db.dialogSession.findUnique({ where: { key } });
    return row ? { value: row.state as unknown as DialogState, version: row.version } : undefined;
  }

  async write(key: string, state: DialogState, expectedVersion: number): Promise<void> {
    const json = state as unknown as object;
    if (expectedVersion === 0) {
      try {
        await this.db.dialogSession.create({ data: { key, state: json, version: 1 } });
        return;
      } catch (err) {
        if (isUniqueViolation(err)) throw new StaleSessionError(key);
        throw err;
      }
    }
    const { count } = await this.db.dialogSession.updateMany({ where: { key, version: expectedVersion }, data: { state: json, version: expectedVersion + 1 } });
    if (count !== 1) throw new StaleSessionError(key);
  }

  async delete(key: string): Promise<void> {
    await this.db.dialogSession.deleteMany({ where: { key } });
  }
}
