import pg from 'pg';
import { describeFailure, type Logger } from '@loupe/log';
import { describeServerUrl } from '../endpoint-names.js';
import type { QueryResult } from './database.js';
import type { Driver, RetryConnect, RunSql } from './driver.js';

export interface PostgresDriverOptions {
  url: string;
  /**
   * Logs a pooled connection lost while idle (R15). No service's query caused it, so this is
   * the logger of what the services share (`workshop`), not of a service's view.
   */
  log: Logger;
  /** Put first (and only) on every connection's search path. */
  schema?: string;
  maxConnections: number;
  /** Sent as `statement_timeout` on every connection; 0 = none. */
  statementTimeoutMs: number;
}

const INT8_OID = 20;
// PGlite returns bigint columns (counts, bigserial ids) as numbers; pg would return strings.
// Both engines answer alike, so code written against one runs on the other.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** `host:port/database` of a connection URL, without credentials, for R2 / R3 lines. */
export function describeEndpoint(url: string): string {
  return describeServerUrl(url, { port: '5432', path: '' }, 'postgres');
}

function toResult(result: pg.QueryResult | pg.QueryResult[]): QueryResult<unknown> {
  // Several statements in one simple query answer with one result each; the last one counts.
  const last = Array.isArray(result) ? result.at(-1) : result;
  return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? last?.rows.length ?? 0 };
}

/** PostgreSQL through a `pg` pool: one statement on any pooled connection, a transaction on one. */
export function createPostgresDriver(options: PostgresDriverOptions): Driver {
  const { log } = options;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections,
    // An unused connection is closed after 30 s, so an idle service holds few.
    idleTimeoutMillis: 30_000,
    // Waiting longer than 5 s for a connection is a failure, retried like a refused one.
    connectionTimeoutMillis: 5_000,
    // TCP keep-alive notices a server that vanished while a connection sat idle.
    keepAlive: true,
    ...(options.statementTimeoutMs > 0 && { statement_timeout: options.statementTimeoutMs }),
    types,
    ...(options.schema && { options: `-c search_path=${options.schema}` }),
  });
  // A pooled connection that breaks while idle is reported here; without a listener the
  // process would crash. The pool drops it and opens a new one when needed.
  pool.on('error', (error) => {
    const failure = describeFailure(error);
    log.dbError({ queryType: 'CONNECTION', errorCode: failure.errorCode ?? 'CONNECTION_LOST', errorMessage: `Idle connection lost: ${failure.errorMessage}` });
  });

  const run: RunSql = async (sql, params) => toResult(await pool.query(sql, params));

  /**
   * A pooled connection with BEGIN sent. A checked-out client has no `error` listener of the
   * pool's, and a socket error on a client without one crashes the process: the listener is
   * set before BEGIN goes out, and stays on a connection that failed (it is being closed).
   */
  async function begin(): Promise<{ client: pg.PoolClient; failure: { error?: Error }; onError: (error: Error) => void }> {
    const client = await pool.connect();
    const failure: { error?: Error } = {};
    const onError = (error: Error) => {
      failure.error = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      return { client, failure, onError };
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  async function transaction<T>(fn: (run: RunSql) => Promise<T>, retryConnect: RetryConnect): Promise<T> {
    // The failure a checked-out connection reports (a query in flight also rejects).
    const { client, failure, onError } = await retryConnect(begin);
    try {
      const result = await fn(async (sql, params) => toResult(await client.query(sql, params)));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!failure.error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          failure.error = rollbackError;
        });
      }
      throw error;
    } finally {
      // Releasing with an error closes the connection instead of returning it to the pool.
      if (!failure.error) client.off('error', onError);
      client.release(failure.error);
    }
  }

  return {
    kind: 'postgres',
    endpoint: describeEndpoint(options.url),
    run,
    transaction,
    close: () => pool.end(),
  };
}
