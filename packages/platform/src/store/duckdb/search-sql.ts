import { LoupeError } from '@loupe/schema';
import { defaultColumnMap, kqlToSql, type KqlNode, type SqlParam } from '../../kql/index.js';
import { indexOverlaps, matchesIndexPattern } from '../index-names.js';
import type { TimeRange } from '../log-store.js';

export const DEFAULT_INDEX_PATTERN = 'logs-*';

/** The indices a request reads: those matching its pattern whose day overlaps its time range. */
export function selectIndices(all: Iterable<string>, pattern: string | undefined, range: TimeRange): string[] {
  return [...all].filter((name) => matchesIndexPattern(name, pattern ?? DEFAULT_INDEX_PATTERN) && indexOverlaps(name, range.from, range.to)).sort();
}

/** A time range as the first two parameters ($1 from, inclusive; $2 to, exclusive), open ends made explicit. */
export function rangeParams(range: TimeRange): [string, string] {
  return [new Date(range.from ?? 0).toISOString(), new Date(range.to ?? Date.UTC(9999, 0, 1)).toISOString()];
}

export interface FilteredUnion {
  /** `SELECT <columns> FROM t1 WHERE … UNION ALL SELECT …`, or undefined when no index qualifies. */
  sql: string | undefined;
  params: SqlParam[];
}

/**
 * One SELECT per index (hot table, cold file or both: `relationOf`) over the same filter: the time range first ($1, $2), then the
 * query's own parameters, then `extra` conditions the caller adds with later placeholders.
 */
export function filteredUnion(indices: string[], relationOf: (index: string) => string, columnsSql: string, query: KqlNode, range: TimeRange, extra: { where: string; params: SqlParam[] } = { where: 'TRUE', params: [] }): FilteredUnion {
  const params: SqlParam[] = rangeParams(range);
  const fragment = kqlToSql(query, defaultColumnMap, { firstParam: 3 });
  params.push(...fragment.params);
  const extraWhere = extra.where.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + params.length}`);
  params.push(...extra.params);
  if (indices.length === 0) return { sql: undefined, params };
  const where = `ts >= CAST($1 AS TIMESTAMP) AND ts < CAST($2 AS TIMESTAMP) AND ${fragment.where} AND ${extraWhere}`;
  // `_index` (a KQL field, or a field to group by) is no column: where the SQL names it, each index's rows carry their index's name.
  const namesIndex = /\b_index\b/.test(`${columnsSql} ${fragment.where} ${extraWhere}`);
  const from = (index: string) => (namesIndex ? `(SELECT *, '${index}' AS _index FROM ${relationOf(index)})` : relationOf(index));
  const sql = indices.map((index) => `SELECT '${index}' AS _index, ${columnsSql} FROM ${from(index)} WHERE ${where}`).join('\nUNION ALL\n');
  return { sql, params };
}

/** The SQL expression of a field for grouping (top values, histogram splits). */
export function fieldExpression(field: string): string {
  const typed = defaultColumnMap.columns.get(field);
  // As the ISO text a search shows: a TIMESTAMP value does not survive JSON.
  if (typed?.type === 'timestamp') return `strftime(${typed.sql}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (typed) return typed.sql;
  if (!/^[A-Za-z_@][A-Za-z0-9_.@-]*$/.test(field)) throw new LoupeError('SEARCH_BAD_FIELD', `"${field.slice(0, 80)}" is not a field name`);
  return `json_extract_string(attrs, '$."${field}"')`;
}
