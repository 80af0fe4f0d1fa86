/**
 * `npm run bench:notify`: notification latency from a case transition (its outbox row
 * committed) to the send call of the channel, with the delivery loop the bot really runs:
 * the in-process runner (SQLite, default 2 s poll) and BullMQ on Redis (PostgreSQL, 1 s relay).
 * Prints median and p99 in ms per backend. Needs PostgreSQL and Redis on this machine.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { CaseRepository, CaseService, CaseWorkflow } from "../src/cases/index.js";
import { PROJECT_ROOT, migrate, openDatabase, type Db } from "../src/db/database.js";
import { WorkingDays } from "../src/domain/index.js";
import { Texts } from "../src/i18n.js";
import { BullmqDispatcher, OutboxRunner, renderOutbox, type Deliverer } from "../src/notify/index.js";
import holidays from "../config/holidays-cn.json" with { type: "json" };
import units from "../config/units.default.json" with { type: "json" };

const N = Number(process.argv[process.argv.indexOf("--cases") + 1]) || 100;
const PG = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const REDIS = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const calendar = new WorkingDays(holidays);
const texts = await Texts.load(join(PROJECT_ROOT, "locales"));

async function measure(name: string, db: Db, start: (deliver: Deliverer) => Promise<{ stop(): Promise<void> }>) {
  const repository = new CaseRepository(db);
  await repository.upsertUnits(units.units.map((u) => ({ ...u, nameEn: u.nameEn, isDutyDesk: u.isDutyDesk === true })));
  const cases = new CaseService({ repository, calendar, timeZone: "Asia/Shanghai", prefix: "BN" });
  const workflow = new CaseWorkflow({ db, calendar, timeZone: "Asia/Shanghai" });
  const numbers: string[] = [];
  for (let i = 0; i < N; i++) {
    const r = await cases.submit({ key: randomUUID(), channel: "bench", userId: `u${i}`, chatId: `u${i}`, locale: "zh-CN", receivedAt: new Date(), form: { description: "村口路灯坏了", category: "transport", phone: "13800001234" } });
    numbers.push(r.caseNo);
  }
  const latencies: number[] = [];
  const committed = new Map<string, number>();
  const done = new Promise<void>((resolve) => {
    void start(async (chatId) => {
      latencies.push(Date.now() - committed.get(chatId)!);
      if (latencies.length === N) resolve();
      return "sent";
    }).then((h) => (stopper = h));
  });
  let stopper: { stop(): Promise<void> } | undefined;
  for (let i = 0; i < N; i++) {
    committed.set(`u${i}`, Date.now());
    await workflow.transition(numbers[i]!, "accept", { kind: "operator", id: "bench" });
    await new Promise((r) => setTimeout(r, 20)); // transitions spread over time, as cadres work
  }
  await done;
  await stopper?.stop();
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  return { name, notifications: N, medianMs: p(0.5), p99Ms: p(0.99), maxMs: latencies.at(-1)! };
}

const results = [];
{
  const url = `file:${join(mkdtempSync(join(tmpdir(), "bench-")), "b.db")}`;
  await migrate(url);
  const db = openDatabase(url);
  results.push(await measure("in-process runner (SQLite, 2 s poll)", db, async (deliver) => {
    const runner = new OutboxRunner({ db, deliverers: new Map([["bench", deliver]]), render: (row) => renderOutbox(row, db, texts, "Asia/Shanghai") });
    await runner.start();
    return runner;
  }));
  await db.$disconnect();
}
{
  const name = `pb_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(PG);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const db = openDatabase(url.toString());
  results.push(await measure("BullMQ on Redis (PostgreSQL, 1 s relay)", db, async (deliver) => {
    const d = new BullmqDispatcher({ db, deliverers: new Map([["bench", deliver]]), render: (row) => renderOutbox(row, db, texts, "Asia/Shanghai"), redisUrl: REDIS, queueName: `bench-${name}` });
    await d.start();
    return { stop: async () => { await d.obliterate(); await d.stop(); } };
  }));
  await db.$disconnect();
  await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
  await admin.end();
}
if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else for (const r of results) process.stdout.write(`${r.name.padEnd(42)} n=${r.notifications}  median ${r.medianMs} ms  p99 ${r.p99Ms} ms  max ${r.maxMs} ms\n`);
