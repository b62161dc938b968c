import { describeFailure, describeQuery, instrumentQueries, withRetry, type Logger, type RetryOptions } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database, QueryContext, QueryResult, SharedDatabase } from './database.js';
import type { Driver, RetryConnect, RunSql } from './driver.js';
import { isTransientDatabaseError } from './transient-errors.js';

export interface LoggedDatabaseOptions {
  log: Logger;
  hotReadTables: readonly string[];
  retry: RetryOptions;
}

type Attempt<T> = { result: T } | { error: unknown };

const loggedErrors = new WeakSet<object>();

/**
 * Whether `openDatabase`'s layer already logged this error (R15 for the statement, R3 when
 * retries ran out), so a caller that only passes it on need not log it again.
 */
export function wasLoggedByDatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && loggedErrors.has(error);
}

function markLogged(error: unknown): void {
  if (typeof error === 'object' && error !== null) loggedErrors.add(error);
}

const closeView = (): Promise<void> =>
  Promise.reject(new LoupeError('DB_CLOSE_VIEW', 'close() was called on a service\'s view of the database, which shares its connections: close the database it came from instead', 500));

/**
 * The `Database` over a driver: every statement logged through `instrumentQueries`
 * (R14, and R15 on failure), and a statement outside a transaction sent again through
 * `withRetry` (R2, R3) when the connection failed. An error in the statement itself is
 * rethrown at once: sending it again would fail the same way. `withLog` gives views over
 * the same driver that log with another logger.
 */
export function createLoggedDatabase(driver: Driver, options: LoggedDatabaseOptions): SharedDatabase {
  return loggedOver(driver, options, () => driver.close());
}

function loggedOver(driver: Driver, options: LoggedDatabaseOptions, close: () => Promise<void>): SharedDatabase {
  const { log } = options;
  const instrumented = instrumentQueries(log, { hotReadTables: options.hotReadTables });
  const { kind, endpoint } = driver;
  const retryConnect: RetryConnect = (connect) => withRetry(log, { target: 'db', method: 'BEGIN', endpoint }, connect, options.retry);

  async function runLogged<T>(run: RunSql, sql: string, params: unknown[] | undefined, context: QueryContext | undefined): Promise<QueryResult<T>> {
    try {
      return (await instrumented(sql, () => run(sql, params), context)) as QueryResult<T>;
    } catch (error) {
      markLogged(error);
      throw error;
    }
  }

  async function query<T>(sql: string, params?: unknown[], context?: QueryContext): Promise<QueryResult<T>> {
    const call = { target: 'db', method: describeQuery(sql).queryType, endpoint };
    // Only connection failures reach withRetry; so only they log R2 / R3.
    const outcome = await withRetry<Attempt<QueryResult<T>>>(
      log,
      call,
      async () => {
        try {
          return { result: await runLogged<T>(driver.run, sql, params, context) };
        } catch (error) {
          if (isTransientDatabaseError(error)) throw error;
          return { error };
        }
      },
      options.retry,
    );
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  async function rollbackTo(run: RunSql, savepoint: string): Promise<void> {
    try {
      await run(`ROLLBACK TO SAVEPOINT ${savepoint}`, undefined);
    } catch (error) {
      const failure = describeFailure(error);
      log.dbError({ queryType: 'ROLLBACK', errorCode: failure.errorCode ?? 'UNKNOWN', errorMessage: failure.errorMessage });
    }
  }

  function transactionDatabase(run: RunSql, depth: number): Database {
    return {
      kind,
      query: (sql, params, context) => runLogged(run, sql, params, context),
      async transaction(fn) {
        const savepoint = `loupe_savepoint_${depth + 1}`;
        await run(`SAVEPOINT ${savepoint}`, undefined);
        try {
          const result = await fn(transactionDatabase(run, depth + 1));
          await run(`RELEASE SAVEPOINT ${savepoint}`, undefined);
          return result;
        } catch (error) {
          await rollbackTo(run, savepoint);
          throw error;
        }
      },
      close: () => Promise.reject(new LoupeError('DB_CLOSE_IN_TRANSACTION', 'close() was called on a transaction: close the database it came from instead', 500)),
    };
  }

  async function transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    let started = false;
    let committing = false;
    try {
      return await driver.transaction(async (run) => {
        started = true;
        const result = await fn(transactionDatabase(run, 0));
        committing = true;
        return result;
      }, retryConnect);
    } catch (error) {
      // Getting a connection logs R2 / R3 (withRetry) and the statements inside log their
      // own failures; a failed COMMIT has no other line.
      if (!started) markLogged(error);
      else if (committing) {
        const failure = describeFailure(error);
        log.dbError({ queryType: 'COMMIT', errorCode: failure.errorCode ?? 'UNKNOWN', errorMessage: failure.errorMessage });
        markLogged(error);
      }
      throw error;
    }
  }

  return { kind, query, transaction, withLog: (other) => loggedOver(driver, { ...options, log: other }, closeView), close };
}
