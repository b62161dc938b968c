import { listValue, type DuckDBConnection } from '@duckdb/node-api';

/**
 * Which days hold each order's events, as index patterns (`logs-*-2026.11.21`, see `dayScope`),
 * so a journey reads a few days instead of every index (R29). One row per order and day, not
 * per service: the table a journey scans first stays small. Its name cannot clash with an
 * index (index names never start with `_`). It has no key:
 * DuckDB does not use a two-column key for a one-column look-up, and keeping one costs
 * more at every append than the look-up's scan; a pair already written is skipped by
 * the writer's memory, and the rare repeat after a restart is folded by DISTINCT on read.
 */
export const ORDER_DAYS = '_order_days';
/** The earlier form: (order id, index name) pairs. */
const ORDER_INDICES = '_order_indices';

/** Pairs remembered as written; past this many the memory starts afresh. */
const MAX_REMEMBERED = 1_000_000;

export async function prepareOrderDays(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE TABLE IF NOT EXISTS ${ORDER_DAYS} (order_id VARCHAR NOT NULL, scope VARCHAR NOT NULL)`);
  const earlier = await connection.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = '${ORDER_INDICES}'`);
  if (Number(earlier.getRows()[0]?.[0] ?? 0) === 0) return;
  // A store written by an earlier version: the same orders, by day instead of by index.
  await connection.run('BEGIN TRANSACTION');
  await connection.run(`INSERT INTO ${ORDER_DAYS} SELECT DISTINCT order_id, regexp_replace(index_name, '^(.+?)-.+-(\\d{4}\\.\\d{2}\\.\\d{2})$', '\\1-*-\\2') FROM ${ORDER_INDICES}`);
  await connection.run(`DROP TABLE ${ORDER_INDICES}`);
  await connection.run('COMMIT');
}

export class OrderDayMemory {
  private written = new Set<string>();

  /** The pairs not yet written, each once (batches list their own pairs once each; see stage-batch.ts). */
  unwritten(batches: Iterable<ReadonlyArray<[string, string]>>): Array<[string, string]> {
    const pairs = new Map<string, [string, string]>();
    for (const batch of batches) {
      for (const pair of batch) {
        const key = `${pair[0]}\u0000${pair[1]}`;
        if (!this.written.has(key)) pairs.set(key, pair);
      }
    }
    return [...pairs.values()];
  }

  /** Called once the pairs' transaction has committed. */
  remember(pairs: ReadonlyArray<[string, string]>): void {
    if (this.written.size + pairs.length > MAX_REMEMBERED) this.written = new Set();
    for (const [order, index] of pairs) this.written.add(`${order}\u0000${index}`);
  }
}

/** One statement per day scope, the scope's orders bound as one list: planning a long VALUES list cost four times as much. */
export async function writeOrderDays(connection: DuckDBConnection, pairs: ReadonlyArray<[string, string]>): Promise<void> {
  const byScope = new Map<string, string[]>();
  for (const [order, scope] of pairs) {
    const orders = byScope.get(scope);
    if (orders) orders.push(order);
    else byScope.set(scope, [order]);
  }
  for (const [scope, orders] of byScope) {
    await connection.run(`INSERT INTO ${ORDER_DAYS} SELECT unnest($1::VARCHAR[]), $2`, [listValue(orders), scope]);
  }
}
