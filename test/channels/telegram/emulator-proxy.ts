import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A scripted Bot API failure: the next `times` calls of `method` (to `chatId`, if given) get `error`. */
export interface ProxyFault {
  method: string;
  chatId?: number;
  times: number;
  error: { error_code: number; description: string; parameters?: { retry_after?: number } };
}

/**
 * A thin HTTP proxy in front of telegram-test-api, which cannot fail calls by itself: it
 * forwards every Bot API call unchanged, answers scripted ones with an error instead (429, 502,
 * 409 …), records the methods it saw, and holds an empty getUpdates answer for 100 ms — the
 * emulator answers at once, where Telegram long-polls.
 */
export class FaultProxy {
  readonly seen: Array<{ method: string; chatId?: string; faulted: boolean }> = [];
  private readonly faults: ProxyFault[] = [];
  private server: Server | undefined;

  constructor(private readonly upstream: string) {}

  /** Starts on an ephemeral port; returns the apiRoot for the bot. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections?.();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  fail(fault: ProxyFault): void {
    this.faults.push({ ...fault });
  }

  private async handle(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.url ?? "")?.[1] ?? "";
    let payload: Record<string, unknown> = {};
    try {
      payload = body.length ? JSON.parse(body.toString("utf8")) : {};
    } catch {
      // multipart or form: forwarded as is
    }
    const chatId = payload.chat_id === undefined ? undefined : String(payload.chat_id);
    const fault = this.faults.find((f) =>
      f.times > 0 && f.method === method && (f.chatId === undefined || String(f.chatId) === chatId));
    this.seen.push({ method, chatId, faulted: fault !== undefined });
    if (fault) {
      fault.times--;
      res.writeHead(fault.error.error_code, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ok: false, ...fault.error }));
    }
    const answer = await fetch(`${this.upstream}${req.url}`, {
      method: req.method, body: req.method === "GET" ? undefined : body,
      headers: { "content-type": String(req.headers["content-type"] ?? "application/json") },
    });
    const text = await answer.text();
    if (method === "getUpdates" && Number(payload.timeout ?? 0) > 0 && /"result":\[\]/.test(text)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(text);
  }
}
