import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFilterPath, parseFilterPath, type FilterPath } from './filter-path.js';
import { bulkAnswer, bulkResponseBody, withStored } from './bulk-response.js';
import { itemObject } from './filtered-items.js';
import type { ItemOutcome } from '../ingest-item.js';
import type { JobItem } from '../worker/prepare-ingest.js';

const filter = (text: string): FilterPath => parseFilterPath(text)!;

const answer = {
  took: 3,
  errors: true,
  items: [
    { create: { _index: 'logs-a', _id: '1', _shards: { total: 1, successful: 1, failed: 0 }, status: 201 } },
    { index: { _index: 'dead-letter', _id: null, status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } } },
  ],
};

test('R24 filter_path keeps the paths asked for, as Elasticsearch: wildcards, ** and exclusions', () => {
  assert.deepEqual(applyFilterPath(answer, filter('errors,items.*.error,items.*.status')), {
    errors: true,
    items: [{ create: { status: 201 } }, { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } } }],
  });
  // An item left with nothing is left out, not written as {}.
  assert.deepEqual(applyFilterPath(answer, filter('items.*.error.type')), { items: [{ index: { error: { type: 'mapper_parsing_exception' } } }] });
  assert.deepEqual(applyFilterPath(answer, filter('took')), { took: 3 });
  assert.deepEqual(applyFilterPath(answer, filter('**.status')), { items: [{ create: { status: 201 } }, { index: { status: 400 } }] });
  assert.deepEqual(applyFilterPath(answer, filter('items.cr*._id')), { items: [{ create: { _id: '1' } }] });
  assert.deepEqual(applyFilterPath(answer, filter('-items')), { took: 3, errors: true });
  assert.deepEqual(applyFilterPath(answer, filter('items.**,-items.*._shards,-**.error')).items, [
    { create: { _index: 'logs-a', _id: '1', status: 201 } },
    { index: { _index: 'dead-letter', _id: null, status: 400 } },
  ]);
  assert.deepEqual(applyFilterPath(answer, filter('nothing.here')), {});
  assert.equal(parseFilterPath(undefined), undefined);
  assert.equal(parseFilterPath(' , '), undefined);
  assert.deepEqual(parseFilterPath(['took', 'errors']), { includes: [['took'], ['errors']], excludes: [] });
});

const entries: JobItem[] = [{ action: 'create', id: 'a' }, { action: 'index', id: 'b' }, { action: 'create', id: 'c' }, { action: 'index' }];
const outcomes: ItemOutcome[] = [
  { status: 201, id: 'a', index: 'logs-x' },
  { status: 200, id: 'b', index: 'logs-x' },
  { status: 200, id: 'c', index: 'logs-x' },
  { status: 400, id: 'dl-1', index: 'dead-letter-2026.12.07', error: { status: 400, type: 'mapper_parsing_exception', reason: 'bad "line"' } },
];

test('R24 a filtered _bulk answer is the full answer with filter_path applied, for every kind of item', () => {
  const full = JSON.parse(bulkResponseBody(bulkAnswer(entries, outcomes), 7).toString());
  assert.deepEqual(full.items, entries.map((entry, i) => itemObject(entry, outcomes[i]!)), 'the object form agrees with the written text');
  for (const path of ['errors,items.*.error,items.*.status', 'took,errors,items.*.status', 'items.*.error', 'items.*._id', '-items.*._shards', '-took,-errors', 'took', 'items.index', '-items']) {
    const body = bulkResponseBody(bulkAnswer(entries, outcomes, filter(path)), 7, filter(path)).toString();
    assert.deepEqual(JSON.parse(body), applyFilterPath(full, filter(path)), path);
  }
  const clean = bulkAnswer([entries[0]!], [outcomes[0]!], filter('errors,items.*.error'));
  assert.equal(bulkResponseBody(clean, 1, filter('errors,items.*.error')).toString(), '{"errors":false}');
});

test('R23 R24 items the store already held become duplicates in the filtered answer too', () => {
  const path = filter('errors,items.*.status');
  const marked = withStored(bulkAnswer(entries, outcomes, path), new Set(['a']), path);
  assert.deepEqual(JSON.parse(bulkResponseBody(marked, 1, path).toString()), {
    errors: true,
    items: [{ create: { status: 409 } }, { index: { status: 200 } }, { create: { status: 409 } }, { index: { status: 400 } }],
  });
});
