import type { SqlParam } from '../../kql/index.js';
import type { JourneyEvents, JourneyRequest } from '../log-store.js';
import { toRecord, type StoredEvent } from '../stored-event.js';
import type { IndexSources } from './index-sources.js';
import { ORDER_KEY, orderKeySql } from './order-key.js';
import { readColumnsSql, tableIdentifier } from './table-sql.js';

type Read = (sql: string, params: SqlParam[]) => Promise<Record<string, unknown>[]>;

/** Rows closer than this are fetched by one range read: a range costs more to set up than a few hundred rows to read. */
const CLUSTER_GAP = 256;

const parameterList = (count: number, first: number) => Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');

/**
 * The journey's reads, shaped for DuckDB (R29). A filter such as `order_id = $1 OR trace_id
 * IN (…)` is not pushed into a table scan, so it would read every column of every row;
 * each of these reads is: (1) the key's rows and their trace ids; (2) the rows of those
 * traces (row ids only); (3) the rows found, by row-id ranges, which are pushed down, and
 * kept by row id.
 * Cold indices (Parquet files, no stable row ids) are read in one filtered pass.
 */
export async function readJourney(read: Read, sources: IndexSources, indices: string[], request: JourneyRequest): Promise<JourneyEvents> {
  const keyColumn = request.orderId !== undefined ? 'order_id' : 'trace_id';
  const key = request.orderId ?? request.traceId ?? '';
  const union = (columns: string, where: string, of: string[]) =>
    of.map((index) => `SELECT '${index}' AS _index, ${columns} FROM ${sources.relation(index)} WHERE ${where}`).join(' UNION ALL ');
  const hot = indices.filter((index) => sources.hot.has(index) && !sources.isCold(index));
  const cold = indices.filter((index) => sources.isCold(index));

  // In hot tables an order is found by its integer key first (order-key.ts).
  const hotKey = keyColumn === 'order_id' ? `${ORDER_KEY} = ${orderKeySql('$1')} AND order_id = $1` : 'trace_id = $1';
  const keyRows = [
    ...(hot.length > 0 ? await read(union('rowid AS r, trace_id', hotKey, hot), [key]) : []),
    ...(cold.length > 0 ? await read(union('trace_id', `${keyColumn} = $1`, cold), [key]) : []),
  ];
  const allTraces = [...new Set(keyRows.map((row) => row.trace_id).filter((id): id is string => typeof id === 'string'))].sort();
  const traceIds = allTraces.slice(0, request.maxTraces);
  const params: SqlParam[] = [key, ...traceIds];
  const inTraces = (first: number) => `trace_id IN (${parameterList(traceIds.length, first)})`;
  const where = traceIds.length > 0 ? `(${keyColumn} = $1 OR ${inTraces(2)})` : `${keyColumn} = $1`;

  const hits = keyRows.filter((row) => row.r !== undefined);
  // A trace's journey has its rows already: the key's rows are the trace's.
  if (keyColumn === 'order_id' && traceIds.length > 0 && hot.length > 0) hits.push(...await read(`${union('rowid AS r', scannedTraces(traceIds.length), hot)} LIMIT ${request.limit * 2 + 1}`, traceIds));
  const limit = request.limit + 1;
  const coldRows = cold.length > 0 ? await read(union(readColumnsSql, where, cold), params) : [];
  const rows = hits.length > request.limit * 2
    ? await read(`SELECT * FROM (${union(readColumnsSql, where, hot)}) ORDER BY ts, id LIMIT ${limit}`, params)
    : await readHits(read, hits);
  rows.push(...coldRows);
  rows.sort(byTimeThenId);
  rows.length = Math.min(rows.length, limit);
  const events = rows.slice(0, request.limit).map((row) => toRecord({ ...(row as unknown as StoredEvent), index: String(row._index) }));
  return { events, traceIds, truncated: rows.length > request.limit || allTraces.length > request.maxTraces };
}

/** Up to this many traces are looked for inside the table scan (see `scannedTraces`). */
const MAX_SCANNED_TRACES = 16;

/**
 * The traces' filter for the hot tables, with parameters $1…$count. DuckDB turns `IN (…)` into
 * a hash join over every row, while `list_contains` of a short list is tested inside the
 * scan: a quarter faster for an order's usual handful of traces. A long list would be
 * compared value by value on every row, so it keeps the join.
 */
function scannedTraces(count: number): string {
  const list = parameterList(count, 1);
  return count <= MAX_SCANNED_TRACES ? `list_contains([${list}], trace_id)` : `trace_id IN (${list})`;
}

/** Time order, as the store sorts: timestamp, then id. */
function byTimeThenId(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const byTime = Number(a.ts) - Number(b.ts);
  if (byTime !== 0) return byTime;
  const [x, y] = [String(a.id), String(b.id)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The rows found, by row-id ranges, in one read. Rows a range holds between hits are dropped
 * here, by row id, rather than by repeating the key and trace filter in SQL, which doubled the
 * read's time.
 */
async function readHits(read: Read, hits: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  if (hits.length === 0) return [];
  const wanted = new Set(hits.map((hit) => `${String(hit._index)}\u0000${Number(hit.r)}`));
  const parts = rowRanges(hits).map(({ index, from, to }) =>
    `SELECT '${index}' AS _index, rowid AS _r, ${readColumnsSql} FROM ${tableIdentifier(index)} WHERE rowid BETWEEN ${from} AND ${to}`);
  const rows = await read(parts.join(' UNION ALL '), []);
  return rows.filter((row) => wanted.has(`${String(row._index)}\u0000${Number(row._r)}`));
}

/** Sorted row ids per index, grouped into ranges with small gaps. */
function rowRanges(hits: Record<string, unknown>[]): Array<{ index: string; from: number; to: number }> {
  const byIndex = new Map<string, number[]>();
  for (const hit of hits) {
    const index = String(hit._index);
    const rows = byIndex.get(index) ?? [];
    rows.push(Number(hit.r));
    byIndex.set(index, rows);
  }
  const ranges: Array<{ index: string; from: number; to: number }> = [];
  for (const [index, rows] of byIndex) {
    rows.sort((a, b) => a - b);
    let from = rows[0]!;
    let previous = from;
    for (const row of rows.slice(1)) {
      if (row - previous > CLUSTER_GAP) {
        ranges.push({ index, from, to: previous });
        from = row;
      }
      previous = row;
    }
    ranges.push({ index, from, to: previous });
  }
  return ranges;
}
