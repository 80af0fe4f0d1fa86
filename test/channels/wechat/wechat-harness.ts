import { Writable } from "node:stream";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import { PrismaChannelStore } from "../../../src/cases/index.js";
import { createWechatChannel, type WechatChannel } from "../../../src/channels/wechat/wechaty.js";
import { createLogger } from "../../../src/logger.js";
import { harness, loadTexts, type Harness } from "../../helpers.js";

/** A WeChat bot on wechaty-puppet-mock with one resident contact, on a real database. */
export interface WechatRig {
  h: Harness;
  channel: WechatChannel;
  mocker: mock.Mocker;
  resident: mock.ContactMock;
  botUser: mock.ContactMock;
  /** Every text the resident has received from the bot, in order. */
  received: string[];
  /** What the bot said in rooms (the mock does not deliver room messages to members). */
  roomSaid: Array<{ roomId: string; text: string }>;
  logs: string[];
  /** The resident sends `content` (text or a FileBox) to the bot (or a room); resolves with the bot's answers. */
  send(content: unknown, to?: mock.ContactMock | mock.RoomMock, mentions?: mock.ContactMock[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function wechatRig(opts: { cadreRooms?: () => Promise<ReadonlySet<string>>; url?: string; login?: boolean } = {}): Promise<WechatRig> {
  const h = await harness(opts.url ? { url: opts.url } : {});
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const logs: string[] = [];
  const logger = createLogger("debug", new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }));
  let handled = 0;
  const channel = createWechatChannel({
    engine: h.engine, texts: await loadTexts(), store: new PrismaChannelStore(h.db), logger, puppet,
    cadreRooms: opts.cadreRooms, onHandled: () => void handled++,
  });
  const roomSaid: Array<{ roomId: string; text: string }> = [];
  channel.bot.on("message", (m) => {
    const room = m.room();
    if (m.self() && room) roomSaid.push({ roomId: room.id, text: m.text() });
  });
  await channel.start();
  const [resident, botUser] = mocker.createContacts(2) as [mock.ContactMock, mock.ContactMock];
  const received: string[] = [];
  // The mock also shows the resident their own messages: keep only what the bot said.
  resident.on("message", (m: { payload: { text?: string; talkerId?: string; fromId?: string } }) => {
    const from = m.payload.talkerId ?? m.payload.fromId;
    if (m.payload.text !== undefined && from !== resident.id) received.push(m.payload.text);
  });
  if (opts.login !== false) {
    mocker.login(botUser);
    await new Promise((r) => setTimeout(r, 50));
  }
  const quiet = async () => {
    // Replies arrive asynchronously through the mock: wait until none came for 100 ms.
    let n = -1;
    while (n !== received.length) {
      n = received.length;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const send = async (content: unknown, to: mock.ContactMock | mock.RoomMock = botUser, mentions?: mock.ContactMock[]) => {
    const before = received.length;
    const target = handled;
    (resident.say as (c: unknown, m?: unknown) => { to(t: unknown): void })(content, mentions).to(to);
    const start = Date.now();
    while (handled <= target) {
      if (Date.now() - start > 15_000) throw new Error("the bot did not handle the message");
      await new Promise((r) => setTimeout(r, 10));
    }
    await quiet();
    return received.slice(before);
  };
  return {
    h, channel, mocker, resident, botUser, received, roomSaid, logs, send,
    close: async () => {
      await channel.stop().catch(() => undefined);
      await h.close();
    },
  };
}
