import { existsSync, openSync, fsyncSync, closeSync, renameSync, rmSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '@loupe/schema';
import { assertIndexName } from '../index-names.js';
import { sqlString, type IndexSources } from './index-sources.js';
import { ORDER_KEY } from './order-key.js';
import { ARRIVED, tableIdentifier } from './table-sql.js';

export interface ColdMove {
  index: string;
  /** Events in the cold file (earlier cold rows of the index included). */
  events: number;
  /** Size of the Parquet file. */
  bytes: number;
}

/** Moves between the table's drop and the file's rename: finished at the next start. */
const COLD_MOVES = '_cold_moves';
const PARTIAL = '.partial';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Completes moves a crash interrupted: a move whose table drop committed gets its file renamed
 * into place; a partial file without one (the crash came before the drop) is removed, since
 * the table still holds its rows.
 */
export async function finishColdMoves(connection: DuckDBConnection, sources: IndexSources): Promise<void> {
  await connection.run(`CREATE TABLE IF NOT EXISTS ${COLD_MOVES} (index_name VARCHAR PRIMARY KEY)`);
  const pending = (await connection.runAndReadAll(`SELECT index_name FROM ${COLD_MOVES}`)).getRows().map(([name]) => String(name));
  for (const index of pending) {
    const target = sources.coldPath(index);
    if (existsSync(target + PARTIAL)) renameSync(target + PARTIAL, target);
    sources.markCold(index);
  }
  if (pending.length > 0) await connection.run(`DELETE FROM ${COLD_MOVES}`);
  for (const file of readdirSync(sources.coldDir)) if (file.endsWith(PARTIAL)) rmSync(join(sources.coldDir, file), { force: true });
}

/**
 * Writes every row of an index (its hot table and any earlier cold file) to one zstd Parquet
 * file sorted by time (without the hot tier's `order_key`), then drops the table. The file is written beside its final name, synced,
 * and renamed only after the drop has committed, so a crash at any point leaves each row in
 * exactly one place.
 */
export async function moveIndexToCold(connection: DuckDBConnection, sources: IndexSources, index: string): Promise<ColdMove> {
  assertIndexName(index);
  if (!sources.hot.has(index)) {
    throw new LoupeError('INDEX_NOT_HOT', `Index "${index}" has no hot data to move to the cold tier`, 404);
  }
  const target = sources.coldPath(index);
  const partial = target + PARTIAL;
  await connection.run(
    `COPY (SELECT * EXCLUDE (${ORDER_KEY}, ${ARRIVED}) FROM ${sources.relation(index)} ORDER BY ts, id) TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9, ROW_GROUP_SIZE 122880)`,
  );
  fsyncPath(partial);
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`DROP TABLE ${tableIdentifier(index)}`);
    await connection.run(`INSERT OR REPLACE INTO ${COLD_MOVES} VALUES (${sqlString(index)})`);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
  fsyncPath(sources.coldDir);
  sources.markCold(index);
  await connection.run(`DELETE FROM ${COLD_MOVES} WHERE index_name = ${sqlString(index)}`);
  const counted = await connection.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE) FROM read_parquet(${sqlString(target)})`);
  return { index, events: Number(counted.getRows()[0]?.[0] ?? 0), bytes: statSync(target).size };
}
