import { caseSummary, type CaseService } from "../cases/index.js";
import { InvalidCaseNumberError, isCaseState, isCategory, localDateTime, parseCaseNumber } from "../domain/index.js";

/** Output stream and exit-code setter, so commands are testable in-process. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  exitCode: (n: number) => void;
}

/** `2026-11-30 09:05` in `timeZone`, for people; JSON output keeps ISO instants in UTC. */
export function localTime(iso: string, timeZone: string): string {
  return localDateTime(new Date(iso), timeZone);
}

/** `petition-bot cases list`: newest cases first, as a table (local times) or JSON (phones masked). */
export async function casesList(service: CaseService, opts: { json?: boolean; state?: string; unit?: string; category?: string; limit?: string }, io: CliIo, timeZone = "Asia/Shanghai"): Promise<void> {
  if (opts.state && !isCaseState(opts.state)) return fail(io, `--state: unknown state "${opts.state}"`);
  if (opts.category && !isCategory(opts.category)) return fail(io, `--category: unknown category "${opts.category}"`);
  const limit = opts.limit ? Number(opts.limit) : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(io, "--limit: must be an integer from 1 to 1000");
  const list = await service.list({ state: opts.state as never, unitId: opts.unit, category: opts.category as never, limit });
  const rows = list.map(caseSummary);
  if (opts.json) return io.out(`${JSON.stringify(rows, null, 2)}\n`);
  if (rows.length === 0) return io.out("No cases.\n");
  const head = ["CASE NO", "CATEGORY", "STATE", "COLOUR", "UNIT", `RECEIVED (${timeZone})`, "COLOUR DUE"];
  const body = rows.map((r) => [r.caseNo, r.category, r.state, r.colour, r.unit ?? "-", localTime(r.receivedAt, timeZone), localTime(r.colourDueAt, timeZone)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  for (const line of [head, ...body]) io.out(`${line.map((c, i) => c.padEnd(widths[i]!)).join("  ")}\n`);
}

/** `petition-bot cases show <caseNo>`: one case with its clocks and history. */
export async function casesShow(service: CaseService, caseNoInput: string, opts: { json?: boolean; revealPhone?: boolean }, io: CliIo, timeZone = "Asia/Shanghai"): Promise<void> {
  let caseNo: string;
  try {
    caseNo = parseCaseNumber(caseNoInput);
  } catch (err) {
    if (err instanceof InvalidCaseNumberError) return fail(io, `${err.message} (expected e.g. XF-261129-0073-7)`);
    throw err;
  }
  const c = await service.show(caseNo, opts.revealPhone);
  if (!c) return fail(io, `Case ${caseNo} not found`);
  if (opts.json) return io.out(`${JSON.stringify(c, null, 2)}\n`);
  const at = (iso: string | null) => (iso ? localTime(iso, timeZone) : "-");
  const lines = [
    `Case ${c.caseNo}  [${c.state}]  ${c.category}  ${c.colour}`,
    `Unit:        ${c.unit ? `${c.unit.name} (${c.unit.id})` : "-"}`,
    `Received:    ${at(c.receivedAt)} (${timeZone})`,
    `Location:    ${c.location ?? "-"}`,
    `Occurred:    ${c.occurredAt ?? "-"}${c.occurredOn ? ` (${c.occurredOn})` : ""}`,
    `Demands:     ${c.demands ?? "-"}`,
    `Name/phone:  ${c.name ?? "-"} / ${c.phone ?? "-"}`,
    `Description: ${c.description}`,
    "Clocks:",
    `  colour due       ${at(c.clocks.colourDueAt)}`,
    `  register by      ${at(c.clocks.registerDueAt)}   (Art. 22)`,
    `  acceptance by    ${at(c.clocks.acceptanceDueAt)}   (Art. 23)`,
    `  objection until  ${at(c.clocks.objectionDueAt)}   (Art. 23 ¶3)`,
    `  reply by         ${at(c.clocks.replyDueAt)}   (Art. 34)`,
    `Follow-up:   stage ${c.followUp.stage}, poll ${c.followUp.satisfaction ?? "-"}${c.followUp.supervised ? ", under supervision (督办)" : ""}${c.followUp.clusterNo ? `, cluster ${c.followUp.clusterNo}` : ""}`,
    "Events:",
    ...c.events.map((e) => `  ${at(e.at)}  ${e.type}  ${e.actor}${e.to ? `  → ${e.to}` : ""}${e.note ? `  ${e.note}` : ""}`),
  ];
  io.out(`${lines.join("\n")}\n`);
}

function fail(io: CliIo, message: string): void {
  io.err(`${message}\n`);
  io.exitCode(1);
}
