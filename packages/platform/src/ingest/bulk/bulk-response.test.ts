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
