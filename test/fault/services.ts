import pg from "pg";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/db/database.js";

/**
 * Private services for fault tests: a redis-server and a PostgreSQL cluster of the test's own,
 * on free ports, that the test may stop and start. The machine's shared PostgreSQL (5432) and
 * Redis (6379) are never touched.
 */

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `check` resolves true, polling every `every` ms; throws after `ms`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 20_000, every = 50): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** A redis-server of the test's own (no persistence: a restart starts empty, like a lost node). */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await until(`redis on ${this.port}`, () => listening(this.port), 10_000);
  }

  /** Stops the server (SIGKILL: no goodbye to clients) and waits until the port is closed. */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  }
}

function postgresBin(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin (apt-get install postgresql)");
  return join(base, versions[0], "bin");
}

/** A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temp folder; as user postgres when we are root). */
export class PrivatePostgres {
  private constructor(readonly dir: string, readonly port: number, private readonly bin: string) {}

  static async start(): Promise<PrivatePostgres> {
    const bin = postgresBin();
    const dir = mkdtempSync(join(tmpdir(), "pb-pg-"));
    const root = userInfo().uid === 0;
    if (root) {
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
      chownSync(dir, uid, gid);
    }
    chmodSync(dir, 0o700);
    const pg = new PrivatePostgres(dir, await freePort(), bin);
    pg.run("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
    await pg.up();
    return pg;
  }

  /** postgresql://… of database `name` (default postgres). */
  /** A started cluster with one empty database `name` created in it. */
  static async withDatabase(name: string): Promise<PrivatePostgres> {
    const cluster = await PrivatePostgres.start();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return cluster;
  }

  url(name = "postgres"): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${name}`;
  }

  private run(tool: string, args: string[]): string {
    const cmd = join(this.bin, tool);
    const asPostgres = userInfo().uid === 0;
    return execFileSync(asPostgres ? "runuser" : cmd, asPostgres ? ["-u", "postgres", "--", cmd, ...args] : args, { stdio: ["ignore", "pipe", "pipe"], cwd: this.dir }).toString();
  }

  /** Starts the server and waits until it accepts connections. */
  async up(): Promise<void> {
    this.run("pg_ctl", ["-D", join(this.dir, "data"), "-l", join(this.dir, "log"), "-w", "-t", "30", "-o", `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`, "start"]);
  }

  /** Stops the server (fast: open connections are terminated, like a restart in production). */
  async down(): Promise<void> {
    this.run("pg_ctl", ["-D", join(this.dir, "data"), "-m", "fast", "-w", "-t", "30", "stop"]);
  }

  /** Stops the server if running and removes its folder. */
  async destroy(): Promise<void> {
    try {
      await this.down();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A `petition-bot serve` child process. */
export interface ServeProcess {
  child: ChildProcess;
  /** Base URL of its HTTP server. */
  url: string;
  /** Everything it wrote (stdout + stderr). */
  output(): string;
  /** Sends `signal` and waits for the exit; returns the exit code. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `petition-bot serve --port 0 …args` with `env` and waits until it serves. */
export async function spawnServe(args: string[], env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, "bin", "petition-bot.js"), "serve", "--port", "0", ...args], {
    env: { ...process.env, LOG_LEVEL: "info", TELEGRAM_BOT_TOKEN: "", REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let url = "";
  await until("petition-bot serve to start", () => {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${out}`);
    const m = /(?:web chat|worker) on (http:\/\/localhost:\d+)\//.exec(out);
    if (m) url = m[1]!.replace("localhost", "127.0.0.1");
    return Boolean(m);
  }, 60_000).catch((err: Error) => {
    child.kill("SIGKILL");
    throw new Error(`${err.message}\n${out}`);
  });
  return {
    child, url,
    output: () => out,
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

type Turn = { text: string; buttons: Array<{ id: string }>; expects: string | null; caseNo: string | null };

/** Files one complete case as `userId` through `handle` (any channel's path), answering whatever is asked; returns the case number. */
export async function fileCase(handle: (msg: { text?: string; buttonId?: string }) => Promise<Turn[]>, description = "村口那条路全是坑，下雨天没法走，在青山镇石桥村"): Promise<string> {
  let last: Turn | undefined;
  for (let step = 0; step < 15; step++) {
    let msg: { text?: string; buttonId?: string };
    if (!last) msg = { text: description };
    else if (last.caseNo) return last.caseNo;
    else if (last.buttons.some((b) => b.id === "confirm")) msg = { buttonId: "confirm" };
    else if (last.expects === "category") msg = { buttonId: last.buttons.find((b) => b.id.startsWith("cat:") && b.id !== "cat:more")!.id };
    else msg = { text: ({ location: "青山镇石桥村", occurredAt: "上个月", demands: "尽快修路", name: "王先生", phone: "13800001234" } as Record<string, string>)[last.expects ?? ""] ?? "确认" };
    const replies = await handle(msg);
    last = replies[replies.length - 1];
  }
  throw new Error(`no case after 15 messages; last reply: ${last?.text}`);
}
