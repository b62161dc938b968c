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

/** Orders remembered as written (over all days); past this many the memory starts afresh. */
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

/** The orders with events on one day (its scope, see `dayScope`). */
export interface OrderDays {
  scope: string;
  orders: string[];
}

export class OrderDayMemory {
  /** Per day scope, the orders already written. */
  private written = new Map<string, Set<string>>();
  private size = 0;

  /** The orders per day not yet written, each once (a batch lists each of its orders once per day; see stage-batch.ts). */
  unwritten(batches: Iterable<readonly OrderDays[]>): OrderDays[] {
    const fresh = new Map<string, Set<string>>();
    for (const days of batches) {
      for (const { scope, orders } of days) {
        const known = this.written.get(scope);
        let found = fresh.get(scope);
        for (const order of orders) {
          if (known?.has(order)) continue;
          if (!found) fresh.set(scope, (found = new Set()));
          found.add(order);
        }
      }
    }
    return [...fresh].map(([scope, orders]) => ({ scope, orders: [...orders] }));
  }

  /** Called once the orders' transaction has committed. */
  remember(days: readonly OrderDays[]): void {
    const count = days.reduce((sum, day) => sum + day.orders.length, 0);
    if (this.size + count > MAX_REMEMBERED) {
      this.written = new Map();
      this.size = 0;
    }
    for (const { scope, orders } of days) {
      let known = this.written.get(scope);
      if (!known) this.written.set(scope, (known = new Set()));
      for (const order of orders) known.add(order);
    }
    this.size += count;
  }
}

/** One statement per day, its orders bound as one list: planning a long VALUES list cost four times as much. */
export async function writeOrderDays(connection: DuckDBConnection, days: readonly OrderDays[]): Promise<void> {
  for (const { scope, orders } of days) {
    if (orders.length > 0) await connection.run(`INSERT INTO ${ORDER_DAYS} SELECT unnest($1::VARCHAR[]), $2`, [listValue(orders), scope]);
  }
}
