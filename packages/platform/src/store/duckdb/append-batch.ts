import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoredEvent } from '../stored-event.js';
import { typedColumns } from '../stored-event.js';
import { DEAD_LETTER_PREFIX } from '../index-names.js';
import { sqlString, type IndexSources } from './index-sources.js';
import { writeOrderDays, type OrderDayMemory } from './order-indices.js';
import { stagingColumnsSql, stagingToTableSql, tableColumnsSql, tableIdentifier } from './table-sql.js';

/** One index's part of a batch: its staging lines and time span. */
interface IndexSlice {
  lines: string[];
  minTs: number;
  maxTs: number;
  file: string;
}

let stagingSequence = 0;

/** One staging line: short keys, so JSON.stringify and DuckDB's reader have less to do. */
function stagingLine(event: StoredEvent): string {
  const row: Record<string, unknown> = { id: event.id, ts: Math.trunc(event.ts) };
  for (const { column } of typedColumns) {
    const value = event[column];
    if (value !== null && value !== undefined) row[column] = value;
  }
  row.attrs = event.attrs;
  return JSON.stringify(row);
}
/** The newest timestamp (epoch ms) an index holds, read once and then kept up to date by appends. */
async function newestStoredTs(connection: DuckDBConnection, index: string, options: AppendOptions): Promise<number> {
  const known = options.newestStored.get(index);
  if (known !== undefined) return known;
  if (!options.sources.has(index)) return -Infinity;
  const reader = await connection.runAndReadAll(`SELECT CAST(epoch_ms(max(ts)) AS DOUBLE) FROM ${options.sources.relation(index)}`);
  const newest = reader.getRows()[0]?.[0];
  const value = typeof newest === 'number' ? newest : -Infinity;
  options.newestStored.set(index, value);
  return value;
}

export interface AppendOptions {
  /** Where staging files go. */
  tmpDir: string;
  /** The indices that exist, hot and cold; new hot tables are added after the commit. */
  sources: IndexSources;
  /** Newest timestamp per index, kept up to date by appends. */
  newestStored: Map<string, number>;
  /** The (order, day) pairs already written. */
  orderDays: OrderDayMemory;
  /** Whether new tables keep `attrs` zstd-compressed (see storage-format.ts). */
  zstdAttrs: boolean;
}

/** Splits a batch by index, without repeated ids. */
function sliceByIndex(events: readonly StoredEvent[], tmpDir: string): Map<string, IndexSlice> {
  const seen = new Set<string>();
  const slices = new Map<string, IndexSlice>();
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const slice = slices.get(event.index);
    if (slice) {
      slice.lines.push(stagingLine(event));
      if (event.ts < slice.minTs) slice.minTs = event.ts;
      if (event.ts > slice.maxTs) slice.maxTs = event.ts;
    } else {
      const file = join(tmpDir, `staging-${process.pid}-${++stagingSequence}.ndjson`);
      slices.set(event.index, { lines: [stagingLine(event)], minTs: event.ts, maxTs: event.ts, file });
    }
  }
  return slices;
}

/** Every dead-letter index, this one first: a line re-sent on a later day lands in another day's index, and is still a duplicate. */
function deadLetterIndices(index: string, sources: IndexSources): string[] {
  return [index, ...sources.names().filter((name) => name !== index && name.startsWith(DEAD_LETTER_PREFIX))];
}

/** Adds one index's slice to its table; returns the ids it already held. */
async function appendSlice(connection: DuckDBConnection, index: string, slice: IndexSlice, options: AppendOptions): Promise<string[]> {
  const table = tableIdentifier(index);
  const staged = `read_json(${sqlString(slice.file)}, format = 'newline_delimited', columns = ${stagingColumnsSql})`;
  if (!options.sources.hot.has(index)) await connection.run(`CREATE TABLE IF NOT EXISTS ${table} (${tableColumnsSql(options.zstdAttrs)})`);
  // An id always comes with the same timestamp, so a batch newer than everything stored
  // holds no duplicates: the common case of a shipper appending skips the id check.
  const newest = await newestStoredTs(connection, index, options);
  // A dead letter is stamped when it arrives, so a re-sent one has a new time: its id is checked against every dead-letter index.
  const deadLetters = index.startsWith(DEAD_LETTER_PREFIX);
  if (slice.minTs > newest && !deadLetters) {
    await connection.run(`INSERT INTO ${table} SELECT ${stagingToTableSql} FROM ${staged}`);
    return [];
  }
  await connection.run(`CREATE OR REPLACE TEMP TABLE staging AS SELECT * FROM ${staged}`);
  const storedIds = deadLetters
    ? `(${deadLetterIndices(index, options.sources).map((name) => `SELECT id FROM ${options.sources.relation(name)}`).join(' UNION ALL ')})`
    : `(SELECT id FROM ${options.sources.relation(index)} WHERE ts BETWEEN make_timestamp(CAST($1 AS BIGINT)) AND make_timestamp(CAST($2 AS BIGINT)))`;
  const params = deadLetters ? [] : [BigInt(Math.trunc(slice.minTs)) * 1000n, BigInt(Math.trunc(slice.maxTs)) * 1000n];
  const known = await connection.runAndReadAll(`SELECT s.id FROM staging s SEMI JOIN ${storedIds} e ON s.id = e.id`, params);
  await connection.run(`INSERT INTO ${table} SELECT ${stagingToTableSql} FROM staging s ANTI JOIN ${storedIds} e ON s.id = e.id`, params);
  await connection.run('DROP TABLE staging');
  return known.getRows().map(([id]) => String(id));
}

/**
 * Writes a batch in one transaction: each index's events go to a staging file that DuckDB's
 * native JSON reader loads straight into the index's table (far faster than appending value
 * by value from JavaScript), minus the ids the index already holds. Returns those ids.
 */
export async function appendBatch(connection: DuckDBConnection, events: readonly StoredEvent[], options: AppendOptions): Promise<Set<string>> {
  const existing = new Set<string>();
  const slices = sliceByIndex(events, options.tmpDir);
  if (slices.size === 0) return existing;
  const pairs = options.orderDays.unwritten(events);
  try {
    await Promise.all([...slices.values()].map((slice) => writeFile(slice.file, slice.lines.join('\n'))));
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const [index, slice] of slices) {
        for (const id of await appendSlice(connection, index, slice, options)) existing.add(id);
      }
      await writeOrderDays(connection, pairs);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    options.orderDays.remember(pairs);
    for (const [index, slice] of slices) {
      options.sources.hot.add(index);
      options.newestStored.set(index, Math.max(options.newestStored.get(index) ?? -Infinity, slice.maxTs));
    }
  } finally {
    await Promise.all([...slices.values()].map((slice) => rm(slice.file, { force: true })));
  }
  return existing;
}
