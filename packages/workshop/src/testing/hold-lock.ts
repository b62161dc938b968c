import type { Database } from '../db/index.js';

/**
 * Runs `sql` in a transaction of its own and keeps that transaction open, its locks held, as a
 * long transaction or a stuck session would, until the returned `release` is called.
 */
export async function holdLock(db: Database, sql: string, params: unknown[] = []): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.transaction(async (tx) => {
    await tx.query(sql, params);
    locked();
    await held;
  });
  // A statement that fails rejects `holder` instead of leaving the caller waiting.
  await Promise.race([lockTaken, holder]);
  return async () => {
    release();
    await holder;
  };
}
