import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LoupeError } from '@loupe/schema';

const closing = () => new LoupeError('STORE_CLOSING', 'The platform is stopping: the search was not run', 503);

export interface ReaderPoolOptions {
  /** Connections that read at once (default 3): a heavy search does not hold up the others. */
  size?: number;
  /** How long one read may run before it is interrupted (ms, default 30,000). */
  timeoutMs?: number;
}

/**
 * The store's read connections (R28). DuckDB runs the queries of several connections of one
 * database side by side, while one connection runs its queries one after another: with a
 * single reader, one search over months of free-form fields held every other search and the
 * console behind it. A read that runs past the timeout is interrupted and answered 503
 * SEARCH_TIMEOUT, so a runaway query cannot hold a connection for good.
 */
export class ReaderPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: Array<{ resolve(connection: DuckDBConnection): void; reject(error: Error): void }> = [];
  private readonly busy = new Set<DuckDBConnection>();
  private readonly timeoutMs: number;
  private closed = false;

  private constructor(connections: DuckDBConnection[], timeoutMs: number) {
    this.idle = connections;
    this.timeoutMs = timeoutMs;
  }

  static async open(instance: DuckDBInstance, options: ReaderPoolOptions = {}): Promise<ReaderPool> {
    const size = Math.max(1, options.size ?? 3);
    const connections = await Promise.all(Array.from({ length: size }, () => instance.connect()));
    return new ReaderPool(connections, options.timeoutMs ?? 30_000);
  }

  /** Runs a query on the first free connection; its rows as objects. */
  async read(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const connection = await this.acquire();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, this.timeoutMs);
    try {
      const reader = await connection.runAndReadAll(sql, params as never);
      return reader.getRowObjects() as Record<string, unknown>[];
    } catch (error) {
      if (timedOut) {
        throw new LoupeError('SEARCH_TIMEOUT', `The search ran for more than ${this.timeoutMs / 1000} s and was stopped: narrow its time range or its indices, or make the query more selective`, 503);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.release(connection);
    }
  }

  /** Refuses what waits, interrupts what runs (each such connection closes once its read stops) and closes the idle connections. */
  close(): void {
    this.closed = true;
    for (const { reject } of this.waiting.splice(0)) reject(closing());
    for (const connection of this.busy) connection.interrupt();
    for (const connection of this.idle.splice(0)) connection.closeSync();
  }

  private acquire(): Promise<DuckDBConnection> {
    if (this.closed) return Promise.reject(closing());
    const connection = this.idle.pop();
    if (connection) {
      this.busy.add(connection);
      return Promise.resolve(connection);
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(connection: DuckDBConnection): void {
    if (this.closed) {
      this.busy.delete(connection);
      connection.closeSync();
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(connection);
    else {
      this.busy.delete(connection);
      this.idle.push(connection);
    }
  }
}
