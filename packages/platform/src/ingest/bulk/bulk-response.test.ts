import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkResponseJson } from './bulk-response.js';

test('R24 the _bulk answer is valid JSON in the Elasticsearch shape: stored, already stored, refused', () => {
  const text = bulkResponseJson(
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
  assert.deepEqual(JSON.parse(bulkResponseJson([{ action: 'index', id: 'x' }], [{ status: 201, id: 'x', index: 'logs' }], 3)).errors, false);
  assert.deepEqual(JSON.parse(bulkResponseJson([], [], 0)), { took: 0, errors: false, items: [] });
});
