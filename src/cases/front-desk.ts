import type { Inbound, Reply } from "../dialog/index.js";
import type { CadreDesk } from "./cadre-desk.js";
import type { FollowUpDesk } from "./follow-up-desk.js";

/** Anything that answers an inbound message with replies: the dialog engine, or the front desk. */
export interface Conversation {
  handle(msg: Inbound): Promise<Reply[]>;
}

/**
 * The front desk every channel talks to: a cadre's messages (and `/bind CODE`) go to the
 * CadreDesk; a resident's poll answers and review requests to the FollowUpDesk; everything else
 * to the resident intake form.
 */
export class FrontDesk implements Conversation {
  constructor(private readonly cadres: CadreDesk, private readonly residents: Conversation, private readonly followUp?: FollowUpDesk) {}

  async handle(msg: Inbound): Promise<Reply[]> {
    if (msg.text !== undefined || msg.buttonId !== undefined) {
      const answer = await this.cadres.handle(msg);
      if (answer) return answer;
    }
    // Groups are for cadres; residents file in private chats only.
    if (msg.group) return [];
    if (this.followUp && (msg.text !== undefined || msg.buttonId !== undefined)) {
      const answer = await this.followUp.handle(msg);
      if (answer) return answer;
    }
    return this.residents.handle(msg);
  }
}
