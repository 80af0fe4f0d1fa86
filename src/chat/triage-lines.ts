import type { Translate } from "../i18n.js";

/**
 * The case card's lines on what triage saw before the form (issue #14): the resident reported an
 * emergency (the case is supervised from intake, reason `danger`), or was told of another
 * procedure (诉访分离) and still filed. Empty when neither; each line starts with a newline.
 * Used by the new-case notification (src/notify/render.ts) and the cadre desk's `/case`.
 */
export function triageLines(t: Translate, c: { supervisionReason: string | null; advisedProcedure: string | null }) {
  const procedure = c.advisedProcedure ? t(`triage.procedure_name.${c.advisedProcedure}`) : null;
  return (c.supervisionReason === "danger" ? t("notify.danger_case") : "")
    + (procedure ? t("notify.procedure_advised", { procedure }) : "");
}
