import { closestNames, defaultColumnMap, type SqlParam } from '../../kql/index.js';
import type { AbsentField, TimeRange } from '../log-store.js';
import { filteredUnion, rangeParams } from './search-sql.js';

type Read = (sql: string, params: SqlParam[]) => Promise<Record<string, unknown>[]>;

/** Events per index whose attribute names are offered as what a misspelt field meant. */
const SAMPLE_PER_INDEX = 2000;
/** Fields looked for beyond the sample, in one scan: a query naming more is told about these. */
const MAX_SCANNED_FIELDS = 10;

/**
 * Of `fields`, those no event of the range holds (none when the range holds no event at all),
 * each with the field names closest to it: the typed columns' and the attribute names of a
 * sample of each index's events. Typed fields always count as held (every event has the
 * column), and so do names the sample holds. The first ten others are looked for in one scan
 * of the range's attributes, so the cost stays that of one read however many fields a query
 * names; callers ask only when a search found nothing.
 */
export async function absentFields(read: Read, indices: string[], relationOf: (index: string) => string, fields: string[], range: TimeRange): Promise<AbsentField[]> {
  const others = [...new Set(fields)].filter((field) => !defaultColumnMap.columns.has(field));
  // A range with no event at all says nothing about field names.
  const any = filteredUnion(indices, relationOf, '1 AS held', { kind: 'all' }, range);
  if (others.length === 0 || any.sql === undefined || (await read(`SELECT held FROM (${any.sql}) LIMIT 1`, any.params)).length === 0) return [];
  const sampled = await sampledAttributeNames(read, indices, relationOf, range);
  const known = new Set(sampled);
  const unseen = others.filter((field) => !known.has(field)).slice(0, MAX_SCANNED_FIELDS);
  if (unseen.length === 0) return [];
  const scan = filteredUnion(indices, relationOf, 'attrs', { kind: 'all' }, range);
  const checks = unseen.map((_, i) => `bool_or(json_exists(attrs, $${scan.params.length + i + 1})) AS h${i}`);
  const [row] = await read(`SELECT ${checks.join(', ')} FROM (${scan.sql})`, [...scan.params, ...unseen.map((field) => `$."${field}"`)]);
  const absent = unseen.filter((_, i) => row?.[`h${i}`] !== true);
  const names = [...defaultColumnMap.columns.keys(), ...sampled];
  // An object's name (`order`) most likely meant the fields under it (`order.id`).
  const under = (field: string) => [...new Set(names.filter((name) => name.startsWith(`${field}.`)))].sort().slice(0, 5);
  return absent.map((field) => {
    const fieldsUnder = under(field);
    return { field, similar: fieldsUnder.length > 0 ? fieldsUnder : closestNames(field, names) };
  });
}

/** The attribute names of the first events of each index in the range. */
async function sampledAttributeNames(read: Read, indices: string[], relationOf: (index: string) => string, range: TimeRange): Promise<string[]> {
  if (indices.length === 0) return [];
  const samples = indices.map((index) => `(SELECT attrs FROM ${relationOf(index)} WHERE ts >= CAST($1 AS TIMESTAMP) AND ts < CAST($2 AS TIMESTAMP) LIMIT ${SAMPLE_PER_INDEX})`);
  const rows = await read(`SELECT DISTINCT unnest(json_keys(attrs)) AS name FROM (${samples.join(' UNION ALL ')})`, rangeParams(range));
  return rows.map((row) => String(row.name));
}
