import { typedColumns } from '../stored-event.js';
import { ORDER_KEY, orderKeySql } from './order-key.js';

/** A DuckDB identifier for an index table. Index names are validated (`[a-z0-9._-]`), quoting keeps dots and dashes. */
export function tableIdentifier(index: string): string {
  return `"${index.replaceAll('"', '""')}"`;
}

/** Column definitions of an index table, in storage order; `attrs` zstd-compressed where the file allows it. */
export function tableColumnsSql(zstdAttrs: boolean): string {
  return [
    'id VARCHAR NOT NULL',
    'ts TIMESTAMP NOT NULL',
    ...typedColumns.map(({ column, sqlType }) => `${column} ${sqlType}`),
    zstdAttrs ? 'attrs JSON USING COMPRESSION zstd' : 'attrs JSON',
    `${ORDER_KEY} UINTEGER`,
  ].join(', ');
}

export const columnNames = ['id', 'ts', ...typedColumns.map((c) => c.column), 'attrs'];

/** The `columns={…}` argument of read_json for a staging file (one per index): ts is epoch ms, maybe with a fraction. */
export const stagingColumnsSql = `{id: 'VARCHAR', ts: 'DOUBLE', ${typedColumns
  .map(({ column, sqlType }) => `${column}: '${sqlType}'`)
  .join(', ')}, attrs: 'JSON'}`;

/** SELECT list turning staging rows into table rows. */
export const stagingToTableSql = ['id', 'make_timestamp(CAST(trunc(ts) AS BIGINT) * 1000)', ...typedColumns.map((c) => c.column), 'attrs', orderKeySql('order_id')].join(', ');

/** SELECT list reading table rows back with JavaScript-friendly types. */
export const readColumnsSql = [
  'id',
  'CAST(epoch_ms(ts) AS DOUBLE) AS ts',
  ...typedColumns.map(({ column, sqlType }) => (sqlType === 'BIGINT' ? `CAST(${column} AS DOUBLE) AS ${column}` : column)),
  'CAST(attrs AS VARCHAR) AS attrs',
].join(', ');
