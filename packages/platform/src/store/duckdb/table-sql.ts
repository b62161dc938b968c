import { typedColumns } from '../stored-event.js';
import { ORDER_KEY, orderKeySql } from './order-key.js';

/** A DuckDB identifier for an index table. Index names are validated (`[a-z0-9._-]`), quoting keeps dots and dashes. */
export function tableIdentifier(index: string): string {
  return `"${index.replaceAll('"', '""')}"`;
}

/**
 * When a row was loaded (epoch ms, one value per load, rising from load to load: see
 * `nextArrival`): the live tail follows new rows by it, whatever their timestamps. Hot
 * tables only; NULL in rows loaded before the column existed.
 */
export const ARRIVED = 'arrived_ms';

/** Column definitions of an index table, in storage order; `attrs` zstd-compressed where the file allows it. */
export function tableColumnsSql(zstdAttrs: boolean): string {
  return [
    'id VARCHAR NOT NULL',
    'ts TIMESTAMP NOT NULL',
    ...typedColumns.map(({ column, sqlType }) => `${column} ${sqlType}`),
    zstdAttrs ? 'attrs JSON USING COMPRESSION zstd' : 'attrs JSON',
    `${ORDER_KEY} UINTEGER`,
    `${ARRIVED} BIGINT`,
  ].join(', ');
}

export const columnNames = ['id', 'ts', ...typedColumns.map((c) => c.column), 'attrs'];

/** The columns a load fills, named: a table from an older store has its later columns in the order they were added. */
export const insertColumnsSql = [...columnNames, ORDER_KEY, ARRIVED].join(', ');

let lastArrival = 0;

/** The arrival stamp of the next load: now, but always above the last one, so loads in order have rising stamps. */
export function nextArrival(): number {
  lastArrival = Math.max(Date.now(), lastArrival + 1);
  return lastArrival;
}

/** Keeps the next stamps above `stamp`, the newest a store holds: a clock set back between two runs does not put new loads behind old ones. */
export function arrivalsAfter(stamp: number): void {
  lastArrival = Math.max(lastArrival, stamp);
}

/** The `columns={…}` argument of read_json for a staging file (one per index): ts is epoch ms, maybe with a fraction. */
export const stagingColumnsSql = `{id: 'VARCHAR', ts: 'DOUBLE', ${typedColumns
  .map(({ column, sqlType }) => `${column}: '${sqlType}'`)
  .join(', ')}, attrs: 'JSON'}`;

/** SELECT list turning staging rows into table rows (`insertColumnsSql`), stamped as loaded at `arrived`. */
export function stagingToTableSql(arrived: number): string {
  return ['id', 'make_timestamp(CAST(trunc(ts) AS BIGINT) * 1000)', ...typedColumns.map((c) => c.column), 'attrs', orderKeySql('order_id'), String(Math.trunc(arrived))].join(', ');
}

/** SELECT list reading table rows back with JavaScript-friendly types. */
export const readColumnsSql = [
  'id',
  'CAST(epoch_ms(ts) AS DOUBLE) AS ts',
  ...typedColumns.map(({ column, sqlType }) => (sqlType === 'BIGINT' ? `CAST(${column} AS DOUBLE) AS ${column}` : column)),
  'CAST(attrs AS VARCHAR) AS attrs',
].join(', ');
