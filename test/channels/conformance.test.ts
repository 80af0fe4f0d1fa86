import { PassThrough } from "node:stream";
import { runTerminalChat, renderReplyText } from "../../src/channels/terminal/terminal-chat.js";
import { createHttpServer } from "../../src/http/server.js";
import type { Reply } from "../../src/chat/message.js";
import { harness, loadTexts } from "../helpers.js";
import { channelConformance, type SeenReply } from "./conformance.js";
import { telegramRig } from "./telegram/telegram-harness.js";
import { webClient } from "../http/web-client.js";

/**
 * A terminal chat on in-memory streams: `type(text)` writes one line and resolves, once the
 * engine has answered and the chat has printed, with what was printed and the engine's replies.
 */
async function terminal(userId: string, json: boolean) {
  const h = await harness();
  const input = new PassThrough();
  const output = new PassThrough();
  let buffer = "";
  output.on("data", (d) => (buffer += d));
  let turnDone: (() => void) | undefined;
  let replies: Reply[] = [];
  const engine = Object.assign(Object.create(Object.getPrototypeOf(h.engine)), h.engine, {
    handle: async (m: Parameters<typeof h.engine.handle>[0]) => {
      replies = await h.engine.handle(m);
      setImmediate(() => turnDone?.());
      return replies;
    },
  });
  const running = runTerminalChat({ engine, input, output, userId, json, t: json ? undefined : (await loadTexts()).t("zh-CN") });
  const type = async (text: string) => {
    const before = buffer.length;
    await new Promise<void>((r) => {
      turnDone = r;
      input.write(`${text}\n`);
    });
    return { printed: buffer.slice(before), replies };
  };
  return { h, type, close: async () => { input.end(); await running; await h.close(); } };
}

channelConformance("terminal (--json)", async () => {
  const t = await terminal("conf", true);
  const say = async (text: string) => (await t.type(text)).printed.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Reply);
  return { h: t.h, channel: "terminal", say, press: (label) => say(label), close: t.close };
});

channelConformance("terminal (human)", async () => {
  const t = await terminal("conf-h", false);
  let shown: Reply[] = [];
  const say = async (text: string) => {
    const { printed, replies } = await t.type(text);
    shown = replies;
    // What the person saw is what the engine said, buttons as numbered options.
    for (const r of replies) if (!printed.includes(renderReplyText(r))) throw new Error(`not printed: ${r.text}`);
    return replies;
  };
  // A person types the option's number.
  const press = (label: string) => say(String(shown.at(-1)!.buttons.findIndex((b) => b.label === label) + 1));
  return { h: t.h, channel: "terminal", say, press, close: t.close };
});

channelConformance("web (HTTP API)", async () => {
  const h = await harness();
  const app = createHttpServer({ engine: h.engine, texts: await loadTexts() });
  let last: SeenReply[] = [];
  const browser = webClient(app);
  const post = async (body: Record<string, unknown>) => {
    const res = await browser.chat(body);
    last = res.json().replies;
    return last;
  };
  return {
    h, channel: "web", say: (text) => post({ text }),
    press: (label) => post({ buttonId: last.at(-1)!.buttons.find((b) => b.label === label)!.id }),
    close: async () => { await app.close(); await h.close(); },
  };
});

channelConformance("telegram (fake Bot API)", async () => {
  const rig = await telegramRig();
  const user = 8080;
  const seen = (from: number): SeenReply[] =>
    rig.api.sent("sendMessage", user).slice(from).map((c) => ({
      text: String(c.payload.text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
      buttons: (c.payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { text: string; callback_data: string }) => ({ id: b.callback_data, label: b.text })),
    }));
  let last: SeenReply[] = [];
  const run = async (fn: () => Promise<unknown>) => {
    const from = rig.api.sent("sendMessage", user).length;
    await fn();
    last = seen(from);
    return last;
  };
  return {
    h: rig.h, channel: "telegram",
    say: (text) => run(() => rig.deliver(rig.api.message(user, text))),
    press: (label) => run(() => rig.deliver(rig.api.pressUpdate(user, last.at(-1)!.buttons.find((b) => b.label === label)!.id))),
    close: () => rig.close(),
  };
});

channelConformance("wechat (wechaty-puppet-mock)", async () => {
  const { wechatRig } = await import("./wechat/wechat-harness.js");
  const rig = await wechatRig();
  // WeChat has no buttons: the resident types the label (the options are numbered in the text).
  const parse = (texts: string[]): SeenReply[] =>
    texts.map((text) => ({
      text,
      buttons: [...text.matchAll(/^ {2}(\d+)\. (.+)$/gm)].map((m) => ({ id: m[2]!, label: m[2]! })),
    }));
  return {
    h: rig.h, channel: "wechat",
    say: async (text) => parse(await rig.send(text)),
    press: async (label) => parse(await rig.send(label)),
    close: () => rig.close(),
  };
});
