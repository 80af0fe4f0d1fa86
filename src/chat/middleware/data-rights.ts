import type { Button, Inbound, Reply } from "../message.js";
import type { Middleware } from "../pipeline.js";
import { commandKey } from "../resident/commands.js";
import { LOCALES, isLocale, type Locale, type Texts, type Translate } from "../../i18n.js";
import { toLocalDate } from "../../domain/index.js";
import type { Logger } from "../../logger.js";

/** What is stored about a resident, as they are shown it (the case store's overview). */
export interface DataOverview {
  locale: string;
  name: string | null;
  /** Last 4 digits only, e.g. `*******1234`. */
  phone: string | null;
  channels: Array<{ channel: string; count: number }>;
  cases: Array<{ caseNo: string; state: string; category: string; receivedAt: Date; anonymised: boolean }>;
  erasureRequestedAt: Date | null;
}

/** What an erasure did: case numbers erased now and those kept until they close. */
export interface ErasureOutcome {
  anonymised: string[];
  pending: string[];
  complete: boolean;
}

/**
 * The resident's data rights as the chat needs them, keyed by channel identity: implemented
 * by the case store (src/cases/personal-data.ts `PersonalDataStore`).
 */
export interface DataRightsDesk {
  /** What is stored about the resident behind (channel, userId); null when nothing. */
  overviewOf(channel: string, userId: string): Promise<DataOverview | null>;
  /** Records a request waiting for confirmation until `until`; false when nothing is stored. */
  askErasure(channel: string, userId: string, until: Date): Promise<boolean>;
  /** True while a request waits for confirmation (not expired). */
  erasurePending(channel: string, userId: string, now: Date): Promise<boolean>;
  /** Confirms the waiting request and erases (once); null when none is waiting or it expired. */
  confirmErasure(channel: string, userId: string, now: Date): Promise<ErasureOutcome | null>;
  /** Drops a waiting request. */
  cancelErasure(channel: string, userId: string): Promise<void>;
}

/** Options of {@link dataRights}. */
export interface DataRightsOptions {
  desk: DataRightsDesk;
  texts: Texts;
  /** How long the confirmation buttons stay valid, in ms (default 10 minutes). */
  confirmMs?: number;
  timeZone: string;
  /** The resident's language (default: the stored one, then the channel's, then zh-CN for CJK text). */
  localeOf?: (msg: Inbound) => Promise<Locale | undefined>;
  /** Language when nothing else tells (a button pressed after the session was erased); default zh-CN. */
  defaultLocale?: Locale;
  logger?: Logger;
  now?: () => Date;
}

/** Button ids of the confirmation. */
export const ERASE_YES = "dr:erase:yes";
export const ERASE_NO = "dr:erase:no";

const CJK = /[\u3400-\u9fff]/;
const LATIN = /[a-z]/i;

function reply(text: string, buttons: Button[] = []): Reply {
  return { text, buttons, expects: null, caseNo: null };
}

/** Command words of one kind (`commands.<key>` in every locale): whole-message keys and `/slash` forms. */
function words(texts: Texts, key: string): { keys: Set<string>; slash: Set<string> } {
  const keys = new Set<string>();
  const slash = new Set<string>();
  for (const locale of LOCALES) {
    for (const w of texts.list(locale, `commands.${key}`))
      w.startsWith("/") ? slash.add(w.toLowerCase()) : keys.add(commandKey(w));
  }
  return { keys, slash };
}

/**
 * The resident's data rights in the chat (个人信息保护法 Arts. 44–47), before triage and the form:
 *
 * - "我的个人信息" / "查看我的信息" / "my data" / "/mydata" (Art. 45): what is stored — name, the
 *   phone's last 4 digits, the channels they are known on, their cases (number, state, date);
 * - "删除我的个人信息" / "delete my data" / "/erase" (Art. 47): asks to confirm with buttons (yes / no,
 *   valid `confirmMs`); yes (button or a typed 是 / yes) erases once — a double tap or an expired
 *   button is told so and erases nothing; no (or 不 / cancel) keeps everything; any other message
 *   drops the request, says so and goes on to the rest of the chain.
 *
 * Group messages pass untouched (the front desk lets only private ones reach this step). Each
 * private message costs one lookup of a waiting request.
 *
 * @example
 * const rights = dataRights({ desk: personalData, texts, timeZone: "Asia/Shanghai" });
 * const front = frontDesk({ cadres, followUp, before: [rights, triage(options)], residents });
 */
export function dataRights(options: DataRightsOptions): Middleware {
  const view = words(options.texts, "my_data");
  const erase = words(options.texts, "erase_data");
  // Typed answers to the confirmation: yes / no words, and the buttons' labels typed (WeChat has no buttons).
  const labels = (k: string) => LOCALES.map((l) => commandKey(options.texts.t(l)(`data_rights.button.${k}`)));
  const yes = new Set([...words(options.texts, "yes").keys, ...labels("yes")]);
  const no = new Set(
    ["no", "cancel", "erase_keep"].flatMap((k) => [...words(options.texts, k).keys]).concat(labels("no")),
  );
  const confirmMs = options.confirmMs ?? 10 * 60_000;
  const now = options.now ?? (() => new Date());
  const d = options.desk;

  async function translator(msg: Inbound, stored?: string): Promise<Translate> {
    const typed = msg.text ?? "";
    const fallback: Locale = CJK.test(typed) ? "zh-CN" : LATIN.test(typed) ? "en" : (options.defaultLocale ?? "zh-CN");
    const known = await options.localeOf?.(msg).catch(() => undefined);
    return options.texts.t(known ?? (isLocale(stored) ? stored : undefined) ?? msg.locale ?? fallback);
  }

  function overviewText(t: Translate, o: DataOverview): string {
    const none = t("data_rights.none_given");
    const channels = o.channels.map(
      (c) =>
        `${t(`data_rights.channel.${c.channel}`, { defaultValue: c.channel })}${c.count > 1 ? ` ×${c.count}` : ""}`,
    );
    const lines = [
      t("data_rights.overview.title"),
      t("data_rights.overview.name", { name: o.name ?? none }),
      t("data_rights.overview.phone", { phone: o.phone ?? none }),
      t("data_rights.overview.channels", {
        count: o.channels.reduce((n, c) => n + c.count, 0),
        kinds: channels.join("、") || none,
      }),
      o.cases.length ? t("data_rights.overview.cases", { count: o.cases.length }) : t("data_rights.overview.no_cases"),
      ...o.cases.map(
        (c) =>
          t("data_rights.overview.case", {
            caseNo: c.caseNo,
            state: t(`state.${c.state}`),
            category: t(`category.${c.category}`),
            date: toLocalDate(c.receivedAt, options.timeZone),
          }) + (c.anonymised ? t("data_rights.overview.anonymised") : ""),
      ),
      o.erasureRequestedAt ? t("data_rights.overview.requested") : t("data_rights.overview.how_to_erase"),
    ];
    return lines.join("\n");
  }

  return async function dataRights(msg, next) {
    if (msg.group) return next();
    const text = msg.text?.trim() ?? "";
    const button = msg.buttonId;
    if (!text && !button) return next();
    const key = commandKey(text.normalize("NFKC"));
    const slash = text.toLowerCase();
    const at = msg.receivedAt ?? now();

    if (button === ERASE_YES || button === ERASE_NO) {
      const t = await translator(msg);
      if (button === ERASE_NO) {
        const waiting = await d.erasurePending(msg.channel, msg.userId, at);
        if (waiting) await d.cancelErasure(msg.channel, msg.userId);
        return [reply(t(waiting ? "data_rights.kept" : "data_rights.expired"))];
      }
      return confirm(msg, t, at);
    }
    if (view.keys.has(key) || view.slash.has(slash)) {
      const o = await d.overviewOf(msg.channel, msg.userId);
      const t = await translator(msg, o?.locale);
      return [reply(o ? overviewText(t, o) : t("data_rights.nothing"))];
    }
    if (erase.keys.has(key) || erase.slash.has(slash)) {
      const t = await translator(msg);
      const asked = await d.askErasure(msg.channel, msg.userId, new Date(at.getTime() + confirmMs));
      if (!asked) return [reply(t("data_rights.nothing"))];
      return [
        reply(t("data_rights.confirm", { minutes: Math.round(confirmMs / 60_000) }), [
          { id: ERASE_YES, label: t("data_rights.button.yes") },
          { id: ERASE_NO, label: t("data_rights.button.no") },
        ]),
      ];
    }
    // A request waiting for confirmation: a typed yes confirms, no keeps, anything else drops it.
    if (!(await d.erasurePending(msg.channel, msg.userId, at))) return next();
    const t = await translator(msg);
    if (yes.has(key)) return confirm(msg, t, at);
    await d.cancelErasure(msg.channel, msg.userId);
    if (no.has(key)) return [reply(t("data_rights.kept"))];
    return [reply(t("data_rights.dropped")), ...(await next())];
  };

  async function confirm(msg: Inbound, t: Translate, at: Date): Promise<Reply[]> {
    const done = await d.confirmErasure(msg.channel, msg.userId, at);
    if (!done) return [reply(t("data_rights.expired"))];
    options.logger?.info(
      { channel: msg.channel, anonymised: done.anonymised.length, pending: done.pending.length },
      "personal data erased",
    );
    const lines = [t("data_rights.erased", { count: done.anonymised.length })];
    if (done.pending.length) lines.push(t("data_rights.erased_pending", { cases: done.pending.join("、") }));
    return [reply(lines.join("\n"))];
  }
}
