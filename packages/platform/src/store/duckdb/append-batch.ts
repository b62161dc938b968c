import type { DuckDBConnection } from '@duckdb/node-api';
import { DEAD_LETTER_PREFIX, seriesIndices } from '../index-names.js';
import { sqlString, type IndexSources } from './index-sources.js';
import { writeOrderDays, type OrderDayMemory } from './order-indices.js';
import type { StagedBatch, StagedSlice } from './stage-batch.js';
import { insertColumnsSql, nextArrival, stagingColumnsSql, stagingToTableSql, tableColumnsSql, tableIdentifier } from './table-sql.js';

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
  /** The indices that exist, hot and cold; new hot tables are added after the commit. */
  sources: IndexSources;
  /** Newest timestamp per index, kept up to date by appends. */
  newestStored: Map<string, number>;
  /** The orders per day already written. */
  orderDays: OrderDayMemory;
  /** Whether new tables keep `attrs` zstd-compressed (see storage-format.ts). */
  zstdAttrs: boolean;
}

/**
 * Whether a slice's ids are looked for on every day of its index's series: an event stamped
 * on arrival, a dead letter among them, is stamped again when it is re-sent, so a re-sent one
 * has another time and may land in another day's index.
 */
export function checkedOnEveryDay(slice: StagedSlice): boolean {
  return slice.arrival || slice.index.startsWith(DEAD_LETTER_PREFIX);
}

/** The index's table, created in this transaction (and noted in `created`) when it is new. */
async function ensureTable(connection: DuckDBConnection, index: string, options: AppendOptions, created: Set<string>): Promise<string> {
  const table = tableIdentifier(index);
  if (!options.sources.hot.has(index) && !created.has(index)) {
    await connection.run(`CREATE TABLE IF NOT EXISTS ${table} (${tableColumnsSql(options.zstdAttrs)})`);
    created.add(index);
  }
  return table;
}

/** The rows of staging files, read by DuckDB's JSON reader. */
function stagedRows(slices: readonly StagedSlice[]): string {
  return `read_json([${slices.map((slice) => sqlString(slice.file)).join(', ')}], format = 'newline_delimited', columns = ${stagingColumnsSql})`;
}

/** Inserts slices known to hold no stored id, with one statement. */
async function insertFiles(connection: DuckDBConnection, index: string, slices: readonly StagedSlice[], options: AppendOptions, created: Set<string>, arrived: number): Promise<void> {
  const table = await ensureTable(connection, index, options, created);
  await connection.run(`INSERT INTO ${table} (${insertColumnsSql}) SELECT ${stagingToTableSql(arrived)} FROM ${stagedRows(slices)}`);
}

/** Adds one index's slice to its table (created by this transaction when `created` holds it); returns the ids it already held. */
async function appendSlice(
  connection: DuckDBConnection, slice: StagedSlice, options: AppendOptions, written: Map<string, number>, created: Set<string>, arrived: number,
): Promise<string[]> {
  const index = slice.index;
  const table = await ensureTable(connection, index, options, created);
  const staged = stagedRows([slice]);
  // An id that comes with its own timestamp always comes with the same one, so a batch newer
  // than everything stored holds no duplicates: the common case of a shipper appending skips
  // the id check.
  const newest = written.get(index) ?? (await newestStoredTs(connection, index, options));
  const everyDay = checkedOnEveryDay(slice);
  written.set(index, Math.max(newest, slice.maxTs));
  if (slice.minTs > newest && !everyDay) {
    await insertFiles(connection, index, [slice], options, created, arrived);
    return [];
  }
  await connection.run(`CREATE OR REPLACE TEMP TABLE staging AS SELECT * FROM ${staged}`);
  const relation = (name: string) => (created.has(name) && options.sources.isCold(name) ? `(SELECT id, ts FROM ${tableIdentifier(name)} UNION ALL SELECT id, ts FROM ${options.sources.relation(name)})` : options.sources.relation(name));
  const storedIds = everyDay
    ? `(${seriesIndices(index, [...new Set([...options.sources.names(), ...created])]).map((name) => `SELECT id FROM ${relation(name)}`).join(' UNION ALL ')})`
    : `(SELECT id FROM ${relation(index)} WHERE ts BETWEEN make_timestamp(CAST($1 AS BIGINT)) AND make_timestamp(CAST($2 AS BIGINT)))`;
  const params = everyDay ? [] : [BigInt(Math.trunc(slice.minTs)) * 1000n, BigInt(Math.trunc(slice.maxTs)) * 1000n];
  const known = await connection.runAndReadAll(`SELECT s.id FROM staging s SEMI JOIN ${storedIds} e ON s.id = e.id`, params);
  await connection.run(`INSERT INTO ${table} (${insertColumnsSql}) SELECT ${stagingToTableSql(arrived)} FROM staging s ANTI JOIN ${storedIds} e ON s.id = e.id`, params);
  await connection.run('DROP TABLE staging');
  return known.getRows().map(([id]) => String(id));
}

/** Each index's slices over the batches, in batch order. */
function slicesByIndex(batches: readonly StagedBatch[]): Map<string, Array<{ batch: number; slice: StagedSlice }>> {
  const byIndex = new Map<string, Array<{ batch: number; slice: StagedSlice }>>();
  batches.forEach((staged, batch) => {
    for (const slice of staged.slices) {
      const list = byIndex.get(slice.index);
      if (list) list.push({ batch, slice });
      else byIndex.set(slice.index, [{ batch, slice }]);
    }
  });
  return byIndex;
}

/** True when the slices' time spans lie after `newest` and do not overlap one another. */
function disjointAfter(slices: readonly StagedSlice[], newest: number): boolean {
  const sorted = [...slices].sort((a, b) => a.minTs - b.minTs);
  let last = newest;
  for (const slice of sorted) {
    if (slice.minTs <= last) return false;
    last = slice.maxTs;
  }
  return true;
}

/**
 * Writes staged batches in one transaction, in order: each index's staging file is loaded by
 * DuckDB's native JSON reader straight into the index's table (far faster than appending
 * value by value from JavaScript), minus the ids the index already holds, including those a
 * batch earlier in the same transaction wrote. Returns, per batch, the ids it found stored.
 * The staging files are the caller's to remove.
 */
export async function appendStaged(connection: DuckDBConnection, batches: readonly StagedBatch[], options: AppendOptions): Promise<Array<Set<string>>> {
  const existing = batches.map(() => new Set<string>());
  if (batches.every((batch) => batch.slices.length === 0)) return existing;
  const days = options.orderDays.unwritten(batches.map((batch) => batch.orderDays));
  // Newest timestamp per index written in this transaction: published only once it commits.
  const written = new Map<string, number>();
  const created = new Set<string>();
  // One writer loads in turn, so each load's stamp is above every stamp a reader has seen committed.
  const arrived = nextArrival();
  await connection.run('BEGIN TRANSACTION');
  try {
    const pending: Array<{ batch: number; slice: StagedSlice }> = [];
    for (const [index, slices] of slicesByIndex(batches)) {
      // Newer than everything stored and not overlapping one another: no id can repeat, so
      // all the batches' files for this index go in with one statement.
      const newest = written.get(index) ?? (await newestStoredTs(connection, index, options));
      if (slices.length > 1 && !slices.some(({ slice }) => checkedOnEveryDay(slice)) && disjointAfter(slices.map(({ slice }) => slice), newest)) {
        await insertFiles(connection, index, slices.map(({ slice }) => slice), options, created, arrived);
        written.set(index, Math.max(newest, ...slices.map(({ slice }) => slice.maxTs)));
      } else {
        pending.push(...slices);
      }
    }
    pending.sort((a, b) => a.batch - b.batch);
    for (const { batch, slice } of pending) {
      for (const id of await appendSlice(connection, slice, options, written, created, arrived)) existing[batch]!.add(id);
    }
    await writeOrderDays(connection, days);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  options.orderDays.remember(days);
  // Readers see a new table only once it has committed.
  for (const index of created) options.sources.hot.add(index);
  for (const [index, newest] of written) options.newestStored.set(index, newest);
  return existing;
}
