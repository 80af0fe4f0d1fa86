import type { Db } from "../db/database.js";
import { CATEGORIES, COLOURS, OPEN_STATES, addCalendarDays, endOfLocalDay, startOfLocalDay, toLocalDate } from "../domain/index.js";
import { redactPersonalData } from "../privacy/index.js";
import { computeLedger, type LedgerRow } from "./ledger.js";

/** One case on the dashboard's lists (no personal data). */
export interface DashboardCase {
  caseNo: string;
  category: string;
  state: string;
  colour: string;
  unitId: string | null;
  /** Why it is listed for supervision: manual | overdue | unsatisfied; null when not listed. */
  supervisionReason: string | null;
  /** The listing's reason in the words given (redacted by the shared redactor); null when none was given. */
  supervisionNote: string | null;
  supervisedAt: string | null;
  colourDueAt: string;
  replyDueAt: string;
  /** Whole days past the earlier missed deadline (0 when not overdue). */
  daysOverdue: number;
}

/** What the leaders' dashboard shows: the ledger as series, per-unit rates and the two lists. */
export interface DashboardData {
  from: string;
  to: string;
  total: LedgerRow;
  byUnit: LedgerRow[];
  byCategory: LedgerRow[];
  byTown: LedgerRow[];
  /** One entry per local day from `from` to `to`: cases received, by category and by colour. */
  daily: { dates: string[]; byCategory: Record<string, number[]>; byColour: Record<string, number[]> };
  /** The supervision list (挂牌督办): open cases listed, oldest listing first, at most 200. */
  supervision: DashboardCase[];
  /** Listed cases that have since closed (kept listed for the record, not shown as rows). */
  supervisionClosed: number;
  /** Open cases past the colour or statutory deadline, most overdue first, at most 200. */
  overdue: DashboardCase[];
}

/** Longest period the dashboard draws day by day, in days. */
export const MAX_DASHBOARD_DAYS = 366;

/**
 * The dashboard's data for cases received from `from` to `to` (local days, inclusive; at most
 * MAX_DASHBOARD_DAYS): the ledger (total, per unit, category and town), daily counts by category
 * and colour, the supervision list and the overdue cases (whatever their receipt date).
 * Personal data never leaves here: lists carry numbers, categories, units and dates only.
 * @throws RangeError when the period is longer than MAX_DASHBOARD_DAYS.
 */
export async function dashboardData(db: Db, q: { from: string; to: string; now?: Date; timeZone: string }): Promise<DashboardData> {
  const now = q.now ?? new Date();
  const dates: string[] = [];
  for (let d = q.from; d <= q.to; d = addCalendarDays(d, 1)) {
    dates.push(d);
    if (dates.length > MAX_DASHBOARD_DAYS) throw new RangeError(`the dashboard shows at most ${MAX_DASHBOARD_DAYS} days`);
  }
  const [ledger, byUnit, byCategory, byTown] = await Promise.all(
    ([undefined, "unit", "category", "town"] as const).map((by) => computeLedger(db, { from: q.from, to: q.to, by, now, timeZone: q.timeZone })),
  );
  const received = await db.case.findMany({
    where: { receivedAt: { gte: startOfLocalDay(q.from, q.timeZone), lte: endOfLocalDay(q.to, q.timeZone) } },
    select: { receivedAt: true, category: true, colour: true },
  });
  const index = new Map(dates.map((d, i) => [d, i]));
  const zeros = () => dates.map(() => 0);
  const byCat: Record<string, number[]> = Object.fromEntries(CATEGORIES.map((c) => [c, zeros()]));
  const byCol: Record<string, number[]> = Object.fromEntries(COLOURS.map((c) => [c, zeros()]));
  for (const c of received) {
    const i = index.get(toLocalDate(c.receivedAt, q.timeZone));
    if (i === undefined) continue;
    (byCat[c.category] ??= zeros())[i]!++;
    (byCol[c.colour] ??= zeros())[i]!++;
  }
  const listed = { caseNo: true, category: true, state: true, colour: true, unitId: true, supervisionReason: true, supervisionNote: true, supervisedAt: true, colourDueAt: true, replyDueAt: true } as const;
  const toCase = (c: { caseNo: string; category: string; state: string; colour: string; unitId: string | null; supervisionReason: string | null; supervisionNote: string | null; supervisedAt: Date | null; colourDueAt: Date; replyDueAt: Date }): DashboardCase => {
    const missed = OPEN_STATES.has(c.state as never) ? [c.colourDueAt, c.replyDueAt].filter((d) => d < now).sort((a, b) => a.getTime() - b.getTime())[0] : undefined;
    return {
      caseNo: c.caseNo, category: c.category, state: c.state, colour: c.colour, unitId: c.unitId, supervisionReason: c.supervisionReason,
      supervisionNote: c.supervisionNote ? redactPersonalData(c.supervisionNote) : null,
      supervisedAt: c.supervisedAt?.toISOString() ?? null, colourDueAt: c.colourDueAt.toISOString(), replyDueAt: c.replyDueAt.toISOString(),
      daysOverdue: missed ? Math.floor((now.getTime() - missed.getTime()) / 86_400_000) : 0,
    };
  };
  const open = { state: { in: [...OPEN_STATES] } };
  const supervision = (await db.case.findMany({
    where: { supervised: true, ...open }, select: listed, orderBy: { supervisedAt: "asc" }, take: 200,
  })).map(toCase);
  const supervisionClosed = await db.case.count({ where: { supervised: true, state: { notIn: [...OPEN_STATES] } } });
  const overdue = (await db.case.findMany({
    where: { state: { in: [...OPEN_STATES] }, OR: [{ colourDueAt: { lt: now } }, { replyDueAt: { lt: now } }] },
    select: listed, orderBy: { colourDueAt: "asc" }, take: 200,
  })).map(toCase);
  return {
    from: q.from, to: q.to, total: ledger!.total, byUnit: byUnit!.rows, byCategory: byCategory!.rows, byTown: byTown!.rows,
    daily: { dates, byCategory: byCat, byColour: byCol }, supervision, supervisionClosed, overdue,
  };
}
