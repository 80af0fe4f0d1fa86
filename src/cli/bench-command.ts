import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import type { Config } from "../config.js";
import { loadConfig } from "../config.js";
import { sqliteFile, type Db } from "../db/database.js";
import type { Conversation } from "../chat/index.js";
import type { Reply } from "../chat/message.js";
import { createHttpServer } from "../http/server.js";
import { PrismaWebSessionStore } from "../http/prisma-web-session-store.js";
import { SESSION_COOKIE, WebSessions } from "../http/web-sessions.js";
import type { Texts } from "../i18n.js";
import { BullmqDispatcher, OutboxRunner, type Deliverer, type OutboxRow } from "../notify/index.js";
import type { CliIo } from "./cases-command.js";

/** What the bench needs of a booted app (see `boot` in main.ts). */
export interface BenchApp {
  db: Db;
  texts: Texts;
  desk: Conversation;
  render: (row: OutboxRow) => Promise<Reply | null>;
  close(): Promise<void>;
}

/** Options of `petition-bot bench`. */
export interface BenchOptions {
  /** Simulated residents talking at the same time in the throughput run. */
  residents: number;
  /** Complete conversations (a filed case each) in the throughput run. */
  conversations: number;
  /** Messages per second of the paced run (latency at a steady load). */
  rate: number;
  /** Seconds of the paced run. */
  seconds: number;
  modes: Array<"sqlite" | "postgresql">;
  /** Server whose `CREATE DATABASE` the PostgreSQL run uses (a fresh database, dropped after). */
  postgresUrl: string;
  redisUrl: string;
}

/** Figures of one storage mode. */
export interface ModeReport {
  mode: string;
  conversations: number;
  messages: number;
  seconds: number;
  conversationsPerSecond: number;
  messagesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** CPU time of this process per message in the throughput run (user + system); steadier than wall-clock figures on a shared machine. 1000 / this ≈ messages/s one core can answer. */
  cpuMsPerMessage: number;
  /** All notifications of the run (one per case, to the unit's group) sent, seconds after the last message. */
  deliveredAfterSeconds: number | null;
  notificationsDelivered: number;
  /** `maxStallMs`: the longest the event loop was blocked during the paced run (a synchronous stall, not queueing). */
  paced: { rate: number; messages: number; achievedPerSecond: number; latencyMs: { p50: number; p99: number; max: number }; maxStallMs: number };
  /** The same writes straight through the driver (better-sqlite3 / pg), same concurrency. */
  raw: { conversationsPerSecond: number; messagesPerSecond: number };
  /** Pipeline conversations/s ÷ raw conversations/s. */
  ratioToRaw: number;
  peakRssMb: number;
  /** RSS after start-up and warm-up, before the load (the process's own size). */
  idleRssMb: number;
  failedConversations: number;
}

const DESCRIPTIONS = [
  "村口那条路全是坑，下雨天根本没法走，在青山镇石桥村",
  "青山镇东街的路灯坏了半个月，晚上出门很危险",
  "青山镇工地晚上施工噪音太大，影响休息",
  "青山镇农田灌溉的水渠堵了，庄稼快旱死了",
  "公司拖欠我们三个月工资不发，在青山镇工业园",
  "小区旁边的河道发臭，在青山镇河西村",
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: Math.round((s[s.length - 1] ?? 0) * 100) / 100 };
}

/** The resident's next message from the bot's last reply; null when the case is filed. */
function nextMessage(last: Reply | undefined, i: number): { text?: string; buttonId?: string } | null {
  if (!last) return { text: DESCRIPTIONS[i % DESCRIPTIONS.length] };
  if (last.caseNo) return null;
  if (last.buttons.some((b) => b.id === "confirm")) return { buttonId: "confirm" };
  switch (last.expects) {
    case "description": return { text: DESCRIPTIONS[i % DESCRIPTIONS.length] };
    case "category": {
      const b = last.buttons.find((x) => x.id.startsWith("cat:") && x.id !== "cat:more");
      return b ? { buttonId: b.id } : { text: "交通" };
    }
    case "location": return { text: "青山镇石桥村" };
    case "occurredAt": return { text: "上个月" };
    case "demands": return { text: "希望尽快处理" };
    case "name": return { text: "王先生" };
    case "phone": return { text: `139${String(10_000_000 + (i * 7919) % 89_999_999).slice(0, 8)}` };
    default: return { text: "确认" };
  }
}

/** Samples the resident set size every 50 ms; `stop()` returns the peak in MB. */
function memoryPeak(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.round((Math.max(peak, process.memoryUsage().rss) / 1048576) * 10) / 10) };
}

type Send = (userId: string, msg: { text?: string; buttonId?: string }) => Promise<Reply[]>;

/** One complete conversation as one resident; returns per-message latencies, or null if no case came of it. */
async function converse(send: Send, userId: string, i: number): Promise<number[] | null> {
  const latencies: number[] = [];
  let last: Reply | undefined;
  for (let step = 0; step < 15; step++) {
    const msg = nextMessage(last, i);
    if (!msg) return latencies;
    const t0 = performance.now();
    const replies = await send(userId, msg);
    latencies.push(performance.now() - t0);
    last = replies[replies.length - 1];
  }
  return null;
}

/**
 * `petition-bot bench`: complete conversations through the real pipeline — the web chat's HTTP
 * route in process (fastify inject) → rate limit → NLU → dialog → database → outbox → queue
 * (in-process runner on SQLite; BullMQ on Redis with PostgreSQL) → a recording channel — with N
 * residents in parallel; then a paced run at a fixed message rate for latency; then the same
 * database writes straight through the driver, to print our throughput as a ratio of the
 * storage's own limit on this machine.
 */
export async function runBench(o: BenchOptions, boot: (config: Config) => Promise<BenchApp>, io: CliIo, json: boolean): Promise<ModeReport[]> {
  const reports: ModeReport[] = [];
  for (const mode of o.modes) {
    const target = await makeDatabase(mode, o.postgresUrl);
    try {
      if (!json) io.err(`bench: ${mode}…\n`);
      reports.push(await benchMode(mode, target.url, o, boot));
    } finally {
      await target.drop();
    }
  }
  if (json) io.out(`${JSON.stringify({ machine: { cpus: (await import("node:os")).cpus().length, node: process.version }, options: { ...o, postgresUrl: undefined, redisUrl: undefined }, modes: reports }, null, 2)}\n`);
  else io.out(formatReports(reports, o));
  return reports;
}

async function makeDatabase(mode: "sqlite" | "postgresql", postgresUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (mode === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "pb-bench-"));
    return { url: `file:${join(dir, "bench.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `pb_bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function benchMode(mode: "sqlite" | "postgresql", url: string, o: BenchOptions, boot: (config: Config) => Promise<BenchApp>): Promise<ModeReport> {
  const config = loadConfig({ ...process.env, DATABASE_URL: url, REDIS_URL: mode === "postgresql" ? o.redisUrl : "", LOG_LEVEL: "silent", TELEGRAM_BOT_TOKEN: "", WECHATY_PUPPET: "" });
  const app = await boot(config);
  // The real web route: each bench resident is a browser with its own session cookie.
  const sessions = new WebSessions({ store: new PrismaWebSessionStore(app.db) });
  const http = createHttpServer({ engine: app.desk, texts: app.texts, sessions });
  const jar = new Map<string, string>();
  // Every unit's group is a chat on the recording channel: each case makes one notification.
  await app.db.unit.updateMany({ data: { chatTargets: [{ channel: "bench", chatId: "unit-group" }] } });
  let delivered = 0;
  const deliverers = new Map<string, Deliverer>([["bench", async () => (delivered++, "sent")]]);
  const queueName = `petition-bench-${randomUUID().slice(0, 8)}`;
  const delivery = mode === "postgresql"
    ? new BullmqDispatcher({ db: app.db, deliverers, render: app.render, redisUrl: o.redisUrl, queueName })
    : new OutboxRunner({ db: app.db, deliverers, render: app.render });
  await delivery.start();
  const send: Send = async (userId, msg) => {
    const cookie = jar.get(userId);
    const cookies: Record<string, string> = cookie ? { [SESSION_COOKIE]: cookie } : {};
    const res = await http.inject({ method: "POST", url: "/api/chat", payload: msg, cookies });
    if (res.statusCode !== 200) throw new Error(`/api/chat answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) jar.set(userId, set.value);
    return (res.json() as { replies: Reply[] }).replies;
  };
  const run = randomUUID().slice(0, 8);
  try {
    // Warm-up: classifier, prepared statements, connection pool.
    for (let i = 0; i < 3; i++) await converse(send, `warm-${run}-${i}`, i);
    const warm = delivered;
    const idleRssMb = Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
    const memory = memoryPeak();

    // 1. Throughput: N residents in parallel, each filing one complete case after another.
    const latencies: number[] = [];
    let next = 0;
    let failed = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: o.residents }, async () => {
      for (let i = next++; i < o.conversations; i = next++) {
        const l = await converse(send, `res-${run}-${i}`, i);
        if (l) latencies.push(...l);
        else failed++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const filed = o.conversations - failed;
    const deliveredAt = await waitUntil(() => delivered - warm >= filed, 120_000);
    const deliveredAfterSeconds = deliveredAt === null ? null : Math.round((deliveredAt - (t0 + seconds * 1000)) / 10) / 100;

    // 2. Paced: `rate` messages/s for `seconds`, spread over rate/2 residents (2 messages/s each,
    // under the rate limit); latency counted from each message's scheduled time.
    const paced: number[] = [];
    const pacedResidents = Math.max(1, Math.round(o.rate / 2));
    const interval = (pacedResidents / o.rate) * 1000;
    const pStart = performance.now();
    const pEnd = pStart + o.seconds * 1000;
    let pacedCount = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await Promise.all(Array.from({ length: pacedResidents }, async (_, r) => {
      let due = pStart + (r * interval) / pacedResidents;
      for (let c = 0; due < pEnd; c++) {
        const userId = `paced-${run}-${r}-${c}`;
        let last: Reply | undefined;
        for (let step = 0; step < 15 && due < pEnd; step++) {
          const msg = nextMessage(last, r + c);
          if (!msg) break;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
          const replies = await send(userId, msg);
          paced.push(performance.now() - due);
          pacedCount++;
          last = replies[replies.length - 1];
          due += interval;
        }
      }
    }));
    const pacedSeconds = (performance.now() - pStart) / 1000;
    loop.disable();
    const peakRssMb = memory.stop();

    // 3. The storage's own limit: the same writes with the driver, same concurrency.
    const msgsPerConversation = latencies.length / Math.max(1, filed);
    const raw = await rawStorage(mode, url, app.db, o, Math.round(msgsPerConversation));

    const cps = filed / seconds;
    return {
      mode: mode === "sqlite" ? "SQLite, in-process queue" : "PostgreSQL + Redis (BullMQ)",
      conversations: filed, messages: latencies.length, seconds: Math.round(seconds * 100) / 100,
      conversationsPerSecond: Math.round(cps * 10) / 10, messagesPerSecond: Math.round((latencies.length / seconds) * 10) / 10,
      latencyMs: stats(latencies), cpuMsPerMessage: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)) * 100) / 100, deliveredAfterSeconds, notificationsDelivered: delivered - warm,
      paced: { rate: o.rate, messages: pacedCount, achievedPerSecond: Math.round((pacedCount / pacedSeconds) * 10) / 10, latencyMs: stats(paced), maxStallMs: Math.round(loop.max / 1e6) },
      raw: { conversationsPerSecond: Math.round(raw * 10) / 10, messagesPerSecond: Math.round(raw * msgsPerConversation * 10) / 10 },
      ratioToRaw: Math.round((cps / raw) * 1000) / 1000,
      peakRssMb, idleRssMb, failedConversations: failed,
    };
  } finally {
    await delivery.stop();
    if (delivery instanceof BullmqDispatcher) await delivery.obliterate().catch(() => undefined);
    await http.close();
    await app.close();
  }
}

async function waitUntil(done: () => boolean, ms: number): Promise<number | null> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > ms) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now();
}

/** Column values of one row, with the listed columns replaced. */
type Row = Record<string, unknown>;

/**
 * Conversations per second the database itself sustains for the writes one conversation makes
 * in the pipeline, done directly with the driver: per message, read and write the dialog
 * session; per conversation, one transaction inserting the resident, their channel identity,
 * the day's sequence, the case, its two events and its notification; then the notification
 * marked sent. Rows are clones (fresh keys) of the rows the pipeline wrote, so sizes match.
 */
async function rawStorage(mode: "sqlite" | "postgresql", url: string, db: Db, o: BenchOptions, messages: number): Promise<number> {
  const count = Math.max(50, Math.min(o.conversations, 1000));
  const sample = async (table: string, where = "") => ((await db.$queryRawUnsafe(`SELECT * FROM "${table}" ${where} LIMIT 1`)) as Row[])[0]!;
  const kase = await sample("Case");
  const rows = {
    session: await sample("DialogSession"),
    resident: await sample("Resident", `WHERE "id" = '${String(kase.residentId)}'`),
    identity: await sample("ChannelIdentity", `WHERE "residentId" = '${String(kase.residentId)}'`),
    kase,
    event: await sample("CaseEvent", `WHERE "caseId" = '${String(kase.id)}'`),
    outbox: await sample("OutboxMessage"),
  };
  const keys = (id: string) => ({
    resident: { id: `r${id}` },
    identity: { id: `i${id}`, residentId: `r${id}`, externalId: `raw-${id}` },
    kase: { id: `c${id}`, residentId: `r${id}`, caseNo: `RAW-${id}`, submissionKey: `k${id}` },
    events: [{ id: `e1${id}`, caseId: `c${id}` }, { id: `e2${id}`, caseId: `c${id}` }],
    outbox: { id: `o${id}`, dedupeKey: `d${id}` },
  });
  const state = typeof rows.session.state === "string" ? rows.session.state : JSON.stringify(rows.session.state);
  if (mode === "sqlite") {
    const sql = new Database(sqliteFile(url));
    sql.pragma("journal_mode = WAL");
    sql.pragma("busy_timeout = 10000");
    const insert = (table: string, row: Row, over: Row) => {
      const r = { ...row, ...over };
      const cols = Object.keys(r);
      sql.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(",")}) VALUES (${cols.map(() => "?").join(",")})`).run(...cols.map((c) => toSqlite(r[c])));
    };
    const tx = sql.transaction((k: ReturnType<typeof keys>) => {
      insert("Resident", rows.resident, k.resident);
      insert("ChannelIdentity", rows.identity, k.identity);
      sql.prepare(`INSERT INTO "CaseSequence" ("key","last") VALUES ('RAW',1) ON CONFLICT("key") DO UPDATE SET "last" = "last" + 1 RETURNING "last"`).get();
      insert("Case", rows.kase, k.kase);
      for (const e of k.events) insert("CaseEvent", rows.event, e);
      insert("OutboxMessage", rows.outbox, k.outbox);
    });
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const id = `${randomUUID()}`;
      const key = `raw:${id}`;
      for (let m = 0; m < messages; m++) {
        sql.prepare(`SELECT * FROM "DialogSession" WHERE "key" = ?`).get(key);
        if (m === 0) sql.prepare(`INSERT INTO "DialogSession" ("key","state","version","updatedAt") VALUES (?,?,1,?)`).run(key, state, Date.now());
        else sql.prepare(`UPDATE "DialogSession" SET "state" = ?, "version" = "version" + 1, "updatedAt" = ? WHERE "key" = ? AND "version" = ?`).run(state, Date.now(), key, m);
      }
      const k = keys(id);
      tx(k);
      sql.prepare(`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ? WHERE "id" = ?`).run(Date.now(), k.outbox.id);
    }
    const seconds = (performance.now() - t0) / 1000;
    sql.close();
    return count / seconds;
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const insert = (client: pg.PoolClient, table: string, row: Row, over: Row) => {
    const r = { ...row, ...over };
    const cols = Object.keys(r);
    return client.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(",")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(",")})`, cols.map((c) => toPg(r[c])));
  };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.residents }, async () => {
    for (let i = next++; i < count; i = next++) {
      const id = randomUUID();
      const key = `raw:${id}`;
      for (let m = 0; m < messages; m++) {
        await pool.query(`SELECT * FROM "DialogSession" WHERE "key" = $1`, [key]);
        if (m === 0) await pool.query(`INSERT INTO "DialogSession" ("key","state","version","updatedAt") VALUES ($1,$2,1,now())`, [key, state]);
        else await pool.query(`UPDATE "DialogSession" SET "state" = $1, "version" = "version" + 1, "updatedAt" = now() WHERE "key" = $2 AND "version" = $3`, [state, key, m]);
      }
      const k = keys(id);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await insert(client, "Resident", rows.resident, k.resident);
        await insert(client, "ChannelIdentity", rows.identity, k.identity);
        await client.query(`INSERT INTO "CaseSequence" ("key","last") VALUES ('RAW',1) ON CONFLICT("key") DO UPDATE SET "last" = "CaseSequence"."last" + 1 RETURNING "last"`);
        await insert(client, "Case", rows.kase, k.kase);
        for (const e of k.events) await insert(client, "CaseEvent", rows.event, e);
        await insert(client, "OutboxMessage", rows.outbox, k.outbox);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      } finally {
        client.release();
      }
      await pool.query(`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = now() WHERE "id" = $1`, [k.outbox.id]);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await pool.end();
  return count / seconds;
}

function toSqlite(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v !== null && typeof v === "object" && !(v instanceof Buffer)) return JSON.stringify(v);
  return v;
}

function toPg(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !(v instanceof Buffer)) return JSON.stringify(v);
  return v;
}

function formatReports(reports: ModeReport[], o: BenchOptions): string {
  const out: string[] = [];
  out.push(`petition-bot bench — ${o.residents} residents in parallel, ${o.conversations} conversations per mode; paced run ${o.rate} msg/s for ${o.seconds} s`);
  for (const r of reports) {
    out.push("");
    out.push(`${r.mode}`);
    out.push(`  throughput      ${r.conversationsPerSecond} conversations/s, ${r.messagesPerSecond} messages/s (${r.conversations} cases, ${r.messages} messages in ${r.seconds} s${r.failedConversations ? `, ${r.failedConversations} FAILED` : ""})`);
    out.push(`  latency/message p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms (at full load)`);
    out.push(`  CPU/message     ${r.cpuMsPerMessage} ms (≈ ${Math.round(1000 / Math.max(0.01, r.cpuMsPerMessage))} messages/s per core)`);
    out.push(`  paced ${r.paced.rate} msg/s p50 ${r.paced.latencyMs.p50} ms, p99 ${r.paced.latencyMs.p99} ms, max ${r.paced.latencyMs.max} ms (${r.paced.messages} messages, ${r.paced.achievedPerSecond} msg/s achieved; longest event-loop stall ${r.paced.maxStallMs} ms)${r.paced.latencyMs.p99 < 50 ? "" : "  ← over the 50 ms target"}`);
    out.push(`  notifications   ${r.notificationsDelivered} delivered, the last ${r.deliveredAfterSeconds ?? "NOT ALL"} s after the last message`);
    out.push(`  raw storage     ${r.raw.conversationsPerSecond} conversations/s (${r.raw.messagesPerSecond} messages/s) with the driver alone`);
    out.push(`  ratio to raw    ${(r.ratioToRaw * 100).toFixed(1)} % of the storage's own limit${r.ratioToRaw >= 0.5 ? "" : "  ← under the 50 % target"}`);
    out.push(`  peak memory     ${r.peakRssMb} MB RSS under load (${r.idleRssMb} MB before it)`);
  }
  return `${out.join("\n")}\n`;
}
