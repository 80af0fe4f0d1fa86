import { COLOUR_WORKING_DAYS, type Colour } from "./colour.js";
import { endOfLocalDay, toLocalDate } from "./local-date.js";
import type { WorkingDays } from "./working-days.js";

/**
 * Statutory periods of the 2022 Regulations on Letters and Visits Work (信访工作条例), in the
 * unit named by each field. Calendar-day periods end on the next working day when their last
 * day is a rest day (民法典 Art. 203).
 */
export const STATUTORY = {
  /** Art. 22: register and route a petition within 15 days of receipt (calendar days). */
  registerDays: 15,
  /** Art. 23: the unit sends a written acceptance notice (受理告知) within 15 days (calendar days). */
  acceptanceDays: 15,
  /** Art. 23 ¶3: a unit assigned a matter that is not its own objects within 5 working days. */
  objectionWorkingDays: 5,
  /** Art. 34: handling opinion (处理意见) within 60 days of acceptance (calendar days). */
  replyDays: 60,
  /** Art. 34: one extension of at most 30 days, with reasons (calendar days). */
  maxExtensionDays: 30,
  /** Arts. 35/36: the resident may ask for review / re-examination within 30 days (calendar days). */
  reviewRequestDays: 30,
  /** Arts. 35/36: review / re-examination answered within 30 days (calendar days). */
  reviewAnswerDays: 30,
} as const;

/** The deadlines that run on a case, as instants (end of the local day they fall on). */
export interface CaseClocks {
  /** Colour deadline (三色): 1/3/7 working days from assignment. */
  colourDueAt: Date;
  /** Art. 22: registered and routed by. */
  registerDueAt: Date;
  /** Art. 23: acceptance notice by. */
  acceptanceDueAt: Date;
  /** Art. 23 ¶3: the assigned unit may object until (null before assignment). */
  objectionDueAt: Date | null;
  /**
   * Art. 34: handling opinion due. Counted from acceptance once accepted; before that from the
   * latest lawful acceptance date, so it is never earlier than the law allows.
   */
  replyDueAt: Date;
}

/** Inputs to {@link computeClocks}. */
export interface ClockInput {
  receivedAt: Date;
  /** When the case was assigned to a unit; intake uses receipt time. */
  assignedAt?: Date | null;
  acceptedAt?: Date | null;
  colour: Colour;
  /** Days granted by the one extension (0–30). */
  extendedDays?: number;
}

/**
 * Computes every clock of a case from its dates, in `timeZone` with `calendar`. Pure.
 * Use at intake and again after assignment, acceptance or an extension.
 */
export function computeClocks(input: ClockInput, calendar: WorkingDays, timeZone: string): CaseClocks {
  const day = (d: Date) => toLocalDate(d, timeZone);
  const end = (d: string) => endOfLocalDay(d, timeZone);
  const received = day(input.receivedAt);
  const assigned = day(input.assignedAt ?? input.receivedAt);
  const acceptanceDue = calendar.addCalendarPeriod(received, STATUTORY.acceptanceDays);
  const replyFrom = input.acceptedAt ? day(input.acceptedAt) : acceptanceDue;
  const extension = Math.min(Math.max(input.extendedDays ?? 0, 0), STATUTORY.maxExtensionDays);
  return {
    colourDueAt: end(calendar.addWorkingDays(assigned, COLOUR_WORKING_DAYS[input.colour])),
    registerDueAt: end(calendar.addCalendarPeriod(received, STATUTORY.registerDays)),
    acceptanceDueAt: end(acceptanceDue),
    objectionDueAt: input.assignedAt ? end(calendar.addWorkingDays(assigned, STATUTORY.objectionWorkingDays)) : null,
    replyDueAt: end(calendar.addCalendarPeriod(replyFrom, STATUTORY.replyDays + extension)),
  };
}
