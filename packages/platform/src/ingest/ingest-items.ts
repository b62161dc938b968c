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

/**
 * Runs items through the pipeline and stores them in one durable batch, good events and
 * dead letters together: when this resolves, every item is either stored, known as a
 * duplicate, or kept in the dead-letter index with its reason (R24).
 */
export async function ingestItems(store: LogStore, pipeline: Pipeline, items: readonly IngestItem[], source: string): Promise<ItemOutcome[]> {
  const now = Date.now();
  const events: StoredEvent[] = [];
  const outcomes: ItemOutcome[] = new Array(items.length);
  const eventOf: number[] = new Array(items.length).fill(-1);

  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let error = item.error;
    if (!error) {
      const result = pipeline({ document: item.document, id: item.id, raw: item.raw, receivedAt: now });
      if (result.ok) {
        eventOf[i] = events.length;
        events.push(result.event);
        outcomes[i] = { status: 201, id: result.event.id, index: result.event.index };
        continue;
      }
      error = { status: 400, type: 'mapper_parsing_exception', reason: result.reason };
    }
    const letter = deadLetter(item, error, source, now);
    events.push(letter);
    outcomes[i] = { status: error.status, id: item.id ?? letter.id, index: letter.index, error };
  }

  const { duplicate } = await store.append(events);
  for (let i = 0; i < items.length; i++) {
    const position = eventOf[i]!;
    if (position >= 0 && duplicate[position]) outcomes[i] = { ...outcomes[i]!, status: 200 };
  }
  return outcomes;
}
