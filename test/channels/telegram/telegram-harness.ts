import { Writable } from "node:stream";
import { PrismaChannelStore } from "../../../src/cases/index.js";
import { type Conversation } from "../../../src/chat/index.js";
import type { ChannelHealth } from "../../../src/channels/health.js";
import {
  createTelegramChannel, type TelegramChannel, type TelegramChannelOptions,
} from "../../../src/channels/telegram/telegraf.js";
import { createLogger } from "../../../src/logger.js";
import { harness, loadTexts, type Harness } from "../../helpers.js";
import { FakeBotApi } from "./fake-bot-api.js";

/** A bot polling the fake Bot API server with the real telegraf client, on a real database. */
export interface TelegramRig {
  api: FakeBotApi;
  h: Harness;
  channel: TelegramChannel;
  /** Log lines (JSON) the channel wrote. */
  logs: string[];
  /** Queues an update and resolves once the bot has handled it. */
  deliver(update: Record<string, any>): Promise<Record<string, any>>;
  /** Text from `userId`; returns the texts the bot sent to that chat in answer. */
  say(userId: number, text: string): Promise<string[]>;
  /** Presses a button; returns the texts the bot sent back. */
  press(userId: number, data: string): Promise<string[]>;
  /** Runs `fn` and returns the texts sent to `chatId` meanwhile. */
  textsDuring(chatId: number, fn: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts a fake Bot API server (unless given one with its apiRoot) and a polling bot. */
export async function telegramRig(opts: {
  url?: string; api?: { api: FakeBotApi; root: string }; cadreGroups?: string[]; realRateLimits?: boolean;
  conversation?: (h: Harness) => Promise<Conversation>;
  /** Sender and poller tuning (a gated sleep, a fast backoff) and the health the channel reports to. */
  sender?: TelegramChannelOptions["sender"]; poller?: TelegramChannelOptions["poller"]; health?: ChannelHealth;
} = {}): Promise<TelegramRig> {
  const api = opts.api?.api ?? new FakeBotApi();
  const apiRoot = opts.api?.root ?? (await api.start());
  const h = await harness(opts.url ? { url: opts.url } : {});
  const logs: string[] = [];
  const logger = createLogger("debug", new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }));
  const handled = new Set<number>();
  const channel = createTelegramChannel({
    token: "123:TEST", apiRoot, engine: opts.conversation ? await opts.conversation(h) : h.engine, texts: await loadTexts(), store: new PrismaChannelStore(h.db), logger,
    cadreGroups: async () => new Set(opts.cadreGroups ?? []),
    onHandled: (id) => handled.add(id),
    sender: { ...(opts.realRateLimits ? {} : { perChatPerSecond: 1000, overallPerSecond: 1000 }), ...opts.sender },
    poller: opts.poller, health: opts.health,
  });
  await channel.startPolling();
  const deliver = async (update: Record<string, any>) => {
    const u = api.push(update);
    const start = Date.now();
    while (!handled.has(u.update_id)) {
      if (Date.now() - start > 20_000) throw new Error(`update ${u.update_id} was not handled`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return u;
  };
  const textsDuring = async (chatId: number, fn: () => Promise<unknown>) => {
    const before = api.sent("sendMessage", chatId).length;
    await fn();
    return api.sent("sendMessage", chatId).slice(before).map((c) => String(c.payload.text));
  };
  return {
    api, h, channel, logs, deliver, textsDuring,
    say: (userId, text) => textsDuring(userId, () => deliver(api.message(userId, text))),
    press: (userId, data) => textsDuring(userId, () => deliver(api.pressUpdate(userId, data))),
    close: async () => {
      await channel.stop();
      if (!opts.api) await api.stop();
      await h.close();
    },
  };
}
