import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Which indices hold each order, so a journey reads a few days instead of every index (R29).
 * Its name cannot clash with an index (index names never start with `_`). It has no key:
 * DuckDB does not use a two-column key for a one-column look-up, and keeping one costs
 * more at every append than the look-up's scan; a pair already written is skipped by
 * the writer's memory, and the rare repeat after a restart is folded by DISTINCT on read.
 */
export const ORDER_INDICES = '_order_indices';

/** Pairs remembered as written; past this many the memory starts afresh. */
const MAX_REMEMBERED = 1_000_000;
/** Pairs per INSERT statement. */
const PAIRS_PER_STATEMENT = 500;

export async function prepareOrderIndices(connection: DuckDBConnection): Promise<void> {
  const keyed = await connection.runAndReadAll(`SELECT count(*) FROM duckdb_constraints() WHERE table_name = '${ORDER_INDICES}' AND constraint_type = 'PRIMARY KEY'`);
  if (Number(keyed.getRows()[0]?.[0] ?? 0) > 0) {
    // A store written by an earlier version: the same pairs, without the key.
    await connection.run(`CREATE TABLE ${ORDER_INDICES}_unkeyed AS SELECT order_id, index_name FROM ${ORDER_INDICES}`);
    await connection.run(`DROP TABLE ${ORDER_INDICES}`);
    await connection.run(`ALTER TABLE ${ORDER_INDICES}_unkeyed RENAME TO ${ORDER_INDICES}`);
  }
  await connection.run(`CREATE TABLE IF NOT EXISTS ${ORDER_INDICES} (order_id VARCHAR NOT NULL, index_name VARCHAR NOT NULL)`);
}

export class OrderIndexMemory {
  private written = new Set<string>();

  /** The pairs of a batch not yet written, each once. */
  unwritten(events: Iterable<{ order_id: string | null; index: string }>): Array<[string, string]> {
    const pairs = new Map<string, [string, string]>();
    for (const event of events) {
      if (event.order_id === null) continue;
      const key = `${event.order_id}\u0000${event.index}`;
      if (!this.written.has(key)) pairs.set(key, [event.order_id, event.index]);
    }
    return [...pairs.values()];
  }

  /** Called once the pairs' transaction has committed. */
  remember(pairs: ReadonlyArray<[string, string]>): void {
    if (this.written.size + pairs.length > MAX_REMEMBERED) this.written = new Set();
    for (const [order, index] of pairs) this.written.add(`${order}\u0000${index}`);
  }
}

export async function writeOrderIndices(connection: DuckDBConnection, pairs: ReadonlyArray<[string, string]>): Promise<void> {
  for (let start = 0; start < pairs.length; start += PAIRS_PER_STATEMENT) {
    const chunk = pairs.slice(start, start + PAIRS_PER_STATEMENT);
    const values = chunk.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    await connection.run(`INSERT INTO ${ORDER_INDICES} VALUES ${values}`, chunk.flat());
  }
}
