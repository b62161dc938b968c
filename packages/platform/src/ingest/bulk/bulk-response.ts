import { jsonString } from '@loupe/log';
import type { ItemOutcome } from '../ingest-item.js';
import { markStored } from '../ingest-items.js';
import type { JobItem } from '../worker/prepare-ingest.js';
import { applyFilterPath, type FilterPath } from './filter-path.js';
import { FilteredItems, itemObject, succeeded } from './filtered-items.js';

const STORED_TAIL = ',"_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}}';
const NOOP_TAIL = ',"_version":1,"result":"noop","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":200}}';

/** Each item's start, `{"<action>":{"_index":"<index>","_id":`, written once per action and index of an answer. */
class ItemHeads {
  private readonly byAction = new Map<string, Map<string, string>>();

  get(action: string, index: string): string {
    let heads = this.byAction.get(action);
    if (!heads) this.byAction.set(action, (heads = new Map()));
    let head = heads.get(index);
    if (head === undefined) heads.set(index, (head = `{${jsonString(action)}:{"_index":${jsonString(index)},"_id":`));
    return head;
  }
}

/**
 * The `errors` flag and the `items` array (as UTF-8 JSON text) of a `_bulk` answer, and with
 * a `filter_path` the items it keeps (none written: `[]`, left out of the answer).
 */
export interface BulkAnswer {
  errors: boolean;
  items: Buffer;
  filteredItems?: Buffer;
}

/**
 * Text written into bytes a piece at a time. A `_bulk` answer runs to a megabyte; as one
 * string it would sit in V8's large-object space, in memory mapped afresh for each answer,
 * and this VM pays ~10 µs per page touched the first time, again wherever the string was
 * copied (to another thread, flattened, encoded). Pieces of ~16K characters stay in
 * the young generation, and the bytes come from malloc, which reuses freed memory.
 */
class TextBytes {
  private readonly chunks: Buffer[] = [];
  private text = '';

  add(piece: string): void {
    this.text += piece;
    if (this.text.length >= 16_384) this.flush();
  }

  finish(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.text.length > 0) this.chunks.push(Buffer.from(this.text));
    this.text = '';
  }
}

/**
 * The items of an Elasticsearch `_bulk` answer, one per action with its status, written as
 * JSON text as each item's outcome is known: for thousands of items that costs a fraction of
 * building the objects and serialising them, nothing of an item is kept but its text, and
 * the bytes cross from a worker thread without a copy. A stored item, nearly every one, is
 * its head, its id and a constant tail.
 */
export class BulkAnswerWriter {
  private readonly heads = new ItemHeads();
  private readonly items = new TextBytes();
  private errors = false;
  private count = 0;
  /** With a `filter_path`, the full items are still written: `withStored` reads them back. */
  private readonly filtered?: { items: FilteredItems; text: TextBytes; count: number };

  constructor(filter?: FilterPath) {
    if (filter) this.filtered = { items: new FilteredItems(filter), text: new TextBytes(), count: 0 };
  }

  add(entry: JobItem, outcome: ItemOutcome): void {
    const separator = this.count++ === 0 ? '[' : ',';
    if (succeeded(entry, outcome)) {
      this.items.add(separator + this.heads.get(entry.action, outcome.index) + jsonString(outcome.id) + (outcome.status === 201 ? STORED_TAIL : NOOP_TAIL));
    } else {
      this.items.add(separator + JSON.stringify(itemObject(entry, outcome)));
      this.errors = true;
    }
    const filtered = this.filtered;
    const text = filtered?.items.text(entry, outcome);
    if (text !== undefined) filtered!.text.add((filtered!.count++ === 0 ? '[' : ',') + text);
  }

  finish(): BulkAnswer {
    this.items.add(this.count === 0 ? '[]' : ']');
    const answer: BulkAnswer = { errors: this.errors, items: this.items.finish() };
    if (this.filtered) {
      this.filtered.text.add(this.filtered.count === 0 ? '[]' : ']');
      answer.filteredItems = this.filtered.text.finish();
    }
    return answer;
  }
}

/** The answer for these items and their outcomes (see `BulkAnswerWriter`). */
export function bulkAnswer(entries: readonly JobItem[], outcomes: readonly ItemOutcome[], filter?: FilterPath): BulkAnswer {
  const writer = new BulkAnswerWriter(filter);
  for (let i = 0; i < entries.length; i++) writer.add(entries[i]!, outcomes[i]!);
  return writer.finish();
}

type AnswerItem = Record<string, { _index: string; _id: string | null; status: number; error?: { type: string; reason: string } }>;

/** The answer once the store has said which ids it already held: those items become duplicates (200, or 409 for `create`). */
export function withStored(answer: BulkAnswer, existing: ReadonlySet<string>, filter?: FilterPath): BulkAnswer {
  if (existing.size === 0) return answer;
  const entries: JobItem[] = [];
  const outcomes: ItemOutcome[] = [];
  for (const item of JSON.parse(answer.items.toString()) as AnswerItem[]) {
    const action = Object.keys(item)[0] as JobItem['action'];
    const { _index: index, _id: id, status, error } = item[action]!;
    entries.push(id === null ? { action } : { action, id });
    outcomes.push({ status, id: id ?? '', index, ...(error && { error: { status, type: error.type, reason: error.reason } }) });
  }
  markStored(outcomes, existing);
  return bulkAnswer(entries, outcomes, filter);
}

const CLOSE = Buffer.from('}');

/** The whole `_bulk` response body; with a `filter_path`, only what it keeps. */
export function bulkResponseBody(answer: BulkAnswer, tookMs: number, filter?: FilterPath): Buffer {
  const took = Math.trunc(tookMs);
  if (!filter) return Buffer.concat([Buffer.from(`{"took":${took},"errors":${answer.errors},"items":`), answer.items, CLOSE]);
  const head = JSON.stringify(applyFilterPath({ took, errors: answer.errors }, filter)).slice(0, -1);
  const items = answer.filteredItems ?? Buffer.from('[]');
  if (items.length === 2) return Buffer.from(`${head}}`);
  return Buffer.concat([Buffer.from(`${head}${head.length > 1 ? ',' : ''}"items":`), items, CLOSE]);
}
