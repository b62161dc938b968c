import { F } from '@loupe/schema';
import type { KqlNode, SqlParam } from '../../kql/index.js';
import { FIELD_SAMPLE_SIZE, type FieldInfo, type FieldList, type FieldType, type TimeRange } from '../log-store.js';
import { typedColumns } from '../stored-event.js';
import { filteredUnion } from './search-sql.js';

type Read = (sql: string, params: SqlParam[]) => Promise<Record<string, unknown>[]>;

/** The fields in columns of their own, with the type a search compares them as. */
const columnFields: ReadonlyArray<{ field: string; sql: string; type: FieldType }> = [
  { field: '_id', sql: 'id', type: 'keyword' },
  { field: F.timestamp, sql: 'ts', type: 'date' },
  ...typedColumns.map(({ field, column, kind }) => ({ field, sql: column, type: kind === 'level' ? 'keyword' as const : kind })),
];

/** DuckDB's JSON type names (`json_each`) as the field list names them. */
const jsonTypes: Readonly<Record<string, FieldType>> = {
  VARCHAR: 'string', BIGINT: 'number', UBIGINT: 'number', DOUBLE: 'number', BOOLEAN: 'boolean', ARRAY: 'array', OBJECT: 'object',
};

/**
 * The fields of the newest `sampleSize` events of the range that match `query` (R28): every
 * column field some of them hold and every attribute name, with how many of them hold a
 * value and its type.
 */
export async function fieldList(read: Read, indices: string[], relationOf: (index: string) => string, query: KqlNode, range: TimeRange, sampleSize = FIELD_SAMPLE_SIZE): Promise<FieldList> {
  const size = Math.min(Math.max(1, Math.trunc(sampleSize)), FIELD_SAMPLE_SIZE);
  // The sample is the range from its newest event back to the size-th newest: finding where
  // that starts reads one column, and the counts then read only the rows after it.
  const newest = filteredUnion(indices, relationOf, 'ts', query, range);
  if (!newest.sql) return { sampled: 0, fields: [] };
  const [start] = await read(`SELECT CAST(epoch_ms(ts) AS DOUBLE) AS ms FROM (${newest.sql}) ORDER BY ts DESC LIMIT 1 OFFSET ${size - 1}`, newest.params);
  const sampleRange = start ? { from: Math.max(range.from ?? -Infinity, Number(start.ms)), to: range.to } : range;
  const union = filteredUnion(indices, relationOf, [...columnFields.map(({ sql }) => sql), 'attrs'].join(', '), query, sampleRange);
  const counts = [
    `SELECT NULL AS field, CAST(count(*) AS DOUBLE) AS n, NULL AS types, -1 AS col FROM sample`,
    // A column row carries its place in `columnFields`, an attribute row its name.
    ...columnFields.map(({ sql }, i) => `SELECT NULL, CAST(count(${sql}) AS DOUBLE), NULL, ${i} FROM sample`),
    `SELECT j.key, CAST(count(*) FILTER (WHERE j.type <> 'NULL') AS DOUBLE), string_agg(DISTINCT j.type, ',') FILTER (WHERE j.type <> 'NULL'), NULL FROM sample, json_each(CAST(sample.attrs AS JSON)) j GROUP BY j.key`,
  ];
  // Events sharing the oldest sampled millisecond may be many: the limit keeps the sample to its size.
  const rows = await read(`WITH sample AS MATERIALIZED (SELECT * FROM (${union.sql}) ORDER BY ts DESC, id DESC LIMIT ${size})\n${counts.join('\nUNION ALL\n')}`, union.params);
  let sampled = 0;
  const fields: FieldInfo[] = [];
  for (const row of rows) {
    const events = Number(row.n);
    if (row.col === -1) {
      sampled = events;
      continue;
    }
    if (events === 0) continue;
    const column = row.col === null ? undefined : columnFields[Number(row.col)]!;
    if (column) fields.push({ field: column.field, type: column.type, events, column: true });
    else fields.push({ field: String(row.field), ...attributeType(String(row.types).split(',')), events, column: false });
  }
  fields.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return { sampled, fields };
}

function attributeType(seen: string[]): { type: FieldType; types?: string[] } {
  const types = [...new Set(seen.map((type) => jsonTypes[type] ?? type.toLowerCase()))].sort();
  return types.length === 1 ? { type: types[0] as FieldType } : { type: 'mixed', types };
}
