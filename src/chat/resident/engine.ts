import { randomUUID } from "node:crypto";
import {
  CATEGORIES, DailyCaseLimitError, InvalidCaseNumberError, codeAfterNumber, isCategory, parseCaseNumber,
  type Category, type Receipt,
} from "../../domain/index.js";
import { isLocale, type Locale, type Texts, type Translate } from "../../i18n.js";
import type { Nlu } from "../../nlu/index.js";
import { extractEntities, extractPhone, type PlaceList } from "../../nlu/entities.js";
import { hanRatio, isEmojiOnly, normalizeText } from "../../nlu/text.js";
import { KeyedSerial } from "../../keyed-serial.js";
import { redactPersonalData, type PersonalDataKind } from "../../privacy/index.js";
import { CommandMatcher, commandKey, type Command } from "./commands.js";
import { StaleSessionError, type SessionStore } from "./session-store.js";
import { initialState, type DialogState } from "./state.js";
import { MAX_ATTACHMENTS, OPTIONAL_SLOTS, SLOTS, type Button, type CaseDesk, type CaseStatus, type Inbound, type Reply, type Slot } from "./types.js";
import * as v from "./validate.js";

/** What is masked when a resident sees their own text back (the summary): numbers that should not sit on a screen. */
const OWN_TEXT_MASKED: readonly PersonalDataKind[] = ["id_number", "bank_card"];

/** Options of the {@link DialogEngine}. */
export interface DialogEngineOptions {
  texts: Texts;
  nlu: Nlu;
  store: SessionStore;
  desk: CaseDesk;
  /** IANA zone for dates (default Asia/Shanghai). */
  timeZone?: string;
  /** Locale for residents whose language is unknown. */
  defaultLocale?: Locale;
  /** Below this classifier confidence the form offers the top 3 categories (default 0.45). */
  threshold?: number;
  /** Phone number shown when handing over to staff. */
  hotline?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** Towns and villages of the district (config/places.default.json): a village named alone gets its town. */
  places?: PlaceList;
}

/** Invalid answers in a row after which skip / staff are offered. */
const MAX_ATTEMPTS = 2;
/** Times a turn is redone when another process wrote the same conversation meanwhile. */
const MAX_STALE_RETRIES = 5;
/** Message ids remembered per conversation for dropping duplicates. */
const SEEN_IDS = 50;

/** What one turn produces: the replies and the state to store. */
interface Turn {
  replies: Reply[];
  state: DialogState;
}

/**
 * The guided intake form (引导式登记): description → category → location → when → demands →
 * name → phone → summary → confirm. One instance serves every channel; state is persisted in
 * the SessionStore after every message, so a restart loses nothing. Messages of one
 * conversation are handled one at a time; a double "confirm" files one case.
 *
 * @example
 * const replies = await engine.handle({ channel: "web", userId: "u1", text: "村口路灯坏了半个月" });
 */
export class DialogEngine {
  private readonly commands: CommandMatcher;
  private labels: Set<string> | undefined;
  private readonly turns = new KeyedSerial();
  private readonly tz: string;
  private readonly now: () => Date;

  constructor(private readonly o: DialogEngineOptions) {
    this.commands = new CommandMatcher(o.texts);
    this.tz = o.timeZone ?? "Asia/Shanghai";
    this.now = o.now ?? (() => new Date());
  }

  /** Handles one inbound message and returns the replies to send, in order. Never throws for bad input. */
  async handle(msg: Inbound): Promise<Reply[]> {
    if (msg.group) return []; // residents file in private chats only; groups are for cadres
    const key = `${msg.channel}:${msg.userId}`;
    return this.turns.run(key, () => this.handleLocked(key, msg));
  }

  /** The stored state of a conversation (for tests and operators). */
  async peek(channel: string, userId: string): Promise<DialogState | undefined> {
    return (await this.o.store.read(`${channel}:${userId}`))?.value;
  }

  private async handleLocked(key: string, msg: Inbound): Promise<Reply[]> {
    for (let attempt = 0; ; attempt++) {
      const stored = await this.o.store.read(key);
      const state = stored?.value ?? initialState(msg.locale ?? this.o.defaultLocale ?? "zh-CN", randomUUID());
      if (msg.messageId && state.seen.includes(msg.messageId)) return [];
      // The channel's language is a first guess only; the resident's words (see start) and
      // an explicit switch win.
      if (!stored && msg.locale && isLocale(msg.locale)) state.locale = msg.locale;
      const stepBefore = state.step;
      const historyBefore = state.history.length;
      const turn = await this.turn(state, msg);
      if (msg.messageId && !msg.editOf) {
        const st = turn.state;
        st.seen = [...st.seen, msg.messageId].slice(-SEEN_IDS);
        st.lastMessage = [msg.messageId, stepBefore];
        // A text answer that was taken (also the first message, which starts the form with the
        // description): remember which slot it filled, for edits.
        const filled = st.history.length === historyBefore + 1 ? st.history[st.history.length - 1] : undefined;
        if (filled && msg.text !== undefined && (stepBefore === filled || stepBefore === null)) {
          st.answeredBy = [...(st.answeredBy ?? []), [msg.messageId, filled] as [string, Slot]].slice(-20);
        }
      }
      try {
        await this.o.store.write(key, turn.state, stored?.version ?? 0);
        return turn.replies;
      } catch (err) {
        if (!(err instanceof StaleSessionError)) throw err;
        // Another process answered this conversation in between: redo the turn on its state
        // (filing is idempotent, so a redone "confirm" finds the case already filed).
        if (attempt < MAX_STALE_RETRIES) {
          await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (attempt + 1)));
          continue;
        }
        const t = this.o.texts.t(state.locale);
        return [{ text: t("busy"), buttons: [], expects: state.step, caseNo: null }];
      }
    }
  }

  private async turn(s: DialogState, msg: Inbound): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const kind = msg.kind ?? "text";
    const raw = msg.text ?? "";
    const text = normalizeText(raw);

    if (msg.attachment && s.form.attachments === undefined) s.form.attachments = [];
    if (msg.attachment) {
      // Photos and files are kept with the form by reference; the question stays the same.
      const list = s.form.attachments!;
      const kept = list.length < MAX_ATTACHMENTS;
      const caption = msg.attachment.caption ? normalizeText(msg.attachment.caption).slice(0, 500) : undefined;
      if (kept) list.push({ kind: msg.attachment.kind, fileId: msg.attachment.fileId.slice(0, 300), ...(caption ? { caption } : {}), channel: msg.channel });
      if (!s.step) s.step = "description";
      const key = kept ? "attachment.kept" : "attachment.full";
      return this.say(s, [this.reply(s, t(key, { count: list.length, max: MAX_ATTACHMENTS }), []), this.ask(s)]);
    }
    if (kind !== "text" && kind !== "location" && kind !== "contact") {
      return this.say(s, [this.reply(s, t(`nontext.${kind === "photo" || kind === "voice" || kind === "video" || kind === "document" || kind === "sticker" ? kind : "other"}`), this.buttonsFor(s, t))]);
    }
    if (msg.buttonId === "resume") {
      // A page (re)load or /start: pick the conversation up where it was, never reset it.
      if (s.step) return this.say(s, [this.reply(s, t("welcome_back"), []), this.ask(s)]);
      s.step = "description";
      return this.say(s, [this.reply(s, t("welcome"), []), this.ask(s)]);
    }
    if ((kind === "location" || kind === "contact") && text) {
      // A shared location fills the place; a shared contact fills the phone — at any step.
      const slot: Slot = kind === "location" ? "location" : "phone";
      const value = kind === "contact" ? extractPhone(text) : text.slice(0, 200);
      if (!value) return this.invalid(s, "not_a_phone");
      if (kind === "location") s.form.location = value;
      else s.form.phone = value;
      if (!s.step) {
        s.step = "description";
        return this.say(s, [this.reply(s, t("shared.kept", { field: t(`field.${slot}`), value }), []), this.ask(s)]);
      }
      if (s.step === slot) {
        this.markAnswered(s, slot);
        return this.advance(s, [this.reply(s, t("shared.kept", { field: t(`field.${slot}`), value }), [])]);
      }
      return this.say(s, [this.reply(s, t("shared.kept", { field: t(`field.${slot}`), value }), []), this.ask(s)]);
    }
    if (msg.editOf) return this.edit(s, msg.editOf, text);

    // Buttons: by id, by number (at choice steps) or by label.
    let choice = msg.buttonId ?? this.choiceFromText(s, text);

    if (!choice) {
      if (!text) return this.invalid(s, "empty");
      if (isEmojiOnly(text)) return this.invalid(s, "emoji");
    }

    const cmd: Command | null = choice ? this.commandFromButton(choice) : this.commands.match(text);
    if (cmd === "lang_en" || cmd === "lang_zh") {
      s.locale = cmd === "lang_en" ? "en" : "zh-CN";
      s.localeChosen = true;
      const t2 = this.o.texts.t(s.locale);
      return this.say(s, [this.reply(s, t2("lang.switched"), []), ...(s.step ? [this.ask(s)] : [])]);
    }
    if (cmd === "help") return this.say(s, [this.reply(s, t("help.text", { hotline: this.o.hotline ?? "12345" }), []), ...(s.step ? [this.ask(s)] : [])]);
    if (cmd === "cancel" && (s.editing || s.mode === "edit_menu")) {
      // Cancelling an edit keeps the finished form: back to the summary.
      s.editing = false;
      s.mode = "form";
      s.step = "confirm";
      s.attempts = 0;
      return this.say(s, [this.reply(s, t("edit.cancelled"), []), this.summary(s)]);
    }
    if (cmd === "cancel") {
      const had = s.step !== null;
      this.resetForm(s);
      return this.say(s, [this.reply(s, t(had ? "cancel.done" : "cancel.nothing"), [])]);
    }
    if (cmd === "restart") {
      this.resetForm(s);
      s.step = "description";
      return this.say(s, [this.reply(s, t("restart.done"), []), this.ask(s)]);
    }
    if (cmd === "staff") return this.handoff(s, msg, "asked");
    if (!cmd && !choice && /^\/[a-z_]+(\s|$)/i.test(text) && this.commands.matchStatus(text) === null) {
      // A slash command the resident form does not know (e.g. a cadre command): explain.
      return this.say(s, [this.reply(s, t("help.text", { hotline: this.o.hotline ?? "12345" }), []), ...(s.step ? [this.ask(s)] : [])]);
    }

    if (!choice) {
      const lost = this.commands.matchNewCode(text);
      if (lost !== null) return this.newCode(s, msg, lost);
      const status = this.commands.matchStatus(text);
      if (status !== null) return this.status(s, msg, status, text);
    }

    if (s.step === null) {
      if ((cmd === "confirm" || cmd === "yes") && s.lastCaseNo) {
        return this.say(s, [this.reply(s, t("confirm.already", { caseNo: s.lastCaseNo }), [], s.lastCaseNo)]);
      }
      if (cmd === "back" || cmd === "skip" || cmd === "edit" || cmd === "confirm" || cmd === "yes" || cmd === "no" || choice || this.isStaleLabel(text)) {
        return this.say(s, [this.reply(s, t("idle.no_form"), [])]);
      }
      return this.start(s, msg, text);
    }

    if (cmd === "back") return this.back(s);
    if (cmd === "skip") return this.skip(s);
    if (s.step === "confirm") return this.confirmStep(s, msg, choice, cmd, text);
    if (s.step === "category") return this.categoryStep(s, choice, cmd, text);
    if (choice || cmd === "confirm" || cmd === "edit" || this.isStaleLabel(text)) {
      // A button of an earlier question, or a command that does not apply here.
      return this.say(s, [this.reply(s, t("button.unknown"), []), this.ask(s)]);
    }
    return this.answer(s, s.step, text);
  }

  // ── steps ────────────────────────────────────────────────────────────────

  private async start(s: DialogState, msg: Inbound, text: string): Promise<Turn> {
    if (!s.localeChosen) {
      const letters = (text.match(/\p{L}/gu) ?? []).length;
      if (letters >= 3) s.locale = hanRatio(text) < 0.2 && /[A-Za-z]/.test(text) ? "en" : hanRatio(text) > 0.5 ? "zh-CN" : s.locale;
    }
    const t = this.o.texts.t(s.locale);
    const u = this.o.nlu.understand(text);
    if (u.intent) {
      switch (u.intent) {
        case "greeting":
        case "offtopic":
          this.resetForm(s);
          s.step = "description";
          return this.say(s, [this.reply(s, t(u.intent === "greeting" ? "welcome" : "offtopic"), []), this.ask(s)]);
        case "help":
          return this.say(s, [this.reply(s, t("help.text", { hotline: this.o.hotline ?? "12345" }), [])]);
        case "thanks":
          return this.say(s, [this.reply(s, t("thanks"), [])]);
        case "cancel":
          return this.say(s, [this.reply(s, t("cancel.nothing"), [])]);
        case "check_status":
          return this.status(s, msg, "");
        case "talk_to_staff":
          return this.handoff(s, msg, "asked");
      }
    }
    this.resetForm(s);
    s.step = "description";
    return this.answer(s, "description", text);
  }

  /** Takes a free-text answer for `slot`, or re-asks with a hint. */
  private async answer(s: DialogState, slot: Slot, text: string): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const now = this.now();
    const notes: Reply[] = [];
    switch (slot) {
      case "description": {
        const r = v.validateDescription(text);
        if (!r.ok) return this.invalid(s, r.reason);
        s.form.description = r.value.text;
        s.form.descriptionTruncated = r.value.truncated;
        if (r.value.truncated) notes.push(this.reply(s, t("description.truncated", { max: r.value.text.length }), []));
        const e = extractEntities(r.value.text, now, this.tz, { places: this.o.places });
        if (e.phone && !s.form.phone) s.form.phone = e.phone;
        if (e.date && !s.form.occurredText) {
          s.form.occurredText = e.date.text;
          s.form.occurredOn = e.date.date;
          s.form.occurredPrecision = e.date.precision;
        }
        if (e.place && !s.form.location) s.form.location = e.place;
        const u = this.o.nlu.understand(r.value.text);
        s.form.suggestedCategory = u.category;
        s.form.classifierScore = Math.round(u.confidence * 1000) / 1000;
        s.offered = u.confidence >= (this.o.threshold ?? 0.45) ? [u.category] : u.top3.map((x) => x.category).filter((c) => c !== "other").slice(0, 3);
        if (s.editing) s.form.category = undefined;
        break;
      }
      case "location": {
        const r = v.validateLocation(text, now, this.tz, this.o.places);
        if (!r.ok) return this.invalid(s, r.reason);
        s.form.location = r.value;
        break;
      }
      case "occurredAt": {
        const r = v.validateOccurredAt(text, now, this.tz);
        if (!r.ok) return this.invalid(s, r.reason);
        s.form.occurredText = r.value.text;
        s.form.occurredOn = r.value.date;
        s.form.occurredPrecision = r.value.precision;
        break;
      }
      case "demands": {
        const r = v.validateDemands(text);
        if (!r.ok) return this.invalid(s, r.reason);
        s.form.demands = r.value;
        break;
      }
      case "name": {
        const r = v.validateName(text);
        if (!r.ok) return this.invalid(s, r.reason);
        s.form.name = r.value;
        break;
      }
      case "phone": {
        const r = v.validatePhone(text);
        if (!r.ok) return this.invalid(s, r.reason);
        s.form.phone = r.value;
        break;
      }
      case "category":
        return this.categoryStep(s, undefined, null, text);
    }
    this.markAnswered(s, slot);
    return this.advance(s, notes);
  }

  private async categoryStep(s: DialogState, choice: string | undefined, cmd: Command | null, text: string): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const single = s.offered.length === 1 ? s.offered[0] : undefined;
    let picked: Category | undefined;
    if (choice?.startsWith("cat:")) {
      const id = choice.slice(4);
      if (id === "more") {
        s.offered = [...CATEGORIES];
        return this.say(s, [this.ask(s)]);
      }
      if (isCategory(id)) picked = id;
    } else if ((cmd === "yes" || cmd === "confirm") && single) {
      picked = single;
    } else if (cmd === "no") {
      s.offered = [...CATEGORIES];
      return this.say(s, [this.ask(s)]);
    } else if (!choice && text) {
      const named = CATEGORIES.find((c) => commandKey(t(`category.${c}`)) === commandKey(text) || c === commandKey(text));
      if (named) picked = named;
      else {
        // "不是，是工资的问题": the resident explains — classify what they said and ask again.
        const u = this.o.nlu.understand(text.replace(/^(不是|不对|no|not)[\s,，。.]*/i, ""));
        if (!u.intent && u.confidence >= (this.o.threshold ?? 0.45) && u.category !== single) {
          s.offered = [u.category];
          s.attempts = 0;
          return this.say(s, [this.ask(s)]);
        }
      }
    }
    if (!picked) {
      if (s.attempts >= 1) s.offered = [...CATEGORIES];
      return this.invalid(s, "choose_button");
    }
    s.form.category = picked;
    this.markAnswered(s, "category");
    return this.advance(s, []);
  }

  private async confirmStep(s: DialogState, msg: Inbound, choice: string | undefined, cmd: Command | null, text: string): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    if (s.mode === "edit_menu") {
      const slot = choice?.startsWith("edit:") ? (choice.slice(5) as Slot) : undefined;
      if (slot && (SLOTS as readonly string[]).includes(slot)) {
        s.mode = "form";
        s.editing = true;
        s.step = slot;
        s.attempts = 0;
        if (slot === "category") s.offered = [...CATEGORIES];
        return this.say(s, [this.ask(s)]);
      }
      if (cmd === "no" || choice === "summary") {
        s.mode = "form";
        return this.say(s, [this.summary(s)]);
      }
      return this.invalid(s, "choose_button");
    }
    if (s.mode === "same_matter") {
      // "Is this about your case XF-…?" — yes links it (or marks a repeat visit), no files a new case.
      const yes = choice === "same:yes" || (!choice && (cmd === "yes" || cmd === "confirm"));
      const no = choice === "same:no" || (!choice && cmd === "no");
      if (!yes && !no) return this.invalid(s, "choose_button");
      s.form.sameAs = yes ? s.sameCandidate?.caseNo ?? null : null;
      s.mode = "form";
      s.sameCandidate = undefined;
      return this.submit(s, msg);
    }
    // The summary asks once whether the matter, without personal data, may be listed publicly
    // (Open311 reads): "确认并同意匿名公开" says yes; a plain confirm says no.
    if (choice === "confirm:public") {
      s.form.publicConsent = true;
      return this.submit(s, msg);
    }
    if (cmd === "confirm" || cmd === "yes") {
      s.form.publicConsent ??= false;
      return this.submit(s, msg);
    }
    if (cmd === "edit" || cmd === "no") {
      s.form.sameAs = undefined;
      s.mode = "edit_menu";
      return this.say(s, [this.editMenu(s)]);
    }
    if (text && extractPhone(text)) return this.invalid(s, "phone_at_confirm");
    return this.invalid(s, "yes_no");
  }

  private async submit(s: DialogState, msg: Inbound): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const f = s.form;
    if (!f.description || !f.category) {
      s.step = !f.description ? "description" : "category";
      return this.say(s, [this.ask(s)]);
    }
    if (f.sameAs === undefined && this.o.desk.priorMatter) {
      // An earlier case of the same kind at the same place: ask before filing (Art. 19 ¶3).
      const prior = await this.o.desk.priorMatter({ channel: msg.channel, userId: msg.userId, form: f, now: msg.receivedAt ?? this.now() }).catch(() => null);
      if (prior) {
        s.mode = "same_matter";
        s.sameCandidate = { caseNo: prior.caseNo, state: prior.state, received: prior.receivedDate, category: prior.category };
        return this.say(s, [this.ask(s)]);
      }
      f.sameAs = null;
    }
    let receipt: Receipt;
    try {
      receipt = await this.o.desk.submit({
        key: s.formId,
        channel: msg.channel,
        userId: msg.userId,
        chatId: msg.chatId ?? msg.userId,
        locale: s.locale,
        form: { ...f, description: f.description, category: f.category },
        receivedAt: msg.receivedAt ?? this.now(),
      });
    } catch (err) {
      // Nothing was saved (one transaction); the answers stay so "confirm" can be sent again —
      // after a refusal at the day's limit (issue #14) too, with the resident's open cases.
      if (err instanceof DailyCaseLimitError) {
        return this.say(s, [this.reply(s, this.dailyLimitText(t, err), this.buttonsFor(s, t))]);
      }
      return this.say(s, [this.reply(s, t("submit.failed", { hotline: this.o.hotline ?? "12345" }), this.buttonsFor(s, t))]);
    }
    const locale = s.locale;
    const lastFormId = s.formId;
    this.resetForm(s);
    s.lastCaseNo = receipt.caseNo;
    s.lastFormId = lastFormId;
    const text = receipt.disposition === "linked" || receipt.disposition === "final"
      ? t(`same.${receipt.disposition}`, { caseNo: receipt.caseNo, state: t(`state.${receipt.state}`), unit: this.unitName(t, receipt, locale), replyDue: receipt.replyDueDate })
      : receipt.disposition === "repeat"
        ? `${this.receiptText(t, receipt, locale)}\n${t("same.repeat", { earlier: receipt.repeatOf })}`
        : this.receiptText(t, receipt, locale);
    return this.say(s, [this.reply(s, text, [], receipt.caseNo)]);
  }

  /** The kind answer at the day's limit: how many, the open cases, what to do instead. */
  private dailyLimitText(t: Translate, err: DailyCaseLimitError): string {
    const lines = err.openCases.map((c) => t("status.line", {
      caseNo: c.caseNo, state: t(`state.${c.state}`), category: t(`category.${c.category}`), date: c.receivedDate,
    }));
    return [
      t("submit.daily_limit", { limit: err.limit }), ...(lines.length ? [t("submit.daily_limit_open"), ...lines] : []),
      t("submit.daily_limit_next", { hotline: this.o.hotline ?? "12345" }),
    ].join("\n");
  }

  /** "查询码 XF-…": a new enquiry code for the resident's own case, shown once. */
  private async newCode(s: DialogState, msg: Inbound, numberText: string): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const after = s.step ? [this.ask(s)] : [];
    let caseNo: string;
    try {
      caseNo = parseCaseNumber(numberText);
    } catch (err) {
      if (err instanceof InvalidCaseNumberError) return this.say(s, [this.reply(s, t("status.bad_number", { input: numberText.slice(0, 30) }), []), ...after]);
      throw err;
    }
    const code = await this.o.desk.reissueEnquiryCode(msg.channel, msg.userId, caseNo);
    const text = code ? t("status.new_code", { caseNo, code }) : t("status.new_code_not_found", { caseNo });
    return this.say(s, [this.reply(s, text, [], code ? caseNo : null), ...after]);
  }

  private async status(s: DialogState, msg: Inbound, numberText: string, text = ""): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const after = s.step ? [this.ask(s)] : [];
    if (!numberText) {
      const list = await this.o.desk.recent(msg.channel, msg.userId, 5);
      if (list.length === 0) return this.say(s, [this.reply(s, t("status.none"), []), ...after]);
      const lines = list.map((c) => t("status.line", { caseNo: c.caseNo, state: t(`state.${c.state}`), category: t(`category.${c.category}`), date: c.receivedDate }));
      return this.say(s, [this.reply(s, [t("status.list"), ...lines, t("status.how")].join("\n"), []), ...after]);
    }
    let caseNo: string;
    try {
      caseNo = parseCaseNumber(numberText);
    } catch (err) {
      if (err instanceof InvalidCaseNumberError) return this.say(s, [this.reply(s, t("status.bad_number", { input: numberText.slice(0, 30) }), []), ...after]);
      throw err;
    }
    // "查询 XF-… 码 ABC234": the enquiry code proves the case from a chat that did not file it.
    const at = numberText ? text.indexOf(numberText) : -1;
    const code = at >= 0 ? codeAfterNumber(text.slice(at + numberText.length)) : null;
    let granted = false;
    if (code) {
      const outcome = await this.o.desk.enquire(msg.channel, msg.userId, caseNo, code);
      if (outcome.kind === "locked") {
        const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - Date.now()) / 60_000));
        return this.say(s, [this.reply(s, t("status.code_locked", { minutes, hotline: this.o.hotline ?? "12345" }), []), ...after]);
      }
      if (outcome.kind === "refused") return this.say(s, [this.reply(s, t("status.code_wrong"), []), ...after]);
      granted = true;
    }
    const found = await this.o.desk.status(msg.channel, msg.userId, caseNo);
    if (!found) return this.say(s, [this.reply(s, t("status.not_found", { caseNo }), []), ...after]);
    const shown = granted ? `${this.statusText(t, found, s.locale)}\n${t("status.code_ok")}` : this.statusText(t, found, s.locale);
    return this.say(s, [this.reply(s, shown, []), ...after]);
  }

  private async handoff(s: DialogState, msg: Inbound, reason: string): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    let notified = 0;
    try {
      notified = await this.o.desk.handoff({ channel: msg.channel, userId: msg.userId, chatId: msg.chatId ?? msg.userId, locale: s.locale, reason, form: s.form });
    } catch {
      notified = 0;
    }
    // Only say staff were told when someone was: otherwise give the hotline.
    const text = t(notified > 0 ? "staff.requested" : "staff.failed", { hotline: this.o.hotline ?? "12345" });
    return this.say(s, [this.reply(s, text, []), ...(s.step ? [this.ask(s)] : [])]);
  }

  /**
   * An edited message: if it answered a field of the open form, that field is re-checked and
   * updated; if it was the last message and was not taken, it answers the current step again;
   * otherwise (a filed petition, a command) it is acknowledged and nothing changes.
   */
  private async edit(s: DialogState, messageId: string, text: string): Promise<Turn> {
    const t = this.o.texts.t(s.locale);
    const slot = s.answeredBy?.find(([id]) => id === messageId)?.[1];
    if (s.step && slot && slot !== "category") {
      const saved = { step: s.step, editing: s.editing, mode: s.mode };
      s.step = slot;
      s.editing = true;
      const turn = await this.answer(s, slot, text);
      if (s.step === slot) {
        // The edited text is not valid for that field: keep the old value, say why.
        Object.assign(s, saved);
        s.attempts = 0;
        return this.say(s, [...turn.replies.slice(0, 1).map((r) => ({ ...r, text: r.text.split("\n\n")[0]! })), this.ask(s)]);
      }
      Object.assign(s, saved);
      // A new description may mean a new category: ask for it before anything else.
      if (slot === "description" && !s.form.category) {
        s.step = "category";
        s.mode = "form";
      }
      return this.say(s, [this.reply(s, t("edit.applied", { field: t(`field.${slot}`) }), []), this.ask(s)]);
    }
    if (s.step && s.lastMessage?.[0] === messageId && s.lastMessage[1] === s.step && s.step !== "confirm") {
      return this.answer(s, s.step as Slot, text);
    }
    return this.say(s, [this.reply(s, t("edit.ignored"), []), ...(s.step ? [this.ask(s)] : [])]);
  }

  private back(s: DialogState): Turn {
    const t = this.o.texts.t(s.locale);
    if (s.mode === "edit_menu" || s.mode === "same_matter") {
      s.sameCandidate = undefined;
      s.mode = "form";
      return this.say(s, [this.summary(s)]);
    }
    const at = s.step === "confirm" || !s.history.includes(s.step as Slot) ? s.history.length : s.history.indexOf(s.step as Slot);
    const prev = s.history[at - 1];
    if (!prev || prev === s.step) return this.say(s, [this.reply(s, t("back.first"), []), this.ask(s)]);
    s.step = prev;
    s.attempts = 0;
    s.editing = false;
    if (prev === "category") s.offered = s.form.suggestedCategory ? [s.form.suggestedCategory] : [...CATEGORIES];
    const asked = this.ask(s);
    const current = this.currentValue(s, prev);
    return this.say(s, [current ? { ...asked, text: `${asked.text}\n${t("ask.current", { value: current })}` } : asked]);
  }

  private skip(s: DialogState): Turn {
    const t = this.o.texts.t(s.locale);
    const slot = s.step;
    if (!slot || slot === "confirm" || slot === "description" || slot === "category") {
      return this.say(s, [this.reply(s, t("skip.not_here"), []), this.ask(s)]);
    }
    if (!OPTIONAL_SLOTS.has(slot) && s.attempts < MAX_ATTEMPTS) {
      return this.say(s, [this.reply(s, t("skip.required", { field: t(`field.${slot}`) }), []), this.ask(s)]);
    }
    delete s.form[slot === "occurredAt" ? "occurredText" : slot];
    if (slot === "occurredAt") delete s.form.occurredOn;
    this.markAnswered(s, slot);
    return this.advance(s, []);
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private advance(s: DialogState, notes: Reply[]): Turn {
    s.attempts = 0;
    if (s.editing) {
      s.editing = false;
      // Editing the description may have changed the category suggestion: ask it again.
      if (!s.form.category) {
        s.step = "category";
        return this.say(s, [...notes, this.ask(s)]);
      }
      s.step = "confirm";
      return this.say(s, [...notes, this.summary(s)]);
    }
    const next = SLOTS.find((slot) => !s.history.includes(slot) && !this.filled(s, slot));
    if (!next) {
      s.step = "confirm";
      return this.say(s, [...notes, this.summary(s)]);
    }
    s.step = next;
    return this.say(s, [...notes, this.ask(s)]);
  }

  private filled(s: DialogState, slot: Slot): boolean {
    const f = s.form;
    return slot === "occurredAt" ? f.occurredText !== undefined : f[slot] !== undefined;
  }

  private markAnswered(s: DialogState, slot: Slot): void {
    if (!s.history.includes(slot)) s.history.push(slot);
  }

  private invalid(s: DialogState, reason: string): Turn {
    const t = this.o.texts.t(s.locale);
    if (!s.step) {
      const key = reason === "emoji" ? "hint.emoji_idle" : "hint.empty_idle";
      return this.say(s, [this.reply(s, t(key), [])]);
    }
    s.attempts++;
    const specific = `hint.${reason}_${s.step}`;
    const hint = t(this.o.texts.has(s.locale, specific) ? specific : `hint.${reason}`, { field: t(`field.${s.step === "confirm" ? "confirm" : s.step}`) });
    const asked = this.ask(s);
    if (s.step === "category" && s.attempts >= MAX_ATTEMPTS) {
      const asked2 = this.ask(s);
      return this.say(s, [{ ...asked2, text: `${hint}\n${t("offer.after_attempts", { hotline: this.o.hotline ?? "12345" })}\n\n${asked2.text}`, buttons: [...asked2.buttons, { id: "staff", label: t("button.staff") }] }]);
    }
    if (s.attempts >= MAX_ATTEMPTS && s.step !== "confirm" && s.step !== "category") {
      const buttons: Button[] = [];
      if (s.step !== "description") buttons.push({ id: "skip", label: t("button.skip") });
      buttons.push({ id: "staff", label: t("button.staff") });
      const offer = s.step === "description" ? "offer.staff_only" : OPTIONAL_SLOTS.has(s.step as Slot) ? "offer.after_attempts" : "offer.after_attempts_required";
      return this.say(s, [this.reply(s, `${hint}\n${t(offer, { hotline: this.o.hotline ?? "12345" })}\n\n${asked.text}`, buttons)]);
    }
    return this.say(s, [{ ...asked, text: `${hint}\n\n${asked.text}` }]);
  }

  /** The question for the current step, with its buttons. */
  private ask(s: DialogState): Reply {
    const t = this.o.texts.t(s.locale);
    if (s.step === "confirm" && s.mode === "same_matter" && s.sameCandidate) {
      const c = s.sameCandidate;
      return this.reply(s, t("same.ask", { caseNo: c.caseNo, received: c.received, category: t(`category.${c.category}`), state: t(`state.${c.state}`) }), [
        { id: "same:yes", label: t("same.button_yes") },
        { id: "same:no", label: t("same.button_no") },
      ]);
    }
    if (s.step === "confirm") return s.mode === "edit_menu" ? this.editMenu(s) : this.summary(s);
    if (s.step === "category") {
      if (s.offered.length === 1) {
        const c = s.offered[0]!;
        return this.reply(s, t("ask.category_confirm", { category: t(`category.${c}`) }), [
          { id: `cat:${c}`, label: t("button.yes") },
          { id: "cat:more", label: t("button.other_category") },
        ]);
      }
      const list = s.offered.length ? s.offered : [...CATEGORIES];
      const buttons = list.map((c) => ({ id: `cat:${c}`, label: t(`category.${c}`) }));
      if (list.length < CATEGORIES.length) buttons.push({ id: "cat:more", label: t("button.other_category") });
      return this.reply(s, t(list.length < CATEGORIES.length ? "ask.category_top" : "ask.category_list"), buttons);
    }
    const slot = s.step ?? "description";
    const current = s.editing ? this.currentValue(s, slot) : null;
    const text = t(`ask.${slot}`) + (current ? `\n${t("ask.current", { value: current })}` : "");
    return this.reply(s, text, this.buttonsFor(s, t));
  }

  private buttonsFor(s: DialogState, t: Translate): Button[] {
    if (s.step === "confirm") return this.summary(s).buttons;
    if (s.step && s.step !== "description" && s.step !== "category" && OPTIONAL_SLOTS.has(s.step)) return [{ id: "skip", label: t("button.skip") }];
    return [];
  }

  private currentValue(s: DialogState, slot: Slot): string | null {
    const f = s.form;
    const v = slot === "occurredAt" ? f.occurredText : slot === "category" ? undefined : f[slot];
    return typeof v === "string" && v ? v.slice(0, 200) : null;
  }

  private summary(s: DialogState): Reply {
    const t = this.o.texts.t(s.locale);
    const f = s.form;
    const none = t("summary.none");
    const desc = f.description ? redactPersonalData(f.description, { kinds: OWN_TEXT_MASKED }) : none;
    const line = (field: string, value: string) => t("summary.line", { field: t(`field.${field}`), value });
    const lines = [
      t("summary.title"),
      line("description", desc.length > 300 ? `${desc.slice(0, 300)}…` : desc),
      line("category", f.category ? t(`category.${f.category}`) : none),
      line("location", f.location ?? none),
      line("occurredAt", f.occurredText ? f.occurredText + this.dateNote(f.occurredOn, f.occurredPrecision, f.occurredText) : none),
      line("demands", f.demands ?? none),
      line("name", f.name ?? none),
      line("phone", f.phone ?? none),
      "",
      t("summary.question"),
    ];
    return this.reply(s, lines.join("\n"), [
      { id: "confirm", label: t("button.confirm") },
      { id: "edit", label: t("button.edit") },
      { id: "cancel", label: t("button.cancel") },
      { id: "confirm:public", label: t("button.confirm_public") },
    ], null);
  }

  /** " (2026-10)" after the resident's words, at the precision they gave; "" when redundant. */
  private dateNote(date: string | undefined, precision: "day" | "month" | "year" | undefined, text: string): string {
    if (!date) return "";
    const shown = precision === "year" ? date.slice(0, 4) : precision === "month" ? date.slice(0, 7) : date;
    return text.includes(shown) ? "" : ` (${shown})`;
  }

  private editMenu(s: DialogState): Reply {
    const t = this.o.texts.t(s.locale);
    const buttons = SLOTS.map((slot) => ({ id: `edit:${slot}`, label: t(`field.${slot}`) }));
    buttons.push({ id: "summary", label: t("button.back_to_summary") });
    return this.reply(s, t("edit.which"), buttons);
  }

  private unitName(t: Translate, r: Receipt, locale: Locale): string {
    return (locale === "en" ? r.unitNameEn ?? r.unitName : r.unitName) ?? t("receipt.unit_pending");
  }

  private receiptText(t: Translate, r: Receipt, locale: Locale): string {
    const code = r.enquiryCode ? t("receipt.code", { caseNo: r.caseNo, code: r.enquiryCode }) : t("receipt.code_sent_before", { caseNo: r.caseNo });
    return `${this.receiptBody(t, r, locale)}\n${code}`;
  }

  private receiptBody(t: Translate, r: Receipt, locale: Locale): string {
    return t("receipt.text", {
      caseNo: r.caseNo,
      category: t(`category.${r.category}`),
      unit: this.unitName(t, r, locale),
      colour: t(`colour.${r.colour}`),
      colourDue: r.colourDueDate,
      replyDue: r.replyDueDate,
      received: r.receivedDate,
    });
  }

  private statusText(t: Translate, c: CaseStatus, locale: Locale): string {
    return t("status.text", {
      caseNo: c.caseNo,
      category: t(`category.${c.category}`),
      state: t(`state.${c.state}`),
      unit: this.unitName(t, c, locale),
      colour: t(`colour.${c.colour}`),
      colourDue: c.colourDueDate,
      replyDue: c.replyDueDate,
      received: c.receivedDate,
    });
  }

  /** A reply; its `expects` is set by say() from the state after the turn. */
  private reply(s: DialogState, text: string, buttons: Button[], caseNo: string | null = null): Reply {
    return { text, buttons, expects: s.step, caseNo };
  }

  private say(s: DialogState, replies: Reply[]): Turn {
    // `expects` must describe the state after the turn, for every reply of it.
    const last = replies[replies.length - 1];
    const buttons = last?.buttons ?? [];
    s.lastButtons = buttons;
    return { replies: replies.map((r) => ({ ...r, expects: s.step })), state: s };
  }

  private resetForm(s: DialogState): void {
    s.step = null;
    s.mode = "form";
    s.formId = randomUUID();
    s.form = {};
    s.history = [];
    s.attempts = 0;
    s.editing = false;
    s.offered = [];
    s.lastButtons = [];
  }

  /**
   * Maps typed text to a button of the last reply: its label anywhere, its number (1…n) only
   * at choice steps (category, summary, edit menu) — at a text step a number is an answer.
   */
  private choiceFromText(s: DialogState, text: string): string | undefined {
    const buttons = s.lastButtons ?? [];
    if (!text || buttons.length === 0) return undefined;
    const k = commandKey(text);
    const byLabel = buttons.find((b) => commandKey(b.label) === k || b.id === text.trim());
    if (byLabel) return byLabel.id;
    const isChoiceStep = s.step === "category" || s.step === "confirm";
    const n = /^\s*(\d{1,2})\s*$/.exec(text);
    if (isChoiceStep && n) return buttons[Number(n[1]) - 1]?.id;
    return undefined;
  }

  /** True when `text` is the label of one of the bot's buttons or fields (an old button). */
  private isStaleLabel(text: string): boolean {
    if (!this.labels) {
      this.labels = new Set<string>();
      for (const locale of ["zh-CN", "en"] as const) {
        const t = this.o.texts.t(locale);
        for (const key of ["yes", "other_category", "skip", "staff", "cancel", "confirm", "confirm_public", "edit", "back_to_summary"]) this.labels.add(commandKey(t(`button.${key}`)));
        for (const slot of SLOTS) this.labels.add(commandKey(t(`field.${slot}`)));
        for (const c of CATEGORIES) this.labels.add(commandKey(t(`category.${c}`)));
      }
    }
    return this.labels.has(commandKey(text));
  }

  private commandFromButton(id: string): Command | null {
    const map: Record<string, Command> = {
      skip: "skip", staff: "staff", cancel: "cancel", confirm: "confirm", edit: "edit", yes: "yes", no: "no", back: "back", help: "help", restart: "restart",
      "lang:en": "lang_en", "lang:zh-CN": "lang_zh",
    };
    return map[id] ?? null;
  }
}
