// The Telegram channel against an emulator the project did not write (telegram-test-api from
// npm), so a misreading of the Bot API in our own fake cannot hide. Failures are scripted in a
// thin proxy in front of it (FaultProxy): the emulator has no way to fail a call.
import { createServer } from "node:net";
import TelegramServer from "telegram-test-api";
import { afterEach, describe, expect, it } from "vitest";
import { PrismaChannelStore } from "../../../src/cases/index.js";
import { ChannelHealth } from "../../../src/channels/health.js";
import { createTelegramChannel, type TelegramChannel } from "../../../src/channels/telegram/telegraf.js";
import { harness, loadTexts, type Harness } from "../../helpers.js";
import { FaultProxy } from "./emulator-proxy.js";

const TOKEN = "4242:EMULATED";
const USER = 620001;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

interface EmulatorRig {
  server: TelegramServer;
  proxy: FaultProxy;
  channel: TelegramChannel;
  health: ChannelHealth;
  h: Harness;
  /** Sends what the emulator's client made and returns the texts the bot sent back (read through the emulator). */
  say(text: string): Promise<string[]>;
  press(data: string): Promise<string[]>;
  /** The inline keyboard of the bot's last message, as the emulator stored it. */
  lastKeyboard(): Array<Array<{ text: string; callback_data: string }>>;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});

async function emulatorRig(): Promise<EmulatorRig> {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 600 });
  await server.start();
  const proxy = new FaultProxy(server.config.apiURL);
  const apiRoot = await proxy.start();
  const h = await harness();
  const health = new ChannelHealth();
  let handled = 0;
  const channel = createTelegramChannel({
    token: TOKEN, apiRoot, engine: h.engine, texts: await loadTexts(), store: new PrismaChannelStore(h.db), health,
    onHandled: () => void handled++,
    sender: { perChatPerSecond: 1000, overallPerSecond: 1000, sleep: async () => undefined },
    poller: {
      sleep: (ms, signal) =>
        new Promise((r) => (setTimeout(r, Math.min(ms, 20)), signal.addEventListener("abort", () => r()))),
    },
  });
  await channel.startPolling();
  open.push(async () => {
    await channel.stop();
    await proxy.stop();
    await server.stop();
    await h.close();
  });
  const client = server.getClient(TOKEN, { userId: USER, chatId: USER, firstName: "居民", timeout: 20_000 });
  const read = async () => {
    const res = await fetch(`${server.config.apiURL}/getUpdates`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: TOKEN, chatId: USER }),
    });
    const body = (await res.json()) as { result: Array<{ message: { text: string } }> };
    return body.result.map((u) => u.message.text);
  };
  const turn = async (send: () => Promise<unknown>) => {
    const before = handled;
    await send();
    const start = Date.now();
    while (handled === before) {
      if (Date.now() - start > 20_000) throw new Error("the bot did not handle the update");
      await new Promise((r) => setTimeout(r, 10));
    }
    return read();
  };
  const lastBotMessage = () =>
    server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(USER)).at(-1);
  return {
    server, proxy, channel, health, h,
    say: (text) => turn(() => (text.startsWith("/")
      ? client.sendCommand(client.makeCommand(text))
      : client.sendMessage(client.makeMessage(text)))),
    press: (data) => turn(() =>
      client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: lastBotMessage()?.messageId } }))),
    lastKeyboard: () =>
      (lastBotMessage()?.message.reply_markup as { inline_keyboard?: never[] } | undefined)?.inline_keyboard ?? [],
  };
}

/** Fills the form up to the summary, pressing the emulator's stored buttons where there are some. */
async function toSummary(r: EmulatorRig, description: string) {
  await r.say(description);
  await r.press(r.lastKeyboard()[0]![0]!.callback_data);
  await r.say("青山镇石桥村三组");
  await r.press("skip");
  await r.say("把路修好");
  await r.press("skip");
  return r.say("13800001234");
}

describe("Telegram channel on telegram-test-api (an independent emulator)", () => {
  it("should greet, run a whole complaint with inline keyboards, give a receipt and answer /status", async () => {
    const r = await emulatorRig();
    expect((await r.say("/start")).join("\n")).toContain("您好");
    expect((await toSummary(r, "村口那条路全是坑，电动车摔了好几个人")).join("\n")).toContain("请核对");
    const receipt = await r.press("confirm");
    const caseNo = /XF-\d{6}-\d{4,}-\d/.exec(receipt.join("\n"))?.[0];
    expect(caseNo).toBeTruthy();
    expect(await r.h.cases.show(caseNo!, true))
      .toMatchObject({ channel: "telegram", category: "transport", phone: "13800001234" });
    expect((await r.say(`/status ${caseNo}`)).join("\n")).toContain(caseNo!);
    // Pressed keyboards were taken off through the emulator's editMessageReplyMarkup.
    expect(r.proxy.seen.filter((c) => c.method === "editMessageReplyMarkup").length).toBeGreaterThan(0);
    expect(r.health.get("telegram")?.state).toBe("polling");
  });

  it("should deliver the receipt after a 502 and after seven 429s scripted in front of the emulator", async () => {
    const r = await emulatorRig();
    await toSummary(r, "路灯坏了好多天了，晚上很黑");
    r.proxy.fail({
      method: "sendMessage", chatId: USER, times: 1, error: { error_code: 502, description: "Bad Gateway" },
    });
    r.proxy.fail({
      method: "sendMessage", chatId: USER, times: 7,
      error: { error_code: 429, description: "Too Many Requests: retry after 5", parameters: { retry_after: 5 } },
    });
    const receipt = await r.press("confirm");
    const caseNo = /XF-\d{6}-\d{4,}-\d/.exec(receipt.join("\n"))?.[0];
    expect(caseNo).toBeTruthy(); // what the emulator stored, i.e. what the resident sees
    expect(r.proxy.seen.filter((c) => c.method === "sendMessage" && c.faulted)).toHaveLength(8);
    expect(receipt.filter((t) => t.includes(caseNo!))).toHaveLength(1); // once, not doubled
  });

  it("should resume intake after repeated 409s on getUpdates, failing meanwhile", async () => {
    const r = await emulatorRig();
    await r.say("/start");
    const states: string[] = [];
    r.proxy.fail({
      method: "getUpdates", times: 4,
      error: { error_code: 409, description: "Conflict: terminated by other getUpdates request" },
    });
    const set = r.health.set.bind(r.health);
    r.health.set = (channel, state, extra) => (states.push(state), set(channel, state, extra));
    const answer = await r.say("工厂半夜排放刺鼻的黑烟，熏得人头疼");
    expect(answer.length).toBeGreaterThan(0);
    expect(r.proxy.seen.filter((c) => c.method === "getUpdates" && c.faulted)).toHaveLength(4);
    // Failing through the four 409s (a poll already under way may answer first), then polling again.
    const first = states.indexOf("failing");
    expect(states.slice(first, first + 4)).toEqual(["failing", "failing", "failing", "failing"]);
    expect(states.slice(first + 4).length).toBeGreaterThan(0);
    expect(states.slice(first + 4).every((s) => s === "polling")).toBe(true);
    expect(r.health.get("telegram")?.state).toBe("polling");
  });
});
