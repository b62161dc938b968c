import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { jsonFields, jsonNumber, wellFormedJsonString } from '@loupe/log';
import type { StoredEvent } from '../stored-event.js';
import { dayScope } from '../index-names.js';
import type { OrderDays } from './order-indices.js';
import { StagingFile } from './staging-file.js';
import { StringSet } from './string-set.js';

/** One index's part of a staged batch: a staging file DuckDB's JSON reader loads, and its time span. */
export interface StagedSlice {
  index: string;
  file: string;
  minTs: number;
  maxTs: number;
  rows: number;
  /** Whether an event in it was stamped on arrival (`StoredEvent.arrival`): its ids are looked for on every day. */
  arrival: boolean;
}

/**
 * A batch of events made ready for the DuckDB store's writer: everything that needs no
 * database (splitting by index, serialising, writing the staging files) done beforehand,
 * on any thread. Plain data, so it crosses from an ingest worker to the writer as it is.
 */
export interface StagedBatch {
  slices: StagedSlice[];
  /** The batch's orders per day, each once (see order-indices.ts). */
  orderDays: OrderDays[];
}

let stagingSequence = 0;
/** Staging files are named `staging-<pid>-<tag>-<n>.ndjson`; the tag names the thread, or the ingest job, that wrote them. */
export const STAGING_PREFIX = 'staging-';

/** The start of the names of the staging files written under `tag` by this process. */
export function stagingFilePrefix(tag: string): string {
  return `${STAGING_PREFIX}${process.pid}-${tag}-`;
}

/** Removes the staging files written under `tag`: those of a job whose worker stopped before handing them over. */
export function removeStagingFiles(dir: string, tag: string): void {
  const prefix = stagingFilePrefix(tag);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix)) rmSync(join(dir, name), { force: true });
}

const nullable = (value: string | null) => (value === null ? 'null' : wellFormedJsonString(value));
const nullableNumber = (value: number | null) => (value === null ? 'null' : jsonNumber(value));

/**
 * One staging line: the event's columns and its attributes, written out field by field
 * (`wellFormedJsonString` skips `JSON.stringify` for strings that need no escaping), a quarter
 * cheaper than serialising the object. Lone surrogates become U+FFFD: DuckDB's JSON reader
 * rejects their escapes. Its `index` is not written; `staging-line.test.ts` holds this to
 * every typed column.
 */
export function stagingLine(e: StoredEvent): string {
  return `{"id":${wellFormedJsonString(e.id)},"ts":${jsonNumber(e.ts)},"level":${nullable(e.level)},"service":${nullable(e.service)}`
    + `,"message":${nullable(e.message)},"action":${nullable(e.action)},"trace_id":${nullable(e.trace_id)},"span_id":${nullable(e.span_id)}`
    + `,"order_id":${nullable(e.order_id)},"customer_id":${nullable(e.customer_id)},"user_id":${nullable(e.user_id)}`
    + `,"http_status":${nullableNumber(e.http_status)},"duration_ns":${nullableNumber(e.duration_ns)},"client_ip":${nullable(e.client_ip)}`
    + `,"error_type":${nullable(e.error_type)},"url_path":${nullable(e.url_path)},"attrs":{${jsonFields(e.attrs, true).slice(1)}}}`;
}

interface OpenSlice extends StagedSlice {
  writer: StagingFile;
}

/**
 * Builds a staged batch event by event, writing each index's staging file as it goes, so
 * an event's objects and its line are garbage soon after it is added (they die young
 * instead of being copied through the young generation with the rest of the batch).
 * Files are written synchronously: meant for an ingest worker's thread.
 */
export class BatchStager {
  private readonly seen = new StringSet();
  private readonly slices = new Map<string, OpenSlice>();
  /** Per index, the order ids of its events. */
  private readonly orders = new Map<string, StringSet>();

  /** `tag` goes into the staging files' names (see `stagingFilePrefix`). */
  constructor(private readonly tmpDir: string, private readonly tag = `t${threadId}`) {}

  /** Adds an event; false when its id came earlier in the batch (it is a duplicate and left out). */
  add(event: StoredEvent): boolean {
    if (!this.seen.add(event.id)) return false;
    let slice = this.slices.get(event.index);
    if (!slice) {
      const file = join(this.tmpDir, `${stagingFilePrefix(this.tag)}${++stagingSequence}.ndjson`);
      slice = { index: event.index, file, writer: new StagingFile(file), rows: 0, minTs: event.ts, maxTs: event.ts, arrival: false };
      this.slices.set(event.index, slice);
    }
    slice.writer.append(stagingLine(event));
    slice.rows++;
    if (event.arrival === true) slice.arrival = true;
    if (event.ts < slice.minTs) slice.minTs = event.ts;
    if (event.ts > slice.maxTs) slice.maxTs = event.ts;
    if (event.order_id !== null) {
      let orders = this.orders.get(event.index);
      if (!orders) this.orders.set(event.index, (orders = new StringSet()));
      orders.add(event.order_id);
    }
    return true;
  }

  /** Writes what is left and closes the staging files; on failure the caller abandons the batch. */
  finish(): StagedBatch {
    const open = [...this.slices.values()];
    for (const slice of open) slice.writer.close();
    return { slices: open.map(({ index, file, minTs, maxTs, rows, arrival }) => ({ index, file, minTs, maxTs, rows, arrival })), orderDays: this.orderDays() };
  }

  /** The orders per day scope, each once: the indices of one day share a scope. */
  private orderDays(): OrderDays[] {
    const days = new Map<string, StringSet>();
    for (const [index, orders] of this.orders) {
      const scope = dayScope(index);
      const known = days.get(scope);
      if (!known) days.set(scope, orders);
      else for (const order of orders.values) known.add(order);
    }
    return [...days].map(([scope, orders]) => ({ scope, orders: orders.values }));
  }

  /** Closes and removes the staging files of a batch that will not be stored. */
  abandon(): void {
    for (const slice of this.slices.values()) slice.writer.discard();
    this.slices.clear();
  }
}

/**
 * Splits a batch by index and writes each index's staging file under `tmpDir`. An id seen
 * earlier in the batch is left out and flagged in `repeated` (its event is a duplicate).
 */
export function stageBatch(events: readonly StoredEvent[], tmpDir: string): { staged: StagedBatch; repeated: boolean[] } {
  const stager = new BatchStager(tmpDir);
  try {
    const repeated = events.map((event) => !stager.add(event));
    return { staged: stager.finish(), repeated };
  } catch (error) {
    stager.abandon();
    throw error;
  }
}
