import { LoupeError } from '@loupe/schema';
import { setField } from '@loupe/log';
import { matchesPattern } from '../store/index-names.js';

/** What the store adds to each event: kept only when asked for by a name starting with `_`. */
const META_FIELDS = new Set(['_id', '_index']);

/** The most names a `fields` parameter may list. */
const MAX_FIELDS = 100;

/**
 * The events of an answer cut to the fields a `fields` parameter names (R28), as
 * Elasticsearch's `_source` filtering does: comma-separated names, `*` for any run of
 * characters (`order.*`), a plain name also standing for the fields under it (`order` keeps
 * `order.id`). `_id` and `_index` are kept only by a name or pattern starting with `_`, so
 * `*` is every field of the event, not its metadata. Undefined when none was given.
 */
export function fieldPicker(spec: string | undefined): ((event: Record<string, unknown>) => Record<string, unknown>) | undefined {
  if (spec === undefined) return undefined;
  const names = spec.split(',').map((name) => name.trim());
  if (names.length > MAX_FIELDS) throw new LoupeError('SEARCH_BAD_FIELDS', `fields lists ${names.length} names; at most ${MAX_FIELDS}`);
  const bad = names.find((name) => name === '' || name.length > 200 || /[\s"]/.test(name));
  if (bad !== undefined) throw new LoupeError('SEARCH_BAD_FIELDS', `fields="${spec.slice(0, 80)}" must be field names separated by commas, e.g. fields=@timestamp,order.id,order.*${bad === '' ? ' (one is empty)' : ''}`);
  const pattern = names.flatMap((name) => (name.includes('*') ? [name] : [name, `${name}.*`])).join(',');
  const metaPattern = names.filter((name) => name.startsWith('_')).join(',');
  const kept = new Map<string, boolean>();
  const keeps = (field: string) => {
    let keep = kept.get(field);
    if (keep === undefined) kept.set(field, (keep = META_FIELDS.has(field) ? metaPattern !== '' && matchesPattern(field, metaPattern) : matchesPattern(field, pattern)));
    return keep;
  };
  return (event) => {
    const picked: Record<string, unknown> = {};
    for (const field of Object.keys(event)) if (keeps(field)) setField(picked, field, event[field]);
    return picked;
  };
}
