import { decodeBody } from '../read-body.js';
import { bulkEntries, type BulkAction } from '../bulk/parse-bulk.js';
import { ndjsonItems } from '../ndjson.js';
import type { IngestItem, ItemOutcome } from '../ingest-item.js';
import { processItem, type Pipeline } from '../ingest-items.js';
import { BatchStager, type StagedBatch } from '../../store/duckdb/stage-batch.js';
import { BulkAnswerWriter, type BulkAnswer } from '../bulk/bulk-response.js';
import type { FilterPath } from '../bulk/filter-path.js';

/** One request's body to ingest, as it arrived. */
export interface IngestJob {
  protocol: 'bulk' | 'ndjson';
  body: Uint8Array;
  /** Its `Content-Encoding`. */
  encoding: string;
  /** `_index` from the URL of `POST /<index>/_bulk`. */
  defaultIndex?: string;
  maxBodyBytes: number;
  maxLineBytes: number;
  /** A `_bulk` request's `filter_path`: what its answer keeps. */
  filterPath?: FilterPath;
}

/** What each item of a job asked for: a bulk action and the id its action line gave (ndjson items are `index` without id). */
export interface JobItem {
  action: BulkAction;
  id?: string;
}

/** A job's items, parsed one by one: bulk entries, or NDJSON lines as `index` actions. */
export function* jobItems(job: IngestJob): Generator<IngestItem & JobItem> {
  const bytes = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
  const body = decodeBody(bytes, job.encoding, job.maxBodyBytes);
  if (job.protocol === 'bulk') {
    yield* bulkEntries(body, { defaultIndex: job.defaultIndex, maxLineBytes: job.maxLineBytes });
    return;
  }
  for (const item of ndjsonItems(body, job.maxLineBytes)) yield { ...item, action: 'index' };
}

/**
 * A job ready for the DuckDB store's writer: the staged batch and the answer so far, as if no
 * id were stored yet (the writer says which were): a bulk job's answer as UTF-8 JSON bytes,
 * which are moved across threads rather than copied, an NDJSON job's outcomes as they are.
 */
export interface PreparedIngest {
  staged: StagedBatch;
  bulk?: BulkAnswer;
  outcomes?: ItemOutcome[];
}

/**
 * Everything ingest does before the database: decode, parse, pipeline (R25), dead letters,
 * staging. Needs neither the store nor the request, so it runs in an ingest worker.
 */
export function prepareIngest(job: IngestJob, pipeline: Pipeline, stagingDir: string, stagingTag?: string): PreparedIngest {
  // A bulk job's answer is written item by item; an NDJSON job's outcomes are kept.
  const answer = job.protocol === 'bulk' ? new BulkAnswerWriter(job.filterPath) : undefined;
  const outcomes: ItemOutcome[] = [];
  const stager = new BatchStager(stagingDir, stagingTag);
  const now = Date.now();
  try {
    // Item by item, so each parsed document is garbage before the next is parsed.
    for (const item of jobItems(job)) {
      const { event, outcome, good } = processItem(pipeline, item, job.protocol, now);
      // An id that came earlier in the batch: a duplicate, as if it had been stored.
      const final = !stager.add(event) && good ? { ...outcome, status: 200 } : outcome;
      if (answer) answer.add(item, final);
      else outcomes.push(final);
    }
    const staged = stager.finish();
    return answer ? { staged, bulk: answer.finish() } : { staged, outcomes };
  } catch (error) {
    stager.abandon();
    throw error;
  }
}
