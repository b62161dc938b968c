import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBulk } from './parse-bulk.js';

const options = { maxLineBytes: 1_000 };
const doc = '{"message":"hello"}';

// R24: action lines in every form shippers send, whether read by the fast path or by JSON.parse.
test('R24 bulk action lines give the same entries in their plain and their spaced forms', () => {
  const cases: Array<[string, { action: string; id?: string; index?: string }]> = [
    ['{"create":{}}', { action: 'create' }],
    ['{"index":{}}', { action: 'index' }],
    ['{"create":{"_id":"app.log:1:120"}}', { action: 'create', id: 'app.log:1:120' }],
    ['{"index":{"_index":"logs-x","_id":"7"}}', { action: 'index', id: '7', index: 'logs-x' }],
    ['{"index":{"_id":"7","_index":"logs-x"}}', { action: 'index', id: '7', index: 'logs-x' }],
    ['{"index":{"_index":"logs-x"}}', { action: 'index', index: 'logs-x' }],
    ['{ "create" : { "_id" : "a\\"b" } }', { action: 'create', id: 'a"b' }],
    ['{"index":{"_id":42}}', { action: 'index', id: '42' }],
    ['{"index":{"_index":"logs-x","_id":"7","pipeline":"p"}}', { action: 'index', id: '7', index: 'logs-x' }],
  ];
  for (const [action, expected] of cases) {
    const [entry] = parseBulk(`${action}\n${doc}\n`, options);
    assert.equal(entry?.error, undefined, action);
    assert.deepEqual({ action: entry!.action, id: entry!.id, index: entry!.index }, { id: undefined, index: undefined, ...expected }, action);
    assert.deepEqual(entry!.document, { message: 'hello' });
  }
});

test('R24 a near-miss action line is still an error of its own, and the next pair is read', () => {
  const entries = parseBulk(`{"index":{"_index":"x",}}\n{"create":{"_id":"1"}}\n${doc}\n`, options);
  assert.equal(entries.length, 2);
  assert.match(entries[0]!.error!.reason, /malformed action line/);
  assert.equal(entries[1]!.id, '1');
  assert.deepEqual(entries[1]!.document, { message: 'hello' });
});

test('R24 a line over the byte limit is rejected by its UTF-8 size, not its length in characters', () => {
  const cyrillic = `{"message":"${'ж'.repeat(600)}"}`;
  const [entry] = parseBulk(`{"index":{}}\n${cyrillic}\n`, options);
  assert.equal(entry!.error?.status, 413);
  const [fits] = parseBulk(`{"index":{}}\n{"message":"${'ж'.repeat(400)}"}\n`, options);
  assert.equal(fits!.error, undefined);
});

test('R24 an _id that is empty, over 512 bytes, not a string or number, or a number too large to keep exactly is its item\'s error', () => {
  const bad = ['{"index":{"_id":""}}', `{"index":{"_id":"${'i'.repeat(513)}"}}`, '{"create":{"_id":{"a":1}}}', '{"index":{"_id":[1]}}', '{"index":{"_id":12345678901234567890}}', '{ "index" : { "_id" : "" } }'];
  for (const action of bad) {
    const entries = parseBulk(`${action}\n${doc}\n{"index":{"_id":"next"}}\n${doc}\n`, options);
    assert.equal(entries.length, 2, action);
    assert.equal(entries[0]!.error?.status, 400, action);
    assert.equal(entries[0]!.error?.type, 'action_request_validation_exception', action);
    assert.equal(entries[0]!.id, undefined, action);
    assert.equal(entries[0]!.raw, doc, 'the document is what the dead letter keeps');
    assert.equal(entries[1]!.id, 'next', 'the pair after it is read as usual');
  }
  const [unset] = parseBulk(`{"index":{"_id":null}}\n${doc}\n`, options);
  assert.deepEqual({ id: unset!.id, error: unset!.error }, { id: undefined, error: undefined }, 'a null _id is no _id, as in Elasticsearch');
  const [longest] = parseBulk(`{"index":{"_id":"${'ж'.repeat(256)}"}}\n${doc}\n`, options);
  assert.equal(longest!.error, undefined, '512 bytes of UTF-8 is the limit, as in Elasticsearch');
});
