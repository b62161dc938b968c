import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPipeline, MESSAGE_TRUNCATED_TAG } from './pipeline.js';

test('R25 a message past 64 KiB is cut with a marker and tagged _message_truncated, beside the tags it had', () => {
  const pipeline = createPipeline();
  const long = `start ${'d'.repeat(100_000)} END`;
  for (const [tags, expected] of [[undefined, [MESSAGE_TRUNCATED_TAG]], [['_truncated'], ['_truncated', MESSAGE_TRUNCATED_TAG]], ['one', ['one', MESSAGE_TRUNCATED_TAG]]] as const) {
    const result = pipeline({ document: { message: long, ...(tags !== undefined && { tags }) }, receivedAt: Date.now() });
    assert.ok(result.ok);
    assert.equal(result.event.message!.length, 65_536 + '… [truncated 34474 characters]'.length);
    assert.match(result.event.message!, /^start d+… \[truncated 34474 characters\]$/);
    assert.deepEqual(result.event.attrs.tags, expected);
  }
  const short = pipeline({ document: { message: 'short' }, receivedAt: Date.now() });
  assert.ok(short.ok);
  assert.equal(short.event.attrs.tags, undefined);
});
