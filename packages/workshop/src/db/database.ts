import type { Logger } from '@loupe/log';

/** Rows and the number of rows returned or changed, the same shape on both engines. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface QueryContext {
  /** Written as `order.id` on the query's R14 / R15 line. */
  orderId?: string;
  /** Writes the query's R14 / R15 line with this service's logger: the queue's statements for one publisher or consumer. */
  log?: Logger;
}

/**
 * The workshop's database: PostgreSQL through `pg`, or PGlite in the process. Queries are
 * logged (R14, R15) and, outside a transaction, retried on connection failures (R2, R3).
 * Without parameters a statement goes through the simple protocol on both engines, so
 * several statements separated by `;` may be sent at once (the result is the last one's).
 */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], context?: QueryContext): Promise<QueryResult<T>>;
  /**
   * Runs `fn` between BEGIN and COMMIT on one connection, ROLLBACK when it throws (the
   * error is rethrown). Use `tx`, not the outer database, inside `fn`: on PGlite the outer
   * one waits for the transaction to end. A nested call uses a savepoint.
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The database `openDatabase` opened. Its connections (one pg pool, or PGlite's one) are
 * shared by the views it gives to the services.
 */
export interface SharedDatabase extends Database {
  /**
   * The same connections with every statement logged by `log` (R14, R15, R2 / R3): each
   * service queries through its own view, so those lines carry its `service.name`, in the
   * trace of the request or message that ran the query. A view opens no connection of its
   * own; close the database it came from, not the view (DB_CLOSE_VIEW).
   */
  withLog(log: Logger): Database;
}

export interface Migration {
  /** Applied in ascending order; 1–99 are the workshop's own (migrations.ts), domain tables start at 100. */
  version: number;
  name: string;
  /** One or more statements; an applied migration's text must never change (its checksum is kept). */
  sql: string;
}

export interface DatabaseRetryOptions {
  /** Attempts in all for a query that meets a connection failure (default 5). */
  attempts?: number;
  /** First delay between attempts, doubled each time with jitter (default 200 ms). */
  baseDelayMs?: number;
  /** Longest delay between two attempts (default 2 s). */
  maxDelayMs?: number;
}

/** Under the Shop's 10 s call timeout, so a statement stuck behind a lock fails before its caller gives up and sends again. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

export interface OpenDatabaseOptions {
  /** `postgres://…`; absent → PGlite. */
  url?: string;
  /** PGlite's data directory; absent → in memory. Ignored with `url`. */
  dataDir?: string;
  /** Logs the migrations, what no service caused (a lost idle connection), and queries not made through a view. */
  log: Logger;
  /** Applied in version order, each once, before `openDatabase` resolves. */
  migrations: readonly Migration[];
  /** SELECTs on these tables are logged at DEBUG (R14), by every view too; the queue's polled tables always are. */
  hotReadTables?: readonly string[];
  /** A schema to work in, created if missing and put first on the search path (test isolation). */
  schema?: string;
  retry?: DatabaseRetryOptions;
  /** Most connections the pg pool opens (default 10). */
  maxConnections?: number;
  /** PostgreSQL cancels a statement running longer (SQLSTATE 57014; default 5 s, 0 = no limit). Migrations run without it. */
  statementTimeoutMs?: number;
}
