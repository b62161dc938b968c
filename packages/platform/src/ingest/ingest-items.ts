import type { LogStore } from '../store/log-store.js';
import { deadLetterIndexFor } from '../store/index-names.js';
import type { StoredEvent } from '../store/stored-event.js';
import { contentId, type PipelineInput, type PipelineResult } from '../pipeline/pipeline.js';
import type { IngestItem, ItemError, ItemOutcome } from './ingest-item.js';

export type Pipeline = (input: PipelineInput) => PipelineResult;

/** The most of a rejected line kept in the dead-letter index. */
const MAX_DEAD_LETTER_BYTES = 16_384;

function deadLetter(item: IngestItem, error: ItemError, source: string, now: number): StoredEvent {
  const raw = item.raw.length > MAX_DEAD_LETTER_BYTES ? `${item.raw.slice(0, MAX_DEAD_LETTER_BYTES)}… [truncated]` : item.raw;
  return {
    // The sender's id when it gave one, so a line re-sent after a crash is kept once (R23).
    id: item.id !== undefined ? `dl-${item.id}` : `dl-${contentId(`${error.reason}\n${item.raw}`)}`,
    index: deadLetterIndexFor(now),
    ts: now,
    arrival: true,
    level: 'error',
    service: 'loupe-ingest',
    message: error.reason,
    action: 'dead-letter',
    trace_id: null, span_id: null, order_id: null, customer_id: null, user_id: null,
    http_status: error.status, duration_ns: null, client_ip: null, error_type: error.type, url_path: null,
    attrs: { 'event.original': raw, 'error.message': error.reason, 'event.module': source, ...(item.id && { 'event.original_id': item.id }) },
  };
}

/**
 * The pipeline's result for one document. Its nesting is bounded where it is read (16 levels
 * flattened, the rest kept as JSON text), but a document nested thousands of levels deep
 * still exhausts the stack there: it is refused on its own, as Elasticsearch refuses a
 * document past its depth limit, and the rest of the batch is stored.
 */
function runPipeline(pipeline: Pipeline, input: PipelineInput): PipelineResult {
  try {
    return pipeline(input);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const deep = /call stack/i.test(error.message);
    return { ok: false, reason: deep ? 'the document nests objects or arrays too deeply to be read (thousands of levels)' : `the document could not be read: ${error.message}` };
  }
}

/**
 * Runs one item through the pipeline: a good item becomes its event (outcome 201), a bad one
 * a dead letter with its reason (outcome 4xx). Needs no store, so it runs on any thread.
 */
export function processItem(pipeline: Pipeline, item: IngestItem, source: string, now: number): { event: StoredEvent; outcome: ItemOutcome; good: boolean } {
  let error = item.error;
  if (!error) {
    const result = runPipeline(pipeline, { document: item.document, id: item.id, raw: item.raw, receivedAt: now });
    if (result.ok) return { event: result.event, outcome: { status: 201, id: result.event.id, index: result.event.index }, good: true };
    error = { status: 400, type: 'mapper_parsing_exception', reason: result.reason };
  }
  const letter = deadLetter(item, error, source, now);
  return { event: letter, outcome: { status: error.status, id: item.id ?? letter.id, index: letter.index, error }, good: false };
}

/** Outcome 200 (already stored) for each item stored-as-new whose id the store already held. */
export function markStored(outcomes: ItemOutcome[], existing: ReadonlySet<string>): void {
  if (existing.size === 0) return;
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i]!;
    if (outcome.status === 201 && existing.has(outcome.id)) outcomes[i] = { ...outcome, status: 200 };
  }
}

/**
 * Runs items through the pipeline and stores them in one durable batch, good events and
 * dead letters together: when this resolves, every item is either stored, known as a
 * duplicate, or kept in the dead-letter index with its reason (R24).
 */
export async function ingestItems(store: LogStore, pipeline: Pipeline, items: readonly IngestItem[], source: string): Promise<ItemOutcome[]> {
  const now = Date.now();
  const processed = items.map((item) => processItem(pipeline, item, source, now));
  const { duplicate } = await store.append(processed.map(({ event }) => event));
  return processed.map(({ outcome, good }, i) => (good && duplicate[i] ? { ...outcome, status: 200 } : outcome));
}
