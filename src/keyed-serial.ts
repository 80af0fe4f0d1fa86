/**
 * Runs tasks one after another per key (a conversation, a chat), in the order they were
 * submitted; tasks of different keys run side by side. A failed task does not stop the next one
 * of its key; its rejection goes to its own caller only. Used by the dialog engine (one turn
 * per conversation at a time), Telegram's inbound order and its sender (messages in order).
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of `key` has settled; resolves with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.tails.set(key, run);
    run
      .finally(() => {
        if (this.tails.get(key) === run) this.tails.delete(key);
      })
      .catch(() => undefined);
    return run;
  }
}
