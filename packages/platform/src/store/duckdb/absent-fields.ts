import { closestNames, defaultColumnMap, type SqlParam } from '../../kql/index.js';
import type { AbsentField, TimeRange } from '../log-store.js';
import { filteredUnion, rangeParams } from './search-sql.js';

type Read = (sql: string, params: SqlParam[]) => Promise<Record<string, unknown>[]>;

/** Events per index whose attribute names are offered as what a misspelt field meant. */
const SAMPLE_PER_INDEX = 2000;

/**
 * Of `fields`, those no event of the range holds (none when the range holds no event at all),
 * each with the field names closest to it: the typed columns' and the attribute names of a
 * sample of each index's events. Typed fields always count as held (every event has the
 * column). A held field is found by the first event that has it; an absent one costs a scan
 * of the range's attributes, so callers ask only when a search found nothing.
 */
export async function absentFields(read: Read, indices: string[], relationOf: (index: string) => string, fields: string[], range: TimeRange): Promise<AbsentField[]> {
  const others = [...new Set(fields)].filter((field) => !defaultColumnMap.columns.has(field));
  const held = async (where: string, params: SqlParam[]) => {
    const union = filteredUnion(indices, relationOf, '1 AS held', { kind: 'all' }, range, { where, params });
    return union.sql !== undefined && (await read(`SELECT held FROM (${union.sql}) LIMIT 1`, union.params)).length > 0;
  };
  // A range with no event at all says nothing about field names.
  if (others.length === 0 || !(await held('TRUE', []))) return [];
  const absent: string[] = [];
  for (const field of others) if (!(await held('json_exists(attrs, $1)', [`$."${field}"`]))) absent.push(field);
  if (absent.length === 0) return [];
  const names = [...defaultColumnMap.columns.keys(), ...(await sampledAttributeNames(read, indices, relationOf, range))];
  return absent.map((field) => ({ field, similar: closestNames(field, names) }));
}

/** The attribute names of the first events of each index in the range. */
async function sampledAttributeNames(read: Read, indices: string[], relationOf: (index: string) => string, range: TimeRange): Promise<string[]> {
  if (indices.length === 0) return [];
  const samples = indices.map((index) => `(SELECT attrs FROM ${relationOf(index)} WHERE ts >= CAST($1 AS TIMESTAMP) AND ts < CAST($2 AS TIMESTAMP) LIMIT ${SAMPLE_PER_INDEX})`);
  const rows = await read(`SELECT DISTINCT unnest(json_keys(attrs)) AS name FROM (${samples.join(' UNION ALL ')})`, rangeParams(range));
  return rows.map((row) => String(row.name));
}
