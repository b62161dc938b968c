import type { Logger } from './create-logger.js';
import { describeFailure } from './retry.js';

export interface QueryShape {
  /** SELECT, INSERT, UPDATE, DELETE, or the statement's first keyword. */
  queryType: string;
  /** The main table, or `-` when the statement names none. */
  table: string;
}

const TABLE_AFTER = /\b(?:from|into|update|join|table)\s+(?:only\s+|if\s+(?:not\s+)?exists\s+)?((?:"[^"]+"|\w+)(?:\.(?:"[^"]+"|\w+))*)/i;
const shapes = new Map<string, QueryShape>();
const MAX_CACHED_SHAPES = 1_000;

/** Reads the statement type and main table of a SQL statement; remembered per statement text. */
export function describeQuery(sql: string): QueryShape {
  const known = shapes.get(sql);
  if (known) return known;
  const text = sql.replace(/^\s*(?:--[^\n]*\n\s*)*/, '').trimStart();
  const verb = /^(with\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)?.[2]?.toUpperCase() ?? 'UNKNOWN';
  const table = TABLE_AFTER.exec(text)?.[1]?.replaceAll('"', '') ?? '-';
  const shape = { queryType: verb, table };
  if (shapes.size < MAX_CACHED_SHAPES) shapes.set(sql, shape);
  return shape;
}

export interface QueryLogOptions {
  /** SELECTs on these tables are hot reads, logged at DEBUG instead of INFO (R14). */
  hotReadTables?: readonly string[];
}

export interface QueryContext {
  /** Written as `order.id` when the query is about one order. */
  orderId?: string;
  /** Logs this query instead of the wrapper's logger: shared plumbing (a queue) running a statement for one service. */
  log?: Logger;
}

export type InstrumentedQuery = <T>(sql: string, run: () => Promise<T>, context?: QueryContext) => Promise<T>;

/**
 * Wraps database calls so each one logs R14 (type, table, order, duration, outcome) and a
 * failure logs R15 (type, error code and message) before the error is rethrown.
 */
export function instrumentQueries(log: Logger, options: QueryLogOptions = {}): InstrumentedQuery {
  const hot = new Set(options.hotReadTables ?? []);
  return async (sql, run, context = {}) => {
    const { queryType, table } = describeQuery(sql);
    const started = process.hrtime.bigint();
    try {
      const result = await run();
      // `level` is always set, so every call builds an object of one shape (no spread).
      (context.log ?? log).dbQueryExecuted({
        queryType,
        table,
        orderId: context.orderId,
        durationNs: Number(process.hrtime.bigint() - started),
        outcome: 'success',
        level: queryType === 'SELECT' && hot.has(table) ? 'debug' : undefined,
      });
      return result;
    } catch (error) {
      const failure = describeFailure(error);
      (context.log ?? log).dbError({ queryType, table, orderId: context.orderId, errorCode: failure.errorCode ?? 'UNKNOWN', errorMessage: failure.errorMessage });
      throw error;
    }
  };
}
