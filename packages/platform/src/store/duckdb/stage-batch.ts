import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { StoredEvent } from '../stored-event.js';
import { typedColumns } from '../stored-event.js';
import { dayScope } from '../index-names.js';

/** One index's part of a staged batch: a staging file DuckDB's JSON reader loads, and its time span. */
export interface StagedSlice {
  index: string;
  file: string;
  minTs: number;
  maxTs: number;
  rows: number;
}

/**
 * A batch of events made ready for the DuckDB store's writer: everything that needs no
 * database (splitting by index, serialising, writing the staging files) done beforehand,
 * on any thread. Plain data, so it crosses from an ingest worker to the writer as it is.
 */
export interface StagedBatch {
  slices: StagedSlice[];
  /** The batch's (order id, day scope) pairs, each once (see order-indices.ts). */
  orderDays: Array<[string, string]>;
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

interface OpenSlice extends StagedSlice {
  lines: string[];
}

/**
 * Splits a batch by index and writes each index's staging file under `tmpDir`. An id seen
 * earlier in the batch is left out and flagged in `repeated` (its event is a duplicate).
 */
export async function stageBatch(events: readonly StoredEvent[], tmpDir: string): Promise<{ staged: StagedBatch; repeated: boolean[] }> {
  const seen = new Set<string>();
  const slices = new Map<string, OpenSlice>();
  const repeated: boolean[] = new Array(events.length).fill(false);
  const orderDays = new Map<string, [string, string]>();
  const scopes = new Map<string, string>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (seen.has(event.id)) {
      repeated[i] = true;
      continue;
    }
    seen.add(event.id);
    const slice = slices.get(event.index);
    if (slice) {
      slice.lines.push(stagingLine(event));
      slice.rows++;
      if (event.ts < slice.minTs) slice.minTs = event.ts;
      if (event.ts > slice.maxTs) slice.maxTs = event.ts;
    } else {
      const file = join(tmpDir, `staging-${process.pid}-${threadId}-${++stagingSequence}.ndjson`);
      slices.set(event.index, { index: event.index, lines: [stagingLine(event)], rows: 1, minTs: event.ts, maxTs: event.ts, file });
    }
    if (event.order_id !== null) {
      let scope = scopes.get(event.index);
      if (scope === undefined) scopes.set(event.index, (scope = dayScope(event.index)));
      const key = `${event.order_id}\u0000${scope}`;
      if (!orderDays.has(key)) orderDays.set(key, [event.order_id, scope]);
    }
  }
  const open = [...slices.values()];
  await Promise.all(open.map((slice) => writeFile(slice.file, slice.lines.join('\n'))));
  return {
    staged: { slices: open.map(({ index, file, minTs, maxTs, rows }) => ({ index, file, minTs, maxTs, rows })), orderDays: [...orderDays.values()] },
    repeated,
  };
}
