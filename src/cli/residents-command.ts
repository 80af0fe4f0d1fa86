import type { PersonalDataStore } from "../cases/index.js";
import { FINAL_STATES, InvalidCaseNumberError, isCaseState, parseCaseNumber } from "../domain/index.js";
import type { CliIo } from "./cases-command.js";

function fail(io: CliIo, message: string): void {
  io.err(`petition-bot: ${message}\n`);
  io.exitCode(1);
}

/**
 * `petition-bot residents export <residentId|--phone P|--case XF-…>`: prints, as JSON, everything
 * stored about the resident (个人信息保护法 Art. 45: a copy) — the resident row, channel identities,
 * cases with all their events, dialog state, messages to their chats — as `{exportedAt, residents: [...]}`
 * (a phone may belong to several residents). Exit 1, naming what was looked for, when nobody matches.
 */
export async function residentsExport(
  store: PersonalDataStore,
  residentId: string | undefined,
  opts: { phone?: string; case?: string },
  io: CliIo,
): Promise<void> {
  const given = [residentId, opts.phone, opts.case].filter((v) => v !== undefined).length;
  if (given !== 1) return fail(io, "residents export: give exactly one of <residentId>, --phone P or --case XF-…");
  let caseNo: string | undefined;
  if (opts.case) {
    try {
      caseNo = parseCaseNumber(opts.case);
    } catch (err) {
      if (err instanceof InvalidCaseNumberError)
        return fail(io, `--case: ${err.message} (expected e.g. XF-261129-0073-7)`);
      throw err;
    }
  }
  const ids = await store.find({ residentId, phone: opts.phone, caseNo });
  if (ids.length === 0) {
    const what = residentId ? `resident id "${residentId}"` : opts.phone ? `phone "${opts.phone}"` : `case ${caseNo}`;
    return fail(io, `no resident found for ${what}`);
  }
  io.out(`${JSON.stringify(await store.export(ids, new Date()), null, 2)}\n`);
}

/**
 * `petition-bot residents erase <residentId> [--yes]`: erases the resident as a confirmed chat
 * request does (个人信息保护法 Art. 47; closed cases now, open ones after they close), with a
 * `staff.erasure` audit row. Without --yes it shows what will go and asks on stdin (`ask`); any
 * answer but y/yes/是 erases nothing and exits 1. Exit 1 for an unknown resident.
 */
export async function residentsErase(
  store: PersonalDataStore,
  residentId: string,
  opts: { yes?: boolean; json?: boolean },
  io: CliIo,
  ask: (question: string) => Promise<string>,
): Promise<void> {
  const ids = await store.find({ residentId });
  if (ids.length === 0)
    return fail(
      io,
      `no resident with id "${residentId}" (find it with: petition-bot residents export --phone P | --case XF-…)`,
    );
  if (!opts.yes) {
    const o = await store.overview(residentId);
    const open = o.cases.filter((c) => !(isCaseState(c.state) && FINAL_STATES.has(c.state))).length;
    const answer = await ask(
      `Erase the personal data of resident ${residentId} ` +
        `(name ${o.name ? "given" : "none"}, phone ${o.phone ?? "none"}, ` +
        `${o.cases.length} cases, ${open} still open and erased when they close)? This cannot be undone. [y/N] `,
    );
    if (!/^(y|yes|是)$/i.test(answer.trim())) return fail(io, "nothing erased (answer y to erase, or pass --yes)");
  }
  const report = await store.erase(residentId, "operator", new Date());
  if (opts.json) return io.out(`${JSON.stringify(report, null, 2)}\n`);
  const pending = report.pending.length
    ? `; ${report.pending.length} open cases (${report.pending.join(", ")}) are erased when they close`
    : "; channel identities deleted";
  io.out(`erased resident ${residentId}: name and phone; text of ${report.anonymised.length} closed cases${pending}\n`);
}
