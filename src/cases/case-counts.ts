import type { Db } from "../db/database.js";

/** Number of cases in each state (for the cases-by-state metric). */
export async function casesByState(db: Db): Promise<Record<string, number>> {
  const rows = await db.case.groupBy({ by: ["state"], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.state, r._count._all]));
}
