import { readdirSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { dayScope, isValidIndexName } from '../index-names.js';
import { sqlString } from './index-sources.js';
import type { StagedBatch, StagedSlice } from './stage-batch.js';
import { stagingColumnsSql } from './table-sql.js';

/**
 * A staging file that is on disk for good and acknowledged, waiting to be loaded into its
 * table: `ready-<stamp>-<n>-<index>.ndjson`. Staging files (`staging-…`) are renamed so only
 * once their bytes are synced, so a file by this name is whole.
 */
export const READY_PREFIX = 'ready-';
const READY_SUFFIX = '.ndjson';
const READY_NAME = /^ready-[0-9a-z]+-\d+-(.+)\.ndjson$/;

/** Makes each ready file's name unique across restarts. */
const stamp = Date.now().toString(36);
let readySequence = 0;

async function syncFile(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await (flags === 'r' ? handle.sync() : handle.datasync());
  } finally {
    await handle.close();
  }
}

/**
 * Syncs a staged batch's files to disk and renames them ready, then syncs their directory:
 * once this resolves the batch survives a crash (`readyBatches` loads it at the next start),
 * so it may be acknowledged before it is loaded. The files are synced in parallel, off the
 * calling thread.
 */
export async function makeReady(staged: StagedBatch, dir: string): Promise<StagedBatch> {
  await Promise.all(staged.slices.map((slice) => syncFile(slice.file, 'r+')));
  const slices: StagedSlice[] = await Promise.all(staged.slices.map(async (slice) => {
    const file = join(dir, `${READY_PREFIX}${stamp}-${++readySequence}-${slice.index}${READY_SUFFIX}`);
    await rename(slice.file, file);
    return { ...slice, file };
  }));
  await syncFile(dir, 'r');
  return { ...staged, slices };
}

/**
 * The ready files a stopped process left, as batches of one slice each: acknowledged but
 * perhaps not loaded, or loaded but not yet removed. Each one's time span and orders are
 * read from the file; the writer's id check keeps a loaded one from being stored twice.
 */
export async function readyBatches(connection: DuckDBConnection, dir: string): Promise<StagedBatch[]> {
  const batches: StagedBatch[] = [];
  for (const name of readdirSync(dir).filter((file) => file.startsWith(READY_PREFIX)).sort()) {
    const index = READY_NAME.exec(name)?.[1];
    if (!index || !isValidIndexName(index)) continue;
    const file = join(dir, name);
    const reader = await connection.runAndReadAll(
      `SELECT min(ts), max(ts), count(*), list(DISTINCT order_id) FILTER (WHERE order_id IS NOT NULL)
       FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = ${stagingColumnsSql})`,
    );
    const [minTs, maxTs, rows, orders] = reader.getRowsJson()[0] as [number | null, number | null, string | number, string[] | null];
    if (minTs === null || maxTs === null) {
      rmSync(file, { force: true });
      continue;
    }
    batches.push({
      slices: [{ index, file, minTs, maxTs, rows: Number(rows), arrival: false }],
      orderDays: orders && orders.length > 0 ? [{ scope: dayScope(index), orders }] : [],
    });
  }
  return batches;
}
