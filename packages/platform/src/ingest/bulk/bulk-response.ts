import type { ItemOutcome } from '../ingest-item.js';
import type { JobItem } from '../worker/prepare-ingest.js';

/** The Elasticsearch `_bulk` response: `errors`, and one item per action with its status. */
export function bulkResponse(entries: readonly JobItem[], outcomes: readonly ItemOutcome[], tookMs: number) {
  let errors = false;
  const items = entries.map((entry, i) => {
    const outcome = outcomes[i]!;
    const index = outcome.index;
    if (outcome.error) {
      errors = true;
      return { [entry.action]: { _index: index, _id: entry.id ?? null, status: outcome.status, error: { type: outcome.error.type, reason: outcome.error.reason } } };
    }
    if (outcome.status === 200 && entry.action === 'create') {
      // What Elasticsearch answers a create for an existing id; shippers treat it as delivered.
      errors = true;
      return { create: { _index: index, _id: outcome.id, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${outcome.id}]: version conflict, document already exists` } } };
    }
    return {
      [entry.action]: {
        _index: index, _id: outcome.id, _version: 1, result: outcome.status === 201 ? 'created' : 'noop',
        _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1, status: outcome.status,
      },
    };
  });
  return { took: tookMs, errors, items };
}
