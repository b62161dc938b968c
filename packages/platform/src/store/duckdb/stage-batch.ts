import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { StoredEvent } from '../stored-event.js';
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

/**
 * One staging line: the event as it is (its `index` and nulls are ignored by the reader).
 * Serialising the object the pipeline built costs a third of copying its fields into a new one.
 */
function stagingLine(event: StoredEvent): string {
  return JSON.stringify(event);
}

interface OpenSlice extends StagedSlice {
  lines: string[];
}

/**
 * Builds a staged batch event by event, so each event can be dropped as soon as it is
 * serialised (a batch's objects then die young instead of filling the old generation).
 */
export class BatchStager {
  private readonly seen = new Set<string>();
  private readonly slices = new Map<string, OpenSlice>();
  private readonly orderDays = new Map<string, [string, string]>();
  private readonly scopes = new Map<string, string>();

  constructor(private readonly tmpDir: string) {}

  /** Adds an event; false when its id came earlier in the batch (it is a duplicate and left out). */
  add(event: StoredEvent): boolean {
    if (this.seen.has(event.id)) return false;
    this.seen.add(event.id);
    const slice = this.slices.get(event.index);
    if (slice) {
      slice.lines.push(stagingLine(event));
      slice.rows++;
      if (event.ts < slice.minTs) slice.minTs = event.ts;
      if (event.ts > slice.maxTs) slice.maxTs = event.ts;
    } else {
      const file = join(this.tmpDir, `staging-${process.pid}-${threadId}-${++stagingSequence}.ndjson`);
      this.slices.set(event.index, { index: event.index, lines: [stagingLine(event)], rows: 1, minTs: event.ts, maxTs: event.ts, file });
    }
    if (event.order_id !== null) {
      let scope = this.scopes.get(event.index);
      if (scope === undefined) this.scopes.set(event.index, (scope = dayScope(event.index)));
      const key = `${event.order_id}\u0000${scope}`;
      if (!this.orderDays.has(key)) this.orderDays.set(key, [event.order_id, scope]);
    }
    return true;
  }

  /** Writes each index's staging file under the staging directory. */
  async finish(): Promise<StagedBatch> {
    const open = [...this.slices.values()];
    await Promise.all(open.map((slice) => writeFile(slice.file, slice.lines.join('\n'))));
    return { slices: open.map(({ index, file, minTs, maxTs, rows }) => ({ index, file, minTs, maxTs, rows })), orderDays: [...this.orderDays.values()] };
  }
}

/**
 * Splits a batch by index and writes each index's staging file under `tmpDir`. An id seen
 * earlier in the batch is left out and flagged in `repeated` (its event is a duplicate).
 */
export async function stageBatch(events: readonly StoredEvent[], tmpDir: string): Promise<{ staged: StagedBatch; repeated: boolean[] }> {
  const stager = new BatchStager(tmpDir);
  const repeated = events.map((event) => !stager.add(event));
  return { staged: await stager.finish(), repeated };
}
