import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBulkAnswer } from './post-bulk.js';

const item = (status: number, type?: string) => ({ create: { _index: 'logs-mes-api-2026.11.21', _id: 'f:1', status, ...(type && { error: { type, reason: `${type} happened` } }) } });
const answer = (items: unknown[]) => JSON.stringify({ took: 3, errors: true, items });

test('a _bulk answer without errors, or whose errors are duplicates (409) and definite rejections (400, 413), is delivered', () => {
  assert.deepEqual(readBulkAnswer(200, JSON.stringify({ took: 3, errors: false, items: [item(201)] })), { delivered: true, rejected: 0 });
  const outcome = readBulkAnswer(200, answer([item(201), item(409, 'version_conflict_engine_exception'), item(400, 'mapper_parsing_exception'), item(413, 'line_too_large')]));
  assert.deepEqual(outcome, { delivered: true, rejected: 2, firstRejection: '400 mapper_parsing_exception: mapper_parsing_exception happened' });
});

test('a 429 or 5xx answer, a 429 or 5xx item, or an answer that is not a _bulk response is sent again', () => {
  assert.equal(readBulkAnswer(429, '{"error":{"code":"INGEST_OVERLOADED"}}').delivered, false);
  assert.equal(readBulkAnswer(503, 'Service Unavailable').delivered, false);
  assert.equal(readBulkAnswer(200, answer([item(201), item(429, 'es_rejected_execution_exception')])).delivered, false);
  assert.equal(readBulkAnswer(200, answer([item(500, 'store_failure')])).delivered, false);
  assert.equal(readBulkAnswer(200, '<html>proxy</html>').delivered, false);
});

test('a request the platform refuses as a whole (401, 413) is kept and sent again, never dropped', () => {
  assert.equal(readBulkAnswer(401, '{"error":{"code":"UNAUTHORISED"}}').delivered, false);
  assert.equal(readBulkAnswer(413, '{"error":{"code":"INGEST_BODY_TOO_LARGE"}}').delivered, false);
});
