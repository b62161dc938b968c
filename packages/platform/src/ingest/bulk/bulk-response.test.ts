import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkAnswer, bulkResponseBody, withStored } from './bulk-response.js';

/** The whole response body for these items. */
function responseOf(entries: Parameters<typeof bulkAnswer>[0], outcomes: Parameters<typeof bulkAnswer>[1], tookMs: number): string {
  return bulkResponseBody(bulkAnswer(entries, outcomes), tookMs).toString();
}

test('R24 the _bulk answer is valid JSON in the Elasticsearch shape: stored, already stored, refused', () => {
  const text = responseOf(
    [{ action: 'create', id: 'a"1' }, { action: 'create', id: 'b' }, { action: 'index', id: 'c' }, { action: 'index' }],
    [
      { status: 201, id: 'a"1', index: 'logs-mes-api-2026.11.21' },
      { status: 200, id: 'b', index: 'logs-mes-api-2026.11.21' },
      { status: 200, id: 'c', index: 'logs-mes-api-2026.11.21' },
      { status: 400, id: 'dl-x', index: 'dead-letter-2026.11.21', error: { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse document: Unexpected token "o"' } },
    ],
    12.7,
  );
  const shards = { total: 1, successful: 1, failed: 0 };
  assert.deepEqual(JSON.parse(text), {
    took: 12,
    errors: true,
    items: [
      { create: { _index: 'logs-mes-api-2026.11.21', _id: 'a"1', _version: 1, result: 'created', _shards: shards, _seq_no: 0, _primary_term: 1, status: 201 } },
      { create: { _index: 'logs-mes-api-2026.11.21', _id: 'b', status: 409, error: { type: 'version_conflict_engine_exception', reason: '[b]: version conflict, document already exists' } } },
      { index: { _index: 'logs-mes-api-2026.11.21', _id: 'c', _version: 1, result: 'noop', _shards: shards, _seq_no: 0, _primary_term: 1, status: 200 } },
      { index: { _index: 'dead-letter-2026.11.21', _id: null, status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse document: Unexpected token "o"' } } },
    ],
  });
  assert.deepEqual(JSON.parse(responseOf([{ action: 'index', id: 'x' }], [{ status: 201, id: 'x', index: 'logs' }], 3)).errors, false);
  assert.deepEqual(JSON.parse(responseOf([], [], 0)), { took: 0, errors: false, items: [] });
});

test('R23 R24 items the store already held become duplicates in the answer; the others keep theirs', () => {
  const answer = bulkAnswer(
    [{ action: 'create', id: 'a' }, { action: 'index', id: 'b' }, { action: 'create', id: 'c' }, { action: 'create' }],
    [
      { status: 201, id: 'a', index: 'logs-x' },
      { status: 201, id: 'b', index: 'logs-x' },
      { status: 201, id: 'c', index: 'logs-x' },
      { status: 400, id: 'dl-1', index: 'dead-letter-2026.11.21', error: { status: 400, type: 'mapper_parsing_exception', reason: 'bad' } },
    ],
  );
  assert.equal(withStored(answer, new Set()), answer);
  const marked = withStored(answer, new Set(['a', 'b', 'dl-1']));
  assert.equal(marked.errors, true);
  assert.deepEqual(JSON.parse(marked.items.toString()), [
    { create: { _index: 'logs-x', _id: 'a', status: 409, error: { type: 'version_conflict_engine_exception', reason: '[a]: version conflict, document already exists' } } },
    { index: { _index: 'logs-x', _id: 'b', _version: 1, result: 'noop', _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1, status: 200 } },
    { create: { _index: 'logs-x', _id: 'c', _version: 1, result: 'created', _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1, status: 201 } },
    { create: { _index: 'dead-letter-2026.11.21', _id: null, status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad' } } },
  ]);
});

test('R24 a long answer, written in pieces, is the same JSON: multibyte ids, errors and duplicates in between', () => {
  const entries = Array.from({ length: 3000 }, (_, i) => ({ action: (i % 2 ? 'index' : 'create') as 'index' | 'create', id: `заказ-${i}-🙂` }));
  const outcomes = entries.map(({ id }, i) => (i % 997 === 5
    ? { status: 400, id: `dl-${i}`, index: 'dead-letter-2026.11.21', error: { status: 400, type: 'mapper_parsing_exception', reason: `line ${i} is broken` } }
    : { status: i % 13 === 0 ? 200 : 201, id, index: `logs-shop-api-2026.11.${10 + (i % 3)}` }));
  const answer = bulkAnswer(entries, outcomes);
  assert.ok(answer.items.length > 100_000, 'more than one piece');
  const items = JSON.parse(answer.items.toString()) as Array<Record<string, { _index: string; _id: string | null; status: number }>>;
  assert.equal(items.length, 3000);
  items.forEach((item, i) => {
    const body = item[entries[i]!.action]!;
    assert.equal(body._index, outcomes[i]!.index);
    assert.equal(body._id, entries[i]!.id);
    const expected = outcomes[i]!.status === 200 && entries[i]!.action === 'create' ? 409 : outcomes[i]!.status;
    assert.equal(body.status, expected, `item ${i}`);
  });
  assert.equal(answer.errors, true);
});
