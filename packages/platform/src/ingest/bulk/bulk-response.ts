import { jsonString } from '@loupe/log';
import type { ItemOutcome } from '../ingest-item.js';
import { markStored } from '../ingest-items.js';
import type { JobItem } from '../worker/prepare-ingest.js';

const quote = JSON.stringify;
const STORED_TAIL = ',"_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}}';
const NOOP_TAIL = ',"_version":1,"result":"noop","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":200}}';

/** Each item's start, `{"<action>":{"_index":"<index>","_id":`, written once per action and index of an answer. */
class ItemHeads {
  private readonly byAction = new Map<string, Map<string, string>>();

  get(action: string, index: string): string {
    let heads = this.byAction.get(action);
    if (!heads) this.byAction.set(action, (heads = new Map()));
    let head = heads.get(index);
    if (head === undefined) heads.set(index, (head = `{${quote(action)}:{"_index":${quote(index)},"_id":`));
    return head;
  }
}

/** The rest of an item that reports an error (after its head), as JSON text. */
function errorItemTail(entry: JobItem, outcome: ItemOutcome): string {
  if (outcome.error) {
    const error = `{"type":${quote(outcome.error.type)},"reason":${quote(outcome.error.reason)}}`;
    return `${entry.id === undefined ? 'null' : jsonString(entry.id)},"status":${outcome.status},"error":${error}}}`;
  }
  // What Elasticsearch answers a create for an existing id; shippers treat it as delivered.
  const reason = quote(`[${outcome.id}]: version conflict, document already exists`);
  return `${jsonString(outcome.id)},"status":409,"error":{"type":"version_conflict_engine_exception","reason":${reason}}}}`;
}

/** The `errors` flag and the `items` array (as JSON text) of a `_bulk` answer. */
export interface BulkAnswer {
  errors: boolean;
  items: string;
}

/**
 * The items of an Elasticsearch `_bulk` answer, one per action with its status, written as
 * JSON text directly: for thousands of items that costs a fraction of building the objects
 * and serialising them, and the text crosses from a worker thread as one string. A stored
 * item, nearly every one, is its head, its id and a constant tail.
 */
export function bulkAnswer(entries: readonly JobItem[], outcomes: readonly ItemOutcome[]): BulkAnswer {
  const heads = new ItemHeads();
  let errors = false;
  let items = '[';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const outcome = outcomes[i]!;
    if (i > 0) items += ',';
    items += heads.get(entry.action, outcome.index);
    if (!outcome.error && (outcome.status === 201 || entry.action !== 'create')) {
      items += jsonString(outcome.id) + (outcome.status === 201 ? STORED_TAIL : NOOP_TAIL);
    } else {
      items += errorItemTail(entry, outcome);
      errors = true;
    }
  }
  return { errors, items: `${items}]` };
}

type AnswerItem = Record<string, { _index: string; _id: string | null; status: number; error?: { type: string; reason: string } }>;

/** The answer once the store has said which ids it already held: those items become duplicates (200, or 409 for `create`). */
export function withStored(answer: BulkAnswer, existing: ReadonlySet<string>): BulkAnswer {
  if (existing.size === 0) return answer;
  const entries: JobItem[] = [];
  const outcomes: ItemOutcome[] = [];
  for (const item of JSON.parse(answer.items) as AnswerItem[]) {
    const action = Object.keys(item)[0] as JobItem['action'];
    const { _index: index, _id: id, status, error } = item[action]!;
    entries.push(id === null ? { action } : { action, id });
    outcomes.push({ status, id: id ?? '', index, ...(error && { error: { status, type: error.type, reason: error.reason } }) });
  }
  markStored(outcomes, existing);
  return bulkAnswer(entries, outcomes);
}

/** The whole `_bulk` response body. */
export function bulkResponseText(answer: BulkAnswer, tookMs: number): string {
  return `{"took":${Math.trunc(tookMs)},"errors":${answer.errors},"items":${answer.items}}`;
}
