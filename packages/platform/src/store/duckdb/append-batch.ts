import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoredEvent } from '../stored-event.js';
import { typedColumns } from '../stored-event.js';
import type { IndexSources } from './index-sources.js';
import { stagingColumnsSql, stagingToTableSql, tableColumnsSql, tableIdentifier } from './table-sql.js';

interface IndexSlice {
  minTs: number;
  maxTs: number;
}

let stagingSequence = 0;

/** Table of (order id, index) pairs; its name cannot clash with an index (index names have no `_` first). */
export const ORDER_INDICES = '_order_indices';
export const orderIndicesSql = `CREATE TABLE IF NOT EXISTS ${ORDER_INDICES} (order_id VARCHAR, index_name VARCHAR, PRIMARY KEY (order_id, index_name))`;

/** One staging line: short keys, so JSON.stringify and DuckDB's reader have less to do. */
function stagingLine(event: StoredEvent): string {
  const row: Record<string, unknown> = { i: event.index, id: event.id, ts: Math.trunc(event.ts) };
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
}

/**
 * Writes a batch in one transaction: the events go to a staging file that DuckDB's native
 * JSON reader loads (far faster than appending value by value from JavaScript), then each
 * index takes its rows minus the ids it already holds. Returns the ids that were already stored.
 */
export async function appendBatch(
  connection: DuckDBConnection,
  events: readonly StoredEvent[],
  options: AppendOptions,
): Promise<Set<string>> {
  const existing = new Set<string>();
  const seen = new Set<string>();
  const slices = new Map<string, IndexSlice>();
  const lines: string[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    lines.push(stagingLine(event));
    const slice = slices.get(event.index);
    if (slice) {
      if (event.ts < slice.minTs) slice.minTs = event.ts;
      if (event.ts > slice.maxTs) slice.maxTs = event.ts;
    } else {
      slices.set(event.index, { minTs: event.ts, maxTs: event.ts });
    }
  }
  if (lines.length === 0) return existing;

  const file = join(options.tmpDir, `staging-${process.pid}-${++stagingSequence}.ndjson`);
  await writeFile(file, lines.join('\n'));
  try {
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run(
        `CREATE OR REPLACE TEMP TABLE staging AS SELECT * FROM read_json('${file.replaceAll("'", "''")}', format = 'newline_delimited', columns = ${stagingColumnsSql})`,
      );
      for (const [index, slice] of slices) {
        const table = tableIdentifier(index);
        if (!options.sources.hot.has(index)) await connection.run(`CREATE TABLE IF NOT EXISTS ${table} (${tableColumnsSql})`);
        // An id always comes with the same timestamp, so a batch newer than everything stored
        // holds no duplicates: the common case of a shipper appending skips the id check.
        const newest = await newestStoredTs(connection, index, options);
        if (slice.minTs > newest) {
          await connection.run(`INSERT INTO ${table} SELECT ${stagingToTableSql} FROM staging s WHERE s.i = $1`, [index]);
          continue;
        }
        const storedIds = `(SELECT id FROM ${options.sources.relation(index)} WHERE ts BETWEEN make_timestamp(CAST($2 AS BIGINT)) AND make_timestamp(CAST($3 AS BIGINT)))`;
        const params = [index, BigInt(Math.trunc(slice.minTs)) * 1000n, BigInt(Math.trunc(slice.maxTs)) * 1000n];
        const known = await connection.runAndReadAll(`SELECT s.id FROM staging s SEMI JOIN ${storedIds} e ON s.id = e.id WHERE s.i = $1`, params);
        for (const [id] of known.getRows()) existing.add(String(id));
        await connection.run(`INSERT INTO ${table} SELECT ${stagingToTableSql} FROM staging s ANTI JOIN ${storedIds} e ON s.id = e.id WHERE s.i = $1`, params);
      }
      // Which indices hold each order, so a journey reads a few days instead of every index.
      await connection.run(`INSERT OR IGNORE INTO ${ORDER_INDICES} SELECT DISTINCT order_id, i FROM staging WHERE order_id IS NOT NULL`);
      await connection.run('DROP TABLE staging');
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    for (const [index, slice] of slices) {
      options.sources.hot.add(index);
      options.newestStored.set(index, Math.max(options.newestStored.get(index) ?? -Infinity, slice.maxTs));
    }
  } finally {
    await rm(file, { force: true });
  }
  return existing;
}
