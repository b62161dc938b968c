import { jsonString } from '@loupe/log';
import type { ItemOutcome } from '../ingest-item.js';
import type { JobItem } from '../worker/prepare-ingest.js';
import { applyFilterPath, type FilterPath } from './filter-path.js';

const SHARDS = { total: 1, successful: 1, failed: 0 };

/** Whether an item is a plain success: stored (201), or an `index` of an id already stored (200). */
export function succeeded(entry: JobItem, outcome: ItemOutcome): boolean {
  return !outcome.error && (outcome.status === 201 || entry.action !== 'create');
}

/** One item of a `_bulk` answer as an object: what `BulkAnswerWriter` writes as text. */
export function itemObject(entry: JobItem, outcome: ItemOutcome): Record<string, Record<string, unknown>> {
  const { action } = entry;
  if (succeeded(entry, outcome)) {
    const result = outcome.status === 201 ? 'created' : 'noop';
    return { [action]: { _index: outcome.index, _id: outcome.id, _version: 1, result, _shards: SHARDS, _seq_no: 0, _primary_term: 1, status: outcome.status === 201 ? 201 : 200 } };
  }
  if (outcome.error) {
    return { [action]: { _index: outcome.index, _id: entry.id ?? null, status: outcome.status, error: { type: outcome.error.type, reason: outcome.error.reason } } };
  }
  // What Elasticsearch answers a create for an existing id; shippers treat it as delivered.
  const error = { type: 'version_conflict_engine_exception', reason: `[${outcome.id}]: version conflict, document already exists` };
  return { [action]: { _index: outcome.index, _id: outcome.id, status: 409, error } };
}

/** Stands for an item's id in a template, so the id is filled in without filtering each item. */
const ID = '\u0001id\u0001';

/**
 * The items of a `_bulk` answer as `filter_path` leaves them (see filter-path.ts). A success,
 * nearly every item, differs from the next only in its id and index, so its filtered text is
 * worked out once per action and index as a template; errors are filtered one by one.
 */
export class FilteredItems {
  private readonly templates = new Map<string, readonly string[] | null>();

  constructor(private readonly filter: FilterPath) {}

  /** The item's JSON text, or undefined when the filter keeps nothing of it. */
  text(entry: JobItem, outcome: ItemOutcome): string | undefined {
    if (!succeeded(entry, outcome)) return this.filtered(itemObject(entry, outcome));
    const key = `${entry.action}\u0000${outcome.status}\u0000${outcome.index}`;
    let template = this.templates.get(key);
    if (template === undefined) {
      const text = this.filtered(itemObject(entry, { ...outcome, id: ID }));
      template = text === undefined ? null : text.split(JSON.stringify(ID));
      if (this.templates.size < 10_000) this.templates.set(key, template);
    }
    if (template === null) return undefined;
    return template.length === 1 ? template[0] : template.join(jsonString(outcome.id));
  }

  private filtered(item: Record<string, unknown>): string | undefined {
    const kept = applyFilterPath({ items: [item] }, this.filter).items?.[0];
    return kept === undefined ? undefined : JSON.stringify(kept);
  }
}
