import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { CaseWorkflow } from "../cases/index.js";
import type { CadreDesk, Conversation } from "../chat/index.js";
import { computeLedger, type LedgerRow } from "../cases/ledger.js";
import type { Db } from "../db/database.js";
import type { Reply } from "../chat/message.js";
import { CATEGORIES, addCalendarDays, toLocalDate, type Category } from "../domain/index.js";
import { mulberry32 } from "../random.js";
import { runScheduler, takeInbox, type OutboxRow, type SchedulerOptions } from "../notify/index.js";

/** What the simulation needs of the application (see boot() in main.ts). */
export interface SimulationApp {
  db: Db;
  desk: Conversation;
  cadres: CadreDesk;
  workflow: CaseWorkflow;
  scheduler: Omit<SchedulerOptions, "db">;
  render: (row: OutboxRow) => Promise<Reply | null>;
  timeZone: string;
}

/** Options of {@link simulate}. */
export interface SimulationOptions {
  /** Cases filed (default 500). */
  cases: number;
  /** Days over which they are filed (default 30); the clock then runs on until every poll has closed. */
  days: number;
  /** Seed of the pseudo-random choices: the same seed gives the same month. */
  seed: number;
  /** First instant (default Monday 2026-11-02 08:00 Asia/Shanghai). */
  start?: Date;
  /** Directory of intents/ (complaint texts). */
  intentsDir: string;
  /** The shared clock boot() was given; the simulation moves it. */
  clock: { now: Date };
  /** Called every simulated day with (day, days in all). */
  onDay?: (day: number, total: number) => void;
}

/** The simulation's own count of what happened, kept independently of the ledger's queries. */
export interface SimulationTally {
  received: number;
  replied: number;
  repliedOnTime: number;
  declined: number;
  closed: number;
  polled: number;
  pollAnswered: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  reviews: number;
  reexaminations: number;
  firstTimeResolved: number;
  lateByPlan: number;
  escalated: number;
  /** Cases neither answered (replied or declined) nor escalated at the end — should be 0. */
  unanswered: string[];
}

/** What {@link simulate} returns: its tally, the ledger over the same period, and whether they agree. */
export interface SimulationReport {
  from: string;
  to: string;
  simulatedDays: number;
  tally: SimulationTally;
  ledger: LedgerRow;
  /** Ledger fields whose value differs from the tally (empty when they match). */
  mismatches: string[];
  /** Wall-clock duration, in ms. */
  elapsedMs: number;
}

const PLACES = [["青山镇", "石桥村"], ["青山镇", "柳树村"], ["青山镇", "东岗村"], ["河东街道", "幸福社区"], ["河东街道", "和平社区"], ["城关镇", "南门村"], ["城关镇", "北关村"]] as const;
const HOUR = 3_600_000;


interface SimCase {
  caseNo: string;
  category: Category;
  resident: string;
  unitHandler: string | null;
  /** The planned answer to each poll, in order (first reply, review, re-examination). */
  answers: Array<"satisfied" | "basically_satisfied" | "unsatisfied" | null>;
  late: boolean;
  decline: boolean;
  // What the simulation saw happen (its own record, not read back from the cases).
  replied: boolean;
  declined: boolean;
  reviewed: boolean;
  closed: boolean;
  /** The answer to the poll on the first opinion, and whether that poll is over. */
  firstAnswer: "satisfied" | "basically_satisfied" | "unsatisfied" | null;
  firstPollOver: boolean;
  escalated: boolean;
}

type Event = { at: number; run: () => Promise<void> };

/**
 * A simulated month of the bureau: residents file complaints through the real dialog (front
 * desk → NLU → form → case service), cadres of each unit accept and reply through their chat
 * commands with realistic delays (some after the colour deadline, a few declined), the
 * scheduler runs every simulated hour (reminders, escalations, polls, closing), residents answer
 * polls (some never, some unsatisfied, some of those ask for review and re-examination). The
 * clock then runs on until every poll has closed. Returns the simulation's own tally and the
 * ledger (三知一账) over the same period, and the fields where they differ.
 */
export async function simulate(app: SimulationApp, o: SimulationOptions): Promise<SimulationReport> {
  const started = Date.now();
  const random = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const start = o.start ?? new Date("2026-11-02T00:00:00Z");
  const texts = loadComplaints(o.intentsDir);
  const say = (user: string, text: string) => app.desk.handle({ channel: "sim", userId: user, text, receivedAt: o.clock.now });
  const press = (user: string, buttonId: string) => app.desk.handle({ channel: "sim", userId: user, buttonId, receivedAt: o.clock.now });

  // Every unit gets a handler and a leader; one supervisor watches the district.
  const units = await app.db.unit.findMany({ orderBy: { id: "asc" } });
  const handlerOf = new Map<string, string>();
  const bind = async (unitId: string, role: "handler" | "leader" | "supervisor", user: string) => {
    const { code } = await app.cadres.invite(unitId, role, user);
    await say(user, `/bind ${code}`);
  };
  for (const u of units) {
    await bind(u.id, "handler", `h-${u.id}`);
    await bind(u.id, "leader", `l-${u.id}`);
    handlerOf.set(u.id, `h-${u.id}`);
  }
  const duty = units.find((u) => u.isDutyDesk);
  if (duty) await bind(duty.id, "supervisor", "supervisor");

  const tally: SimulationTally = {
    received: 0, replied: 0, repliedOnTime: 0, declined: 0, closed: 0, polled: 0, pollAnswered: 0, satisfied: 0, basicallySatisfied: 0, unsatisfied: 0,
    reviews: 0, reexaminations: 0, firstTimeResolved: 0, lateByPlan: 0, escalated: 0, unanswered: [],
  };
  const events: Event[] = [];
  const at = (ms: number, run: () => Promise<void>) => events.push({ at: ms, run });
  const sims: SimCase[] = [];
  const byNo = new Map<string, SimCase>();

  // Residents file during the day (08:00–20:00 local), spread over the days.
  for (let i = 0; i < o.cases; i++) {
    const day = Math.floor(random() * o.days);
    const when = start.getTime() + day * 24 * HOUR + (random() * 12) * HOUR;
    const category = pick(CATEGORIES);
    const [town, village] = pick(PLACES);
    const resident = `r${i}`;
    const roll = () => {
      const x = random();
      return x < 0.03 ? null : x < 0.86 ? "satisfied" : x < 0.94 ? "basically_satisfied" : "unsatisfied";
    };
    const sim: SimCase = {
      caseNo: "", category, resident, unitHandler: null, answers: [roll(), roll(), roll()], late: random() < 0.08, decline: category === "law_litigation" && random() < 0.15,
      replied: false, declined: false, reviewed: false, closed: false, firstAnswer: null, firstPollOver: false, escalated: false,
    };
    at(when, async () => {
      const text = pick(texts.get(category) ?? ["村里的路坏了很久没人修"]);
      const caseNo = await fileCase(say, press, resident, text, category, `${town}${village}`, `138${String(10_000_000 + Math.floor(random() * 89_999_999))}`);
      if (!caseNo) return;
      sim.caseNo = caseNo;
      sims.push(sim);
      byNo.set(caseNo, sim);
      tally.received++;
      const c = (await app.db.case.findUnique({ where: { caseNo } }))!;
      sim.unitHandler = c.unitId ? handlerOf.get(c.unitId) ?? null : null;
      planHandling(sim, o.clock.now.getTime(), c.colourDueAt.getTime());
    });
  }

  /** The cadre accepts within hours and replies before the colour deadline — or, as planned for a few, after it. */
  const planHandling = (sim: SimCase, now: number, colourDue: number) => {
    const handler = sim.unitHandler;
    if (!handler) return;
    const acceptAt = now + (0.5 + random() * 6) * HOUR;
    if (sim.decline) {
      // Not a petition matter (诉访分离): the unit's leader declines it, naming the procedure.
      at(acceptAt, async () => {
        const r = await say(handler.replace(/^h-/, "l-"), `/decline ${sim.caseNo} 属于诉讼程序，请向人民法院起诉`);
        if (/不予受理/.test(r[0]?.text ?? "")) sim.declined = true;
      });
      return;
    }
    at(acceptAt, async () => {
      await say(handler, `/accept ${sim.caseNo}`);
    });
    if (sim.late) tally.lateByPlan++;
    const replyAt = sim.late ? colourDue + (1 + random() * 48) * HOUR : acceptAt + random() * Math.max(HOUR, colourDue - acceptAt - HOUR);
    at(Math.max(replyAt, acceptAt + 0.25 * HOUR), async () => {
      const r = await say(handler, `/reply ${sim.caseNo} 经现场核查，已按规定处理并答复。`);
      if (!/已答复/.test(r[0]?.text ?? "")) return;
      sim.replied = true;
      tally.replied++;
      // On time: no later than the colour deadline this case was given (its receipt's date).
      if (o.clock.now.getTime() <= colourDue) tally.repliedOnTime++;
    });
  };

  /** A poll arrived: the resident answers it (or not), maybe asks for review. */
  const answerPoll = async (sim: SimCase, round: number) => {
    const answer = sim.answers[round] ?? null;
    if (!answer) return; // never answers: closes as "no answer"
    const delay = (1 + random() * 70) * HOUR; // some only after the 48 h reminder
    at(o.clock.now.getTime() + delay, async () => {
      const code = { satisfied: "s", basically_satisfied: "b", unsatisfied: "u" }[answer];
      const r = await press(sim.resident, `p:${code}:${sim.caseNo}`);
      if (!r.some((x) => /感谢|收到您的评价/.test(x.text))) return;
      sim.closed = true;
      if (round === 0) {
        sim.firstAnswer = answer;
        sim.firstPollOver = true;
      }
      if (answer !== "unsatisfied" || random() >= 0.6 || round >= 2) return;
      at(o.clock.now.getTime() + (24 + random() * 96) * HOUR, async () => {
        const asked = await say(sim.resident, `${round === 0 ? "复查" : "复核"} ${sim.caseNo}`);
        if (!/已收到/.test(asked[0]?.text ?? "")) return;
        sim.reviewed = true;
        sim.closed = false;
        if (round === 0) tally.reviews++;
        else tally.reexaminations++;
        const after = (await app.db.case.findUnique({ where: { caseNo: sim.caseNo } }))!;
        const reviewer = after.unitId ? handlerOf.get(after.unitId) : undefined;
        if (!reviewer) return;
        at(o.clock.now.getTime() + (48 + random() * 200) * HOUR, async () => {
          await say(reviewer, `/reply ${sim.caseNo} 经${round === 0 ? "复查" : "复核"}，维持原处理意见并说明理由。`);
        });
      });
    });
  };

  // The clock: every simulated hour, what is due happens, then the scheduler runs.
  const intakeEnd = start.getTime() + o.days * 24 * HOUR;
  const hardEnd = intakeEnd + 120 * 24 * HOUR;
  let lastDay = -1;
  for (let now = start.getTime(); now <= hardEnd; now += HOUR) {
    o.clock.now = new Date(now);
    events.sort((a, b) => a.at - b.at);
    while (events.length && events[0]!.at <= now) await events.shift()!.run();
    const report = await runScheduler({ ...app.scheduler, db: app.db }, o.clock.now);
    for (const e of report.escalations) {
      const sim = byNo.get(e.caseNo);
      if (sim) sim.escalated = true;
    }
    for (const x of report.polls.closed) {
      const sim = byNo.get(x.caseNo);
      if (!sim) continue;
      sim.closed = true;
      if (!sim.reviewed) sim.firstPollOver = true;
    }
    // Residents read what was sent to their chat; a poll's buttons are answered (or not).
    const chats = await app.db.outboxMessage.findMany({ where: { channel: "sim", status: "pending", kind: "resident.poll" }, select: { chatId: true }, distinct: ["chatId"] });
    for (const { chatId } of chats) {
      for (const reply of await takeInbox(app.db, "sim", chatId!, app.render)) {
        const button = reply.buttons.find((b) => b.id.startsWith("p:"));
        const sim = button ? byNo.get(button.id.split(":")[2]!) : undefined;
        if (!sim) continue;
        const c = await app.db.case.findUnique({ where: { caseNo: sim.caseNo }, select: { stage: true } });
        await answerPoll(sim, c?.stage === "review" ? 1 : c?.stage === "reexamination" ? 2 : 0);
      }
    }
    const day = Math.floor((now - start.getTime()) / (24 * HOUR));
    if (day !== lastDay) {
      lastDay = day;
      o.onDay?.(day, Math.round((hardEnd - start.getTime()) / (24 * HOUR)));
    }
    if (now > intakeEnd && events.length === 0 && (await app.db.case.count({ where: { channel: "sim", state: { in: ["registered", "assigned", "accepted", "in_progress", "under_review", "under_reexamination", "replied"] } } })) === 0) break;
  }

  // The simulation's own count, from what it did and what the scheduler reported doing.
  for (const sim of sims) {
    if (sim.declined) tally.declined++;
    if (sim.escalated) tally.escalated++;
    if (sim.closed) tally.closed++;
    if (sim.firstPollOver) tally.polled++;
    if (sim.firstAnswer) tally.pollAnswered++;
    if (sim.firstAnswer === "satisfied") tally.satisfied++;
    if (sim.firstAnswer === "basically_satisfied") tally.basicallySatisfied++;
    if (sim.firstAnswer === "unsatisfied") tally.unsatisfied++;
    if (sim.closed && !sim.reviewed && sim.firstAnswer !== "unsatisfied") tally.firstTimeResolved++;
    if (!sim.replied && !sim.declined && !sim.escalated) tally.unanswered.push(sim.caseNo);
  }
  const from = toLocalDate(start, app.timeZone);
  const to = addCalendarDays(from, o.days - 1); // the last day of filing, inclusive like the ledger
  const ledger = (await computeLedger(app.db, { from, to, timeZone: app.timeZone, now: o.clock.now })).total;
  const expect: Array<[keyof LedgerRow, number]> = [
    ["received", tally.received], ["replied", tally.replied], ["repliedOnTime", tally.repliedOnTime], ["closed", tally.closed],
    ["polled", tally.polled], ["pollAnswered", tally.pollAnswered], ["satisfied", tally.satisfied], ["basicallySatisfied", tally.basicallySatisfied],
    ["unsatisfied", tally.unsatisfied], ["firstTimeResolved", tally.firstTimeResolved], ["notAccepted", tally.declined],
  ];
  const mismatches = expect.filter(([k, v]) => ledger[k] !== v).map(([k, v]) => `${k}: ledger ${ledger[k]}, simulation ${v}`);
  return { from, to, simulatedDays: Math.round((o.clock.now.getTime() - start.getTime()) / (24 * HOUR)), tally, ledger, mismatches, elapsedMs: Date.now() - started };
}

/** Complaint texts by category, from intents/zh-CN/categories. */
function loadComplaints(intentsDir: string): Map<Category, string[]> {
  const out = new Map<Category, string[]>();
  const dir = join(intentsDir, "zh-CN", "categories");
  for (const f of readdirSync(dir).filter((x) => x.endsWith(".txt"))) {
    const lines = readFileSync(join(dir, f), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#") && l.length >= 8);
    out.set(f.slice(0, -4) as Category, lines);
  }
  return out;
}

/** One resident's conversation through the real form; returns the case number, or null. */
async function fileCase(say: (u: string, t: string) => Promise<Reply[]>, press: (u: string, b: string) => Promise<Reply[]>, user: string, text: string, category: Category, place: string, phone: string): Promise<string | null> {
  let replies = await say(user, text);
  for (let turn = 0; turn < 16; turn++) {
    const last = replies[replies.length - 1];
    if (!last) return null;
    if (last.caseNo) return last.caseNo;
    if (last.buttons.some((b) => b.id === "same:no")) {
      replies = await press(user, "same:no");
      continue;
    }
    switch (last.expects) {
      case "category": replies = await press(user, `cat:${category}`); break;
      case "location": replies = await say(user, place); break;
      case "occurredAt": replies = await say(user, "跳过"); break;
      case "demands": replies = await say(user, "请尽快解决"); break;
      case "name": replies = await say(user, "跳过"); break;
      case "phone": replies = await say(user, phone); break;
      case "confirm": replies = await say(user, "确认"); break;
      case "description": replies = await say(user, text); break;
      default: return null;
    }
  }
  return null;
}

/** Prints a {@link SimulationReport} for people: the figures, the ledger beside the simulation's count. */
export function printSimulation(r: SimulationReport, out: (s: string) => void): void {
  const pct = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(2)} %`);
  const t = r.tally;
  out(`Simulated ${r.from} – ${r.to} (clock ran ${r.simulatedDays} days) in ${(r.elapsedMs / 1000).toFixed(1)} s\n`);
  out(`  filed ${t.received}, replied ${t.replied} (${t.lateByPlan} late by plan), declined ${t.declined}, escalated ${t.escalated}, reviews ${t.reviews}, re-examinations ${t.reexaminations}\n`);
  out(`  every case answered or escalated: ${t.unanswered.length === 0 ? "yes" : `NO — ${t.unanswered.slice(0, 10).join(", ")}`}\n`);
  const l = r.ledger;
  out(`Ledger (三知一账): on time ${pct(l.onTimeRate)} (${l.repliedOnTime}/${l.due}), participation ${pct(l.participationRate)} (${l.pollAnswered}/${l.polled}), satisfaction ${pct(l.satisfactionRate)}, first-time resolution ${pct(l.firstTimeResolutionRate)}, open ${l.open}, overdue ${l.overdue}, supervised ${l.supervised}\n`);
  out(`Ledger vs the simulation's own count: ${r.mismatches.length === 0 ? "all figures match" : r.mismatches.join("; ")}\n`);
}
