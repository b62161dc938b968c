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
    level: 'error',
    service: 'loupe-ingest',
    message: error.reason,
    action: 'dead-letter',
    trace_id: null, span_id: null, order_id: null, customer_id: null, user_id: null,
    http_status: error.status, duration_ns: null, client_ip: null, error_type: error.type, url_path: null,
    attrs: { 'event.original': raw, 'error.message': error.reason, 'event.module': source, ...(item.id && { 'event.original_id': item.id }) },
  };
}

/** Items run through the pipeline: the events to store (good ones and dead letters) and each item's outcome so far. */
interface ProcessedItems {
  events: StoredEvent[];
  outcomes: ItemOutcome[];
  /** Per item, the position of its good event in `events`, or -1 (a dead letter). */
  eventOf: number[];
}

/**
 * Runs one item through the pipeline: a good item becomes its event (outcome 201), a bad one
 * a dead letter with its reason (outcome 4xx). Needs no store, so it runs on any thread.
 */
export function processItem(pipeline: Pipeline, item: IngestItem, source: string, now: number): { event: StoredEvent; outcome: ItemOutcome; good: boolean } {
  let error = item.error;
  if (!error) {
    const result = pipeline({ document: item.document, id: item.id, raw: item.raw, receivedAt: now });
    if (result.ok) return { event: result.event, outcome: { status: 201, id: result.event.id, index: result.event.index }, good: true };
    error = { status: 400, type: 'mapper_parsing_exception', reason: result.reason };
  }
  const letter = deadLetter(item, error, source, now);
  return { event: letter, outcome: { status: error.status, id: item.id ?? letter.id, index: letter.index, error }, good: false };
}

/** `processItem` over a batch. */
function processItems(pipeline: Pipeline, items: readonly IngestItem[], source: string, now: number): ProcessedItems {
  const events: StoredEvent[] = new Array(items.length);
  const outcomes: ItemOutcome[] = new Array(items.length);
  const eventOf: number[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const { event, outcome, good } = processItem(pipeline, items[i]!, source, now);
    events[i] = event;
    outcomes[i] = outcome;
    eventOf[i] = good ? i : -1;
  }
  return { events, outcomes, eventOf };
}

/** Outcome 200 (already stored) for each good item whose event the store dropped as a duplicate. */
function markDuplicates({ outcomes, eventOf }: Pick<ProcessedItems, 'outcomes' | 'eventOf'>, duplicate: (position: number) => boolean): void {
  for (let i = 0; i < outcomes.length; i++) {
    if (eventOf[i]! >= 0 && duplicate(eventOf[i]!)) outcomes[i] = { ...outcomes[i]!, status: 200 };
  }
}

/**
 * Runs items through the pipeline and stores them in one durable batch, good events and
 * dead letters together: when this resolves, every item is either stored, known as a
 * duplicate, or kept in the dead-letter index with its reason (R24).
 */
export async function ingestItems(store: LogStore, pipeline: Pipeline, items: readonly IngestItem[], source: string): Promise<ItemOutcome[]> {
  const processed = processItems(pipeline, items, source, Date.now());
  const { duplicate } = await store.append(processed.events);
  markDuplicates(processed, (position) => duplicate[position]!);
  return processed.outcomes;
}
