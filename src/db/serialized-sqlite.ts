import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Wraps the better-sqlite3 adapter factory so that queries outside a transaction wait while an
 * interactive transaction is open. The adapter runs everything on one connection and keeps
 * transactions apart only from each other: a query of another conversation issued while a
 * transaction awaits ran inside it — and was rolled back with it (a case insert that lost a
 * double-"confirm" race took other residents' answers with it).
 */
export function serializedSqlite(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    let active = 0;
    const waiters: Array<() => void> = [];
    const idle = () => (active === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r)));
    const end = () => {
      if (--active === 0) for (const w of waiters.splice(0)) w();
    };
    const queryRaw = adapter.queryRaw.bind(adapter);
    const executeRaw = adapter.executeRaw.bind(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.queryRaw = async (q) => {
      await idle();
      return queryRaw(q);
    };
    adapter.executeRaw = async (q) => {
      await idle();
      return executeRaw(q);
    };
    adapter.startTransaction = async (level) => {
      active++; // before BEGIN: nothing from outside may slip in between
      let tx: Transaction;
      try {
        tx = await startTransaction(level);
      } catch (err) {
        end();
        throw err;
      }
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      let ended = false;
      const once = () => {
        if (!ended) (ended = true), end();
      };
      tx.commit = async () => {
        try {
          return await commit();
        } finally {
          once();
        }
      };
      tx.rollback = async () => {
        try {
          return await rollback();
        } finally {
          once();
        }
      };
      return tx;
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
  } as SqlDriverAdapterFactory;
}
