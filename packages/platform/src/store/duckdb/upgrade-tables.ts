/** Brings tables an older store wrote up to the current layout, once, at start: columns added since are added and filled. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ORDER_KEY, orderKeySql } from './order-key.js';
import { ARRIVED, arrivalsAfter, tableIdentifier } from './table-sql.js';

/** Of `tables`, those without the column. */
async function tablesWithout(connection: DuckDBConnection, column: string, tables: Iterable<string>): Promise<string[]> {
  const reader = await connection.runAndReadAll(`SELECT table_name FROM duckdb_columns() WHERE schema_name = 'main' AND column_name = '${column}'`);
  const having = new Set(reader.getRows().map(([name]) => String(name)));
  return [...tables].filter((table) => !having.has(table));
}

/** Adds the key to tables written before it existed, once, at start. */
export async function addOrderKeys(connection: DuckDBConnection, tables: Iterable<string>): Promise<void> {
  for (const table of await tablesWithout(connection, ORDER_KEY, tables)) {
    const identifier = tableIdentifier(table);
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run(`ALTER TABLE ${identifier} ADD COLUMN ${ORDER_KEY} UINTEGER`);
      await connection.run(`UPDATE ${identifier} SET ${ORDER_KEY} = ${orderKeySql('order_id')} WHERE order_id IS NOT NULL`);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

/**
 * Adds the arrival stamp to tables written before it existed, once, at start (their rows keep
 * NULL, as loaded before any tail), and keeps new loads' stamps above the newest stored.
 */
export async function addArrivalStamps(connection: DuckDBConnection, tables: Iterable<string>): Promise<void> {
  const all = [...tables];
  for (const table of await tablesWithout(connection, ARRIVED, all)) await connection.run(`ALTER TABLE ${tableIdentifier(table)} ADD COLUMN ${ARRIVED} BIGINT`);
  if (all.length === 0) return;
  const newest = await connection.runAndReadAll(`SELECT CAST(max(a) AS DOUBLE) FROM (${all.map((table) => `SELECT max(${ARRIVED}) AS a FROM ${tableIdentifier(table)}`).join(' UNION ALL ')})`);
  const stamp = newest.getRows()[0]?.[0];
  if (typeof stamp === 'number') arrivalsAfter(stamp);
}
