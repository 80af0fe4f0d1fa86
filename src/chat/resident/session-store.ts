import type { DialogState } from "./state.js";

/** A stored dialog state with its version, for optimistic concurrency. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** Thrown by `write` when another process wrote the session since it was read. */
export class StaleSessionError extends Error {
  readonly code = "DIALOG.STALE_SESSION";
  constructor(readonly key: string) {
    super(`Dialog session ${key} was changed by another process`);
    this.name = "StaleSessionError";
  }
}

/**
 * Where dialog states live between messages (and across restarts). `write` with the version
 * from `read` (0 for a new key) fails with StaleSessionError if someone wrote in between.
 */
export interface SessionStore {
  read(key: string): Promise<Versioned<DialogState> | undefined>;
  write(key: string, state: DialogState, expectedVersion: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In-memory SessionStore for tests and the terminal demo; loses everything on exit. */
export class MemorySessionStore implements SessionStore {
  private readonly data = new Map<string, Versioned<DialogState>>();

  async read(key: string): Promise<Versioned<DialogState> | undefined> {
    const v = this.data.get(key);
    return v && { value: structuredClone(v.value), version: v.version };
  }

  async write(key: string, state: DialogState, expectedVersion: number): Promise<void> {
    const current = this.data.get(key)?.version ?? 0;
    if (current !== expectedVersion) throw new StaleSessionError(key);
    this.data.set(key, { value: structuredClone(state), version: current + 1 });
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}
