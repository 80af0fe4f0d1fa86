import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { Reply } from "../../src/chat/message.js";
import { SESSION_COOKIE } from "../../src/http/web-sessions.js";

/** A browser talking to the web chat over `app.inject()`: it keeps the session cookie the server sets. */
export interface WebClient {
  /** The signed session cookie's value as the server set it (undefined before the first answer). */
  cookie: string | undefined;
  /** POST /api/chat with this browser's cookie; `headers` adds e.g. Origin. */
  chat(body: Record<string, unknown>, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The replies of POST /api/chat (expects a 200). */
  say(text: string): Promise<Reply[]>;
  press(buttonId: string): Promise<Reply[]>;
  /** GET /api/inbox with this browser's cookie. */
  inbox(): Promise<Reply[]>;
  /** Any request with this browser's cookie. */
  request(method: "GET" | "POST", url: string, payload?: object, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** A new browser without cookies. */
export function webClient(app: FastifyInstance): WebClient {
  const client: WebClient = {
    cookie: undefined,
    async request(method, url, payload, headers = {}) {
      const res = await app.inject({ method, url, payload, headers, cookies: client.cookie ? { [SESSION_COOKIE]: client.cookie } : {} });
      const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
      if (set) client.cookie = set.value || undefined;
      return res;
    },
    chat: (body, headers) => client.request("POST", "/api/chat", body, headers),
    async say(text) {
      const res = await client.chat({ text });
      if (res.statusCode !== 200) throw new Error(`/api/chat answered ${res.statusCode}: ${res.body}`);
      return res.json().replies;
    },
    async press(buttonId) {
      const res = await client.chat({ buttonId });
      if (res.statusCode !== 200) throw new Error(`/api/chat answered ${res.statusCode}: ${res.body}`);
      return res.json().replies;
    },
    async inbox() {
      const res = await client.request("GET", "/api/inbox");
      if (res.statusCode !== 200) throw new Error(`/api/inbox answered ${res.statusCode}: ${res.body}`);
      return res.json().replies;
    },
  };
  return client;
}

/** The session id inside a signed cookie value ("id.signature"). */
export const sessionIdOf = (cookie: string) => cookie.slice(0, cookie.lastIndexOf("."));
