import type { Db } from "../db/database.js";
import { InvalidDateError, OPEN_STATES, addCalendarDays, endOfLocalDay, parseLocalDate, startOfLocalDay, toLocalDate, type CaseState } from "../domain/index.js";

/** How the ledger's rows are grouped. */
export const LEDGER_GROUPS = ["town", "village", "unit", "category"] as const;
export type LedgerGroup = (typeof LEDGER_GROUPS)[number];

/** A query of {@link computeLedger}: local dates, inclusive. */
export interface LedgerQuery {
  /** First local day (YYYY-MM-DD) of receipt counted. */
  from: string;
  /** Last local day (YYYY-MM-DD), inclusive. */
  to: string;
  by?: LedgerGroup;
  /** The instant "overdue" and "open" are judged at (default now). */
  now?: Date;
  timeZone: string;
}

/**
 * One line of the ledger (三知一账). Counts are cases received in the period; rates are 0–1
 * (null when their denominator is 0):
 * - `onTimeRate` = replied by the colour deadline / cases that are due (replied, or past the
 *   colour deadline unanswered; declined and withdrawn cases are not due) — on-time completion;
 * - polls count the poll on the responsible unit's own (first) opinion, so a unit is rated by
 *   its reply, not by a later review; `polled` = that poll is over (answered, or closed without
 *   an answer), `pollAnswered` = answered;
 * - `participationRate` = pollAnswered / polled (参评率);
 * - `satisfactionRate` = (satisfied + basically satisfied) / pollAnswered (满意率);
 * - `firstTimeResolutionRate` = closed cases resolved by the first handling (closed at the
 *   first stage, the first answer not "unsatisfied", no repeat visit filed on them) / closed.
 */
export interface LedgerRow {
  /** Group value (town, village, unit id or category id); null = not known; "all" for the total. */
  key: string | null;
  received: number;
  replied: number;
  repliedOnTime: number;
  due: number;
  onTimeRate: number | null;
  closed: number;
  polled: number;
  pollAnswered: number;
  participationRate: number | null;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  satisfactionRate: number | null;
  firstTimeResolved: number;
  firstTimeResolutionRate: number | null;
  /** Not yet closed (incl. waiting for the poll) and not declined/withdrawn. */
  open: number;
  /** Open and past the colour or statutory deadline. */
  overdue: number;
  notAccepted: number;
  supervised: number;
}

/** The ledger: the period, the grouping, one row per group (largest first) and the total. */
export interface Ledger {
  from: string;
  to: string;
  by: LedgerGroup | null;
  rows: LedgerRow[];
  total: LedgerRow;
}

interface LedgerCase {
  id: string;
  state: string;
  stage: string;
  category: string;
  town: string | null;
  village: string | null;
  unitId: string | null;
  repliedUnitId: string | null;
  firstRepliedAt: Date | null;
  repliedOnTime: boolean | null;
  colourDueAt: Date;
  replyDueAt: Date;
  firstSatisfaction: string | null;
  supervised: boolean;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);

/** Adds up one group of cases into a ledger row (the definitions are on {@link LedgerRow}). */
export function ledgerRow(key: string | null, cases: readonly LedgerCase[], repeatedIds: ReadonlySet<string>, now: Date): LedgerRow {
  let replied = 0, onTime = 0, due = 0, closed = 0, polled = 0, answered = 0, sat = 0, basic = 0, unsat = 0, firstTime = 0, open = 0, overdue = 0, notAccepted = 0, supervised = 0;
  for (const c of cases) {
    const isOpen = OPEN_STATES.has(c.state as CaseState);
    if (c.firstRepliedAt) replied++;
    if (c.repliedOnTime) onTime++;
    // Due: answered, or past the colour deadline and still owed an answer (declined cases are answered).
    if (c.firstRepliedAt || (c.colourDueAt < now && c.state !== "not_accepted" && c.state !== "withdrawn")) due++;
    const first = c.firstSatisfaction;
    if (first) answered++;
    if (first || (c.state === "closed" && c.stage === "handling") || (c.stage !== "handling" && c.firstRepliedAt)) polled++;
    if (first === "satisfied") sat++;
    if (first === "basically_satisfied") basic++;
    if (first === "unsatisfied") unsat++;
    if (c.state === "closed") {
      closed++;
      if (c.stage === "handling" && first !== "unsatisfied" && !repeatedIds.has(c.id)) firstTime++;
    }
    if (isOpen || c.state === "replied") open++;
    if (isOpen && (c.colourDueAt < now || c.replyDueAt < now)) overdue++;
    if (c.state === "not_accepted") notAccepted++;
    if (c.supervised) supervised++;
  }
  return {
    key, received: cases.length, replied, repliedOnTime: onTime, due, onTimeRate: rate(onTime, due),
    closed, polled, pollAnswered: answered, participationRate: rate(answered, polled),
    satisfied: sat, basicallySatisfied: basic, unsatisfied: unsat, satisfactionRate: rate(sat + basic, answered),
    firstTimeResolved: firstTime, firstTimeResolutionRate: rate(firstTime, closed), open, overdue, notAccepted, supervised,
  };
}

/**
 * The ledger (三知一账) of cases received from `from` to `to` (local days, inclusive), grouped
 * `by` town, village (as "town village"), unit (the unit that gave the first opinion, else the
 * current one) or category — or just the total. Reads the database only.
 * @throws InvalidDateError for a date that is not YYYY-MM-DD.
 */
export async function computeLedger(db: Db, q: LedgerQuery): Promise<Ledger> {
  const now = q.now ?? new Date();
  const cases: LedgerCase[] = await db.case.findMany({
    where: { receivedAt: { gte: startOfLocalDay(q.from, q.timeZone), lte: endOfLocalDay(q.to, q.timeZone) } },
    select: {
      id: true, state: true, stage: true, category: true, town: true, village: true, unitId: true, repliedUnitId: true,
      firstRepliedAt: true, repliedOnTime: true, colourDueAt: true, replyDueAt: true, firstSatisfaction: true, supervised: true,
    },
  });
  // Cases on which a repeat visit was filed (at any time) were not resolved the first time.
  const repeated = new Set((await db.case.findMany({ where: { repeatOfCaseId: { not: null } }, select: { repeatOfCaseId: true } })).map((c) => c.repeatOfCaseId!));
  const keyOf = (c: LedgerCase): string | null => {
    switch (q.by) {
      case "town": return c.town;
      case "village": return c.village ? `${c.town ?? ""} ${c.village}`.trim() : null;
      case "unit": return c.repliedUnitId ?? c.unitId;
      case "category": return c.category;
      default: return "all";
    }
  };
  const groups = new Map<string | null, LedgerCase[]>();
  if (q.by) for (const c of cases) {
    const k = keyOf(c);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const rows = [...groups.entries()].map(([k, list]) => ledgerRow(k, list, repeated, now)).sort((a, b) => b.received - a.received || String(a.key).localeCompare(String(b.key)));
  return { from: q.from, to: q.to, by: q.by ?? null, rows, total: ledgerRow("all", cases, repeated, now) };
}

/** Why a ledger period was refused: a field that is not a date, or from after to. */
export type PeriodProblem = { problem: "not_a_date"; field: "from" | "to"; value: string } | { problem: "from_after_to"; from: string; to: string };

/**
 * The period of a ledger or dashboard query, the one rule for the CLI and the admin API: `from`
 * and `to` as given (YYYY-MM-DD, local), else to = today and from = 1 January (`year`) or 29 days
 * earlier (`month`). Returns the period, or the problem for the caller to word.
 */
export function ledgerPeriod(q: { from?: string; to?: string }, timeZone: string, fallback: "year" | "month", now = new Date()): { from: string; to: string } | PeriodProblem {
  const to = q.to ?? toLocalDate(now, timeZone);
  const from = q.from ?? (fallback === "year" ? `${to.slice(0, 4)}-01-01` : addCalendarDays(to, -29));
  for (const [field, value] of [["from", from], ["to", to]] as const) {
    try {
      parseLocalDate(value);
    } catch (err) {
      if (!(err instanceof InvalidDateError)) throw err;
      return { problem: "not_a_date", field, value };
    }
  }
  return from > to ? { problem: "from_after_to", from, to } : { from, to };
}
