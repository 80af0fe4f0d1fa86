import { randomInt } from "node:crypto";
import type { Db } from "../db/database.js";
import type { Inbound, Reply } from "./resident/index.js";
import {
  READABLE_CODE_ALPHABET, ActionRefusedError, CaseNotFoundError, ForbiddenActionError, InvalidTransitionError,
  OPEN_STATES, allowedActions, isCadreRole, parseCaseNumber, toLocalDate,
  type Actor, type CadreRole, type CaseAction, type CaseState,
} from "../domain/index.js";
import { isLocale, type Locale, type Texts, type Translate } from "../i18n.js";
import { normalizeText } from "../nlu/text.js";
import { maskPhone, redactPersonalData } from "../privacy/index.js";
import { ConcurrentTransitionError, type CaseWorkflow } from "../cases/case-workflow.js";
import { triageLines } from "./triage-lines.js";

/** Options of the {@link CadreDesk}. */
export interface CadreDeskOptions {
  db: Db;
  workflow: CaseWorkflow;
  texts: Texts;
  timeZone: string;
  now?: () => Date;
}

/** Letters of invite codes: no 0/O/1/I/L, easy to read out and type. */
const CODE_ALPHABET = READABLE_CODE_ALPHABET;
/** Default life of an invite code, in hours. */
export const INVITE_TTL_HOURS = 72;

/** Actions a cadre can take from a button or command, and whether they need a note. */
const ACTIONS: Record<string, { action: CaseAction; note: boolean }> = {
  accept: { action: "accept", note: false },
  object: { action: "object", note: true },
  progress: { action: "report_progress", note: true },
  extend: { action: "extend", note: true },
  reply: { action: "reply", note: true },
  decline: { action: "decline", note: true },
  close: { action: "close", note: false },
};
const ACTION_NAMES: Partial<Record<CaseAction, string>> = { accept: "accept", object: "object", report_progress: "progress", extend: "extend", reply: "reply", decline: "decline", close: "close" };

/**
 * Buttons (`c:<action>:<caseNo>`) for the cadre actions a case's state allows; permission is
 * checked when one is pressed. `only` keeps a subset (a new case offers accept and object).
 */
export function caseActionButtons(t: Translate, state: CaseState, caseNo: string, only?: readonly string[]): Reply["buttons"] {
  return allowedActions(state)
    .map((a) => ACTION_NAMES[a])
    .filter((n): n is string => n !== undefined && (!only || only.includes(n)))
    .map((n) => ({ id: `c:${n}:${caseNo}`, label: t(`cadre.button.${n}`) }));
}

interface CadreRow { id: string; unitId: string; role: string; name: string; locale: string }
interface Pending { action: string; caseNo: string }

/**
 * Where cadres (干部) work cases from their chat, on every channel: `/bind CODE` links a chat to
 * an invited cadre; then `/cases`, `/case NO`, `/accept NO`, `/object NO reason`, `/progress NO
 * text`, `/extend NO days reason`, `/reply NO opinion`, `/decline NO procedure`, `/assign NO unit`
 * and the buttons on case notifications (`c:<action>:<caseNo>`). Returns null for messages that
 * are not a cadre's, so residents go on to the intake form.
 */
export class CadreDesk {
  private readonly now: () => Date;

  constructor(private readonly o: CadreDeskOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /**
   * Creates a one-time invite code for a new cadre of `unitId` (valid `ttlHours`, default 72).
   * @throws Error when the unit does not exist or the role is unknown.
   */
  async invite(unitId: string, role: CadreRole = "handler", name?: string, ttlHours = INVITE_TTL_HOURS): Promise<{ code: string; expiresAt: Date }> {
    if (!isCadreRole(role)) throw new Error(`--role: must be handler, leader or supervisor`);
    if (!(await this.o.db.unit.findUnique({ where: { id: unitId } }))) throw new Error(`--unit: no unit "${unitId}" (see units import)`);
    const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
    const expiresAt = new Date(this.now().getTime() + ttlHours * 3_600_000);
    await this.o.db.cadreInvite.create({ data: { code, unitId, role, name: name ?? null, expiresAt } });
    return { code, expiresAt };
  }

  /** Handles a cadre's message; null when the sender is not a cadre and did not send /bind. */
  async handle(msg: Inbound): Promise<Reply[] | null> {
    const text = normalizeText(msg.text ?? "");
    const bind = msg.group ? null : /^\/?(?:bind|绑定)\s+([A-Za-z0-9]{4,16})$/i.exec(text);
    const cadre = await this.o.db.cadre.findUnique({ where: { channel_externalId: { channel: msg.channel, externalId: msg.userId } } });
    if (bind) return this.bind(msg, bind[1]!.toUpperCase(), cadre);
    if (!cadre) return null;
    const t = this.o.texts.t(isLocale(cadre.locale) ? cadre.locale : "zh-CN");
    const actor: Actor = { kind: "cadre", cadreId: cadre.id, unitId: cadre.unitId, role: cadre.role as CadreRole, name: cadre.name };
    const sessionKey = `cadre:${msg.channel}:${msg.userId}`;

    if (msg.buttonId?.startsWith("c:")) {
      const [, name, caseNo] = msg.buttonId.split(":") as [string, string, string];
      const spec = ACTIONS[name];
      if (!spec || !caseNo) return [this.say(t("cadre.unknown_button"))];
      if (spec.note) {
        await this.setPending(sessionKey, { action: name, caseNo });
        return [this.say(t(`cadre.ask_note.${name}`, { caseNo }))];
      }
      return this.act(t, actor, caseNo, spec.action, {});
    }
    const command = /^\/?([a-z]+)(?:\s+([\s\S]*))?$/i.exec(text);
    const name = command?.[1]?.toLowerCase();
    const args = command?.[2]?.trim() ?? "";
    if (name === "cases") return [await this.list(t, cadre)];
    if (name === "supervised") return [await this.list(t, cadre, "supervised")];
    if (name === "cluster") return [await this.list(t, cadre, "cluster", args)];
    if ((name === "supervise" || name === "unsupervise") && args) {
      const [no, ...rest] = args.split(/\s+/);
      return [await this.supervise(t, actor, no ?? "", name === "supervise", rest.join(" ") || null)];
    }
    if (name === "case") return [await this.show(t, cadre, args, msg.group === true)];
    if (name === "cancel") {
      await this.setPending(sessionKey, null);
      return [this.say(t("cadre.cancelled"))];
    }
    if (name && (ACTIONS[name] || name === "assign" || name === "case") && !args) return [this.say(t("cadre.help"))];
    if (name === "assign") {
      const [no, unitId] = args.split(/\s+/);
      return this.act(t, actor, no ?? "", "assign", { unitId });
    }
    if (name && ACTIONS[name]) {
      const spec = ACTIONS[name]!;
      const [no, ...rest] = args.split(/\s+/);
      let note = rest.join(" ");
      let days: number | undefined;
      if (name === "extend") {
        days = Number(rest[0]);
        note = rest.slice(1).join(" ");
      }
      return this.act(t, actor, no ?? "", spec.action, { note: spec.note ? note : undefined, days: Number.isFinite(days) ? days : undefined });
    }
    const pending = await this.getPending(sessionKey);
    if (pending && text) {
      await this.setPending(sessionKey, null);
      const spec = ACTIONS[pending.action]!;
      let note = text;
      let days: number | undefined;
      if (pending.action === "extend") {
        const m = /^(\d{1,2})\s*(?:天|days?)?\s*[,，、:：]?\s*([\s\S]*)$/.exec(text);
        if (m) [days, note] = [Number(m[1]), m[2]!];
      }
      return this.act(t, actor, pending.caseNo, spec.action, { note, days });
    }
    // In a group, ordinary talk between cadres is not for the bot.
    if (msg.group && !text.startsWith("/")) return [];
    return [this.say(t("cadre.help"))];
  }

  private async bind(msg: Inbound, code: string, existing: CadreRow | null): Promise<Reply[]> {
    const locale: Locale = msg.locale ?? "zh-CN";
    const t = this.o.texts.t(existing && isLocale(existing.locale) ? existing.locale : locale);
    if (existing) return [this.say(t("cadre.bind.already", { unit: existing.unitId }))];
    const now = this.now();
    return this.o.db.$transaction(async (tx) => {
      const invite = await tx.cadreInvite.findUnique({ where: { code } });
      if (!invite || invite.usedAt || invite.expiresAt < now) return [this.say(t("cadre.bind.invalid"))];
      // Single use: only the first to claim the code gets it.
      const { count } = await tx.cadreInvite.updateMany({ where: { code, usedAt: null }, data: { usedAt: now } });
      if (count !== 1) return [this.say(t("cadre.bind.invalid"))];
      const unit = await tx.unit.findUnique({ where: { id: invite.unitId } });
      const cadre = await tx.cadre.create({
        data: { id: `cadre-${code.toLowerCase()}`, unitId: invite.unitId, role: invite.role, name: invite.name ?? `${invite.role}-${code.slice(0, 4)}`, channel: msg.channel, externalId: msg.userId, chatId: msg.chatId ?? msg.userId, locale },
      });
      await tx.cadreInvite.update({ where: { code }, data: { cadreId: cadre.id } });
      return [this.say(t("cadre.bind.done", { unit: unit?.name ?? invite.unitId, role: t(`cadre.role.${invite.role}`) })), this.say(t("cadre.help"))];
    });
  }

  private async act(t: Translate, actor: Actor, caseNoInput: string, action: CaseAction, input: { note?: string; days?: number; unitId?: string }): Promise<Reply[]> {
    let caseNo: string;
    try {
      caseNo = parseCaseNumber(caseNoInput);
    } catch {
      return [this.say(t("cadre.bad_number", { input: caseNoInput.slice(0, 30) }))];
    }
    try {
      const r = await this.o.workflow.transition(caseNo, action, actor, input, this.now());
      return [this.say(t(`cadre.done.${ACTION_NAMES[action] ?? "assign"}`, { caseNo, state: t(`state.${r.to}`) }))];
    } catch (err) {
      if (err instanceof CaseNotFoundError) return [this.say(t("cadre.not_found", { caseNo }))];
      if (err instanceof ForbiddenActionError) return [this.say(t("cadre.forbidden", { caseNo }))];
      if (err instanceof InvalidTransitionError) return [this.say(t("cadre.not_now", { caseNo, state: t(`state.${err.from}`) }))];
      if (err instanceof ActionRefusedError) return [this.say(t(`cadre.refused.${err.reason}`, { caseNo }))];
      if (err instanceof ConcurrentTransitionError) return [this.say(t("cadre.concurrent", { caseNo }))];
      throw err;
    }
  }

  /**
   * The cadre's list: open cases of their unit (all units for supervisors), one line per cluster
   * (several residents, one matter), flagged overdue / under supervision; or the supervision list
   * (`supervised`); or the cases of one cluster (`cluster`, by the first case's number).
   */
  private async list(t: Translate, cadre: CadreRow, kind: "open" | "supervised" | "cluster" = "open", clusterInput = ""): Promise<Reply> {
    const scope = cadre.role === "supervisor" ? {} : { OR: [{ unitId: cadre.unitId }, { repliedUnitId: cadre.unitId }] };
    let clusterNo: string | null = null;
    if (kind === "cluster") {
      try {
        clusterNo = parseCaseNumber(clusterInput);
      } catch {
        return this.say(t("cadre.bad_number", { input: clusterInput.slice(0, 30) }));
      }
    }
    // Open cases are the unit's own; the supervision list also shows what the unit answered.
    const own = cadre.role === "supervisor" ? {} : { unitId: cadre.unitId };
    const where = kind === "supervised" ? { ...scope, supervised: true } : kind === "cluster" ? { ...own, clusterNo } : { ...own, state: { in: [...OPEN_STATES] } };
    const rows = await this.o.db.case.findMany({ where, orderBy: kind === "supervised" ? { supervisedAt: "asc" } : { colourDueAt: "asc" }, take: 200 });
    if (rows.length === 0) return this.say(t(kind === "open" ? "cadre.list.none" : "cadre.list.none_listed"));
    const now = this.now();
    const sizes = new Map<string, number>();
    for (const c of rows) if (c.clusterNo) sizes.set(c.clusterNo, (sizes.get(c.clusterNo) ?? 0) + 1);
    const shown = kind === "open" ? rows.filter((c) => !c.clusterNo || c.clusterNo === c.caseNo || !rows.some((h) => h.caseNo === c.clusterNo)) : rows;
    const lines = shown.slice(0, 20).map((c) => {
      const flags = [
        c.supervised ? t("cadre.list.flag_supervised") : "",
        OPEN_STATES.has(c.state as CaseState) && (c.colourDueAt < now || c.replyDueAt < now) ? t("cadre.list.flag_overdue") : "",
        kind === "open" && c.clusterNo && (sizes.get(c.clusterNo) ?? 0) > 1 ? t("cadre.list.flag_cluster", { more: sizes.get(c.clusterNo)! - 1 }) : "",
      ].join("");
      return `${t("cadre.list.line", { caseNo: c.caseNo, category: t(`category.${c.category}`), state: t(`state.${c.state}`), due: toLocalDate(c.colourDueAt, this.o.timeZone) })}${flags}`;
    });
    const title = kind === "supervised" ? t("cadre.list.title_supervised", { count: rows.length }) : kind === "cluster" ? t("cadre.list.title_cluster", { clusterNo, count: rows.length }) : t("cadre.list.title");
    return this.say([title, ...lines, t("cadre.list.how")].join("\n"));
  }

  private async supervise(t: Translate, actor: Actor, caseNoInput: string, listed: boolean, note: string | null): Promise<Reply> {
    let caseNo: string;
    try {
      caseNo = parseCaseNumber(caseNoInput);
    } catch {
      return this.say(t("cadre.bad_number", { input: caseNoInput.slice(0, 30) }));
    }
    try {
      const changed = await this.o.workflow.setSupervision(caseNo, listed, actor, note, this.now());
      return this.say(t(listed ? (changed ? "cadre.supervise.listed" : "cadre.supervise.already_listed") : changed ? "cadre.supervise.unlisted" : "cadre.supervise.not_listed", { caseNo }));
    } catch (err) {
      if (err instanceof CaseNotFoundError) return this.say(t("cadre.not_found", { caseNo }));
      if (err instanceof ForbiddenActionError) return this.say(t("cadre.supervise.forbidden", { caseNo }));
      throw err;
    }
  }

  private async show(t: Translate, cadre: CadreRow, caseNoInput: string, group = false): Promise<Reply> {
    let caseNo: string;
    try {
      caseNo = parseCaseNumber(caseNoInput);
    } catch {
      return this.say(t("cadre.bad_number", { input: caseNoInput.slice(0, 30) }));
    }
    const c = await this.o.db.case.findUnique({ where: { caseNo }, include: { unit: true } });
    const mine = c && (cadre.role === "supervisor" || c.unitId === cadre.unitId);
    if (!c || !mine) return this.say(t("cadre.not_found", { caseNo }));
    const text = t("cadre.case", {
      caseNo, category: t(`category.${c.category}`), state: t(`state.${c.state}`), unit: c.unit?.name ?? "-",
      due: toLocalDate(c.colourDueAt, this.o.timeZone), replyDue: toLocalDate(c.replyDueAt, this.o.timeZone),
      location: c.location ?? "-", demands: c.demands ?? "-", description: redactPersonalData(c.description).slice(0, 800),
      // In a group, phone numbers are masked (personal data stays out of group chats).
      contact: `${c.contactName ?? "-"} ${(group ? maskPhone(c.contactPhone) : c.contactPhone) ?? ""}`.trim(),
    }) + triageLines(t, c);
    return { text, buttons: caseActionButtons(t, c.state as CaseState, caseNo), expects: null, caseNo: null };
  }


  private async getPending(key: string): Promise<Pending | null> {
    const row = await this.o.db.dialogSession.findUnique({ where: { key } });
    return (row?.state as { pending?: Pending } | undefined)?.pending ?? null;
  }

  private async setPending(key: string, pending: Pending | null): Promise<void> {
    await this.o.db.dialogSession.upsert({ where: { key }, create: { key, state: { pending } as object, version: 1 }, update: { state: { pending } as object, version: { increment: 1 } } });
  }

  private say(text: string): Reply {
    return { text, buttons: [], expects: null, caseNo: null };
  }
}
