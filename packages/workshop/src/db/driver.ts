import type { QueryResult } from './database.js';

/** Runs one statement (or, without parameters, a script) on a connection. */
export type RunSql = (sql: string, params: unknown[] | undefined) => Promise<QueryResult<unknown>>;

/** Sends getting a connection and BEGIN again while the connection fails, logging R2 / R3 with the caller's logger. */
export type RetryConnect = <T>(connect: () => Promise<T>) => Promise<T>;

/**
 * What an engine provides under the logged, retried `Database`: running SQL on any
 * connection, and BEGIN … COMMIT / ROLLBACK on one connection.
 */
export interface Driver {
  readonly kind: 'postgres' | 'pglite';
  /** Where the database is, for R2 / R3 lines: `host:port/database` or `pglite`; never a secret. */
  readonly endpoint: string;
  run: RunSql;
  /**
   * Commits when `fn` resolves, rolls back (and rethrows) when it throws. Getting the
   * connection and BEGIN go through `retryConnect`, the only part of a transaction sent again.
   */
  transaction<T>(fn: (run: RunSql) => Promise<T>, retryConnect: RetryConnect): Promise<T>;
  close(): Promise<void>;
}

/** A double-quoted identifier for a schema name checked by `openDatabase`. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
