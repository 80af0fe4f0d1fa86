/**
 * How a channel takes its updates right now: `starting` (not yet confirmed), `polling` (long
 * polling works), `webhook` (the platform pushes to us), `failing` (taking updates fails; the
 * channel keeps retrying), `logged_out` (a session that needs a login, WeChat), `stopped`.
 */
export type ChannelState = "starting" | "polling" | "webhook" | "failing" | "logged_out" | "stopped";

/** One channel's state and since when it holds. */
export interface ChannelStatus {
  state: ChannelState;
  /** When the channel entered `state` (for `failing`: the first failure of the streak). */
  since: Date;
  /** Failed attempts in a row (while `failing`). */
  failures?: number;
  /** The last error's one-line description (while `failing`); no personal data. */
  error?: string;
}

/**
 * The states of this process's channels, written by the channels and read by /readyz and the
 * metrics. One instance per process, made in main.ts.
 *
 * @example
 * health.set("telegram", "failing", { error: "409 Conflict" }); health.snapshot().telegram.since
 */
export class ChannelHealth {
  private readonly states = new Map<string, ChannelStatus>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Records `state` for `channel`; `since` moves only when the state changes. */
  set(channel: string, state: ChannelState, extra: { failures?: number; error?: string } = {}): void {
    const before = this.states.get(channel);
    const since = before?.state === state ? before.since : this.now();
    this.states.set(channel, { state, since, ...extra });
  }

  /** The status of `channel`, if it reported one. */
  get(channel: string): ChannelStatus | undefined {
    return this.states.get(channel);
  }

  /** Every channel's status, by channel id. */
  snapshot(): Record<string, ChannelStatus> {
    return Object.fromEntries([...this.states].map(([k, v]) => [k, { ...v }]));
  }
}
