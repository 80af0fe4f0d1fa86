import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { freshSqliteUrl } from "../helpers.js";

describe("SQLite: queries while a transaction is open", () => {
  it("should not run another conversation's write inside someone else's transaction (and lose it to its rollback)", async () => {
    const db = openDatabase(freshSqliteUrl());
    try {
      const failing = db.$transaction(async (tx) => {
        await tx.caseSequence.create({ data: { key: "inside", last: 1 } });
        await new Promise((r) => setTimeout(r, 200)); // awaiting, as a case insert does between statements
        throw new Error("lost a race: roll back");
      }).catch((err: Error) => err.message);
      await new Promise((r) => setTimeout(r, 50));
      // Another resident's write, not part of that transaction.
      await db.caseSequence.create({ data: { key: "outside", last: 1 } });
      expect(await failing).toBe("lost a race: roll back");
      expect((await db.caseSequence.findMany()).map((r) => r.key)).toEqual(["outside"]);
    } finally {
      await db.$disconnect();
    }
  });
});
