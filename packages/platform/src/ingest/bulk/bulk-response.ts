import type { ItemOutcome } from '../ingest-item.js';
import type { JobItem } from '../worker/prepare-ingest.js';

const quote = JSON.stringify;
const STORED_TAIL = ',"_version":1,"result":"created","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}}';
const NOOP_TAIL = ',"_version":1,"result":"noop","_shards":{"total":1,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":200}}';

/** One item of the answer, as JSON text. */
function itemJson(entry: JobItem, outcome: ItemOutcome): { json: string; error: boolean } {
  const head = `{${quote(entry.action)}:{"_index":${quote(outcome.index)},"_id":`;
  if (outcome.error) {
    const error = `{"type":${quote(outcome.error.type)},"reason":${quote(outcome.error.reason)}}`;
    return { json: `${head}${entry.id === undefined ? 'null' : quote(entry.id)},"status":${outcome.status},"error":${error}}}`, error: true };
  }
  if (outcome.status === 200 && entry.action === 'create') {
    // What Elasticsearch answers a create for an existing id; shippers treat it as delivered.
    const reason = quote(`[${outcome.id}]: version conflict, document already exists`);
    return { json: `${head}${quote(outcome.id)},"status":409,"error":{"type":"version_conflict_engine_exception","reason":${reason}}}}`, error: true };
  }
  return { json: `${head}${quote(outcome.id)}${outcome.status === 201 ? STORED_TAIL : NOOP_TAIL}`, error: false };
}

/**
 * The Elasticsearch `_bulk` response, `{took, errors, items}` with one item per action and its
 * status, written as JSON text directly: for thousands of items that costs a fraction of
 * building the objects and serialising them.
 */
export function bulkResponseJson(entries: readonly JobItem[], outcomes: readonly ItemOutcome[], tookMs: number): string {
  let errors = false;
  const items: string[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const item = itemJson(entries[i]!, outcomes[i]!);
    items[i] = item.json;
    if (item.error) errors = true;
  }
  return `{"took":${Math.trunc(tookMs)},"errors":${errors},"items":[${items.join(',')}]}`;
}
