import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One Bot API call the fake server received. */
export interface RecordedCall {
  method: string;
  payload: Record<string, any>;
  at: number;
  /** Set when the caller hung up before the fake answered (a held call whose sender died): not delivered. */
  aborted?: boolean;
}

/** A scripted failure for the next call(s) of a method. */
export interface ScriptedError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

/**
 * A local fake Telegram Bot API server (HTTP on 127.0.0.1) so the real telegraf client runs
 * unmodified: it feeds queued updates through getUpdates (long polling), answers sendMessage
 * and friends like Telegram does, records every call, and can fail chosen calls (429, 403, 409).
 */
export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  readonly bot = { id: 7000001, is_bot: true, first_name: "Petition Desk", username: "petition_desk_bot" };
  private server: Server | undefined;
  private updates: any[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private waiters: Array<() => void> = [];
  private failures = new Map<string, ScriptedError[]>();
  private lastOffset = 0;
  private holds = new Map<string, number>();
  private held: Array<() => void> = [];

  /** Starts listening on an ephemeral port; returns the apiRoot for telegraf. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections?.();
  }

  /** Queues an update (update_id assigned unless given); returns it. */
  push(update: Record<string, any>): any {
    const u = { update_id: update.update_id ?? this.nextUpdateId++, ...update };
    this.updates.push(u);
    for (const w of this.waiters.splice(0)) w();
    return u;
  }

  /** A new message id, as Telegram would assign. */
  messageId(): number {
    return this.nextMessageId++;
  }

  /** A private message from `userId` (not queued): text, or other fields via `extra`. */
  message(userId: number, text: string | undefined, extra: Record<string, any> = {}): Record<string, any> {
    const entities = text?.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
    return { message: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: "private", first_name: "Resident" }, from: { id: userId, is_bot: false, first_name: "Resident", language_code: "zh-hans" }, ...(text !== undefined ? { text } : {}), ...(entities ? { entities } : {}), ...extra } };
  }

  /** A press of inline button `data` by `userId` (not queued). */
  pressUpdate(userId: number, data: string, messageId = 1): Record<string, any> {
    return { callback_query: { id: `cq${this.nextMessageId++}`, from: { id: userId, is_bot: false, first_name: "Resident", language_code: "zh-hans" }, chat_instance: "ci", data, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: "private" }, text: "…" } } };
  }

  /** Fails the next `times` calls of `method` with `error`. */
  fail(method: string, error: ScriptedError, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(error);
    this.failures.set(method, list);
  }

  /**
   * Holds the next `times` calls of `method`: they are recorded but not answered until
   * `release()` — a send in progress, for killing its sender mid-call. A held call whose
   * caller hangs up is marked `aborted` (Telegram never got it).
   */
  hold(method: string, times = 1): void {
    this.holds.set(method, (this.holds.get(method) ?? 0) + times);
  }

  /** Answers every held call. */
  release(): void {
    for (const r of this.held.splice(0)) r();
  }

  /** Calls of `method` (all, or to one chat). */
  sent(method = "sendMessage", chatId?: number | string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || String(c.payload.chat_id) === String(chatId)));
  }

  /** Resolves when `predicate` holds for the recorded calls, or rejects after `ms`. */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, ms = 10_000): Promise<void> {
    const start = Date.now();
    while (!predicate(this.calls)) {
      if (Date.now() - start > ms) throw new Error(`fake Bot API: condition not met in ${ms} ms; calls: ${this.calls.map((c) => c.method).join(",")}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** True once getUpdates has confirmed (by its offset) that every queued update was taken. */
  allConsumed(): boolean {
    return this.updates.every((u) => u.update_id < this.lastOffset);
  }

  private async body(req: IncomingMessage): Promise<Record<string, any>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (!raw) return {};
    if ((req.headers["content-type"] ?? "").includes("json")) return JSON.parse(raw);
    return Object.fromEntries(new URLSearchParams(raw));
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/(\w+)/.exec(req.url ?? "");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: "Not Found" });
    const method = m[2]!;
    const payload = await this.body(req);
    const call: RecordedCall = { method, payload, at: Date.now() };
    this.calls.push(call);
    if ((this.holds.get(method) ?? 0) > 0) {
      this.holds.set(method, this.holds.get(method)! - 1);
      const answered = await new Promise<boolean>((resolve) => {
        this.held.push(() => resolve(true));
        res.once("close", () => resolve(res.writableEnded));
      });
      if (!answered) {
        call.aborted = true;
        return;
      }
    }
    const failure = this.failures.get(method)?.shift();
    if (failure) return send(failure.error_code, { ok: false, ...failure });
    switch (method) {
      case "getMe":
        return send(200, { ok: true, result: this.bot });
      case "getUpdates": {
        const offset = Number(payload.offset ?? 0);
        this.lastOffset = Math.max(this.lastOffset, offset);
        this.updates = this.updates.filter((u) => u.update_id >= offset);
        if (this.updates.length === 0) {
          await new Promise<void>((r) => {
            this.waiters.push(r);
            setTimeout(r, Math.min(Number(payload.timeout ?? 0), 1) * 1000);
          });
        }
        return send(200, { ok: true, result: this.updates.filter((u) => u.update_id >= offset).slice(0, Number(payload.limit ?? 100)) });
      }
      case "sendMessage":
        return send(200, { ok: true, result: { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: "private" }, from: this.bot, text: payload.text } });
      default:
        return send(200, { ok: true, result: true });
    }
  }
}
