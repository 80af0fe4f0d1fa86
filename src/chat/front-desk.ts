import type { CadreDesk } from "./cadre-desk.js";
import type { FollowUpDesk } from "./follow-up-desk.js";
import type { Conversation } from "./message.js";
import { desk, pipeline, type Middleware } from "./pipeline.js";

/** Options of {@link frontDesk}. */
export interface FrontDeskOptions {
  /** Cadres' commands and `/bind CODE`. */
  cadres: CadreDesk;
  /** Poll answers, review requests and poll comments of residents who have filed. */
  followUp?: FollowUpDesk;
  /** Steps a resident's message passes before the form (triage). */
  before?: Middleware[];
  /** The resident intake form (the dialog engine). */
  residents: Conversation;
}

/** Groups are for cadres; residents file in private chats only. */
export const residentsOnly = (): Middleware =>
  async function residentsOnly(msg, next) {
    return msg.group ? [] : next();
  };

/**
 * The front desk every channel talks to, as one pipeline: a cadre's messages (and `/bind CODE`)
 * go to the cadre desk; group messages stop there; a resident's poll answers and review
 * requests go to the follow-up desk; everything else passes `before` (triage) to the form.
 *
 * @example
 * const front = frontDesk({ cadres, followUp, before: [triage(options)], residents: engine });
 */
export function frontDesk(o: FrontDeskOptions): Conversation {
  return pipeline(
    desk("cadreDesk", { handle: (msg) => (msg.text !== undefined || msg.buttonId !== undefined ? o.cadres.handle(msg) : Promise.resolve(null)) }),
    residentsOnly(),
    ...(o.followUp ? [desk("followUpDesk", o.followUp)] : []),
    ...(o.before ?? []),
    o.residents,
  );
}
