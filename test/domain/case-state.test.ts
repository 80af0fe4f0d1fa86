import { describe, expect, it } from "vitest";
import { CASE_STATES, FINAL_STATES, InvalidTransitionError, OPEN_STATES, TRANSITIONS, allowedActions, nextState } from "../../src/domain/index.js";

describe("case transitions", () => {
  it("should follow the petition flow from assignment to closing", () => {
    let s = nextState("registered", "assign");
    s = nextState(s, "accept");
    s = nextState(s, "report_progress");
    s = nextState(s, "reply");
    expect(nextState(s, "close")).toBe("closed");
  });

  it("should send an objection (not our unit) back to the duty desk's queue", () => {
    expect(nextState("assigned", "object")).toBe("registered");
  });

  it("should refuse replying to a case nobody accepted", () => {
    expect(() => nextState("assigned", "reply")).toThrow(InvalidTransitionError);
  });

  it("should allow nothing after a final state", () => {
    for (const s of FINAL_STATES) if (s !== "closed") expect(allowedActions(s)).toEqual([]);
  });

  it("should only lead to known states, and open and final states should not overlap", () => {
    for (const s of CASE_STATES) for (const to of Object.values(TRANSITIONS[s])) expect(CASE_STATES).toContain(to);
    for (const s of OPEN_STATES) expect(FINAL_STATES.has(s)).toBe(false);
  });
});
