import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulkClient, readBulkAnswer } from './post-bulk.js';
import { PlatformInProcess } from './shipper.fixture.js';

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

test('BulkClient reads an answer that arrives in pieces: a clean one by its start, one with errors whole (R23)', async () => {
  const answers: Array<{ status: number; body: string }> = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status, body } = answers.shift()!;
      response.writeHead(status, { 'content-type': 'application/json' });
      // Small pieces, each written after the last was sent, so the client sees them one by one.
      const pieces = [body.slice(0, 7), body.slice(7, 60), body.slice(60, 100), body.slice(100)];
      const next = () => {
        const piece = pieces.shift();
        if (piece === undefined) return response.end();
        response.write(piece, () => setTimeout(next, 2));
      };
      next();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new BulkClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  try {
    const many = (status: number, type?: string) => Array.from({ length: 200 }, () => item(status, type));
    answers.push({ status: 200, body: JSON.stringify({ took: 12, errors: false, items: many(201) }) });
    assert.deepEqual(await client.post(Buffer.from('{}\n'), 'identity'), { delivered: true, rejected: 0 });
    answers.push({ status: 200, body: answer([...many(201), item(400, 'mapper_parsing_exception')]) });
    assert.deepEqual(await client.post(Buffer.from('{}\n'), 'identity'), { delivered: true, rejected: 1, firstRejection: '400 mapper_parsing_exception: mapper_parsing_exception happened' });
    answers.push({ status: 503, body: JSON.stringify({ took: 1, errors: false, items: many(201) }) });
    assert.equal((await client.post(Buffer.from('{}\n'), 'identity')).delivered, false);
    answers.push({ status: 200, body: '{"took":1,"errors":false,"items":[]}' });
    assert.deepEqual(await client.post(Buffer.from('{}\n'), 'identity'), { delivered: true, rejected: 0 });
  } finally {
    client.close();
    server.close();
  }
});

test("R23 R24 BulkClient asks the platform for each item's status and error only, and reads a rejection from that answer", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-post-bulk-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  const client = new BulkClient(platform.url);
  try {
    const event = (message: string) => JSON.stringify({ '@timestamp': new Date().toISOString(), 'service.name': 'shop-api', message });
    const body = ['{"create":{"_index":"logs","_id":"p-1"}}', event('Order ORD-7001 created'), '{"create":{"_index":"logs","_id":"p-2"}}', '{broken', ''].join('\n');
    const outcome = await client.post(Buffer.from(body), 'identity');
    assert.equal(outcome.delivered, true);
    assert.equal(outcome.delivered && outcome.rejected, 1);
    assert.match(outcome.delivered ? outcome.firstRejection ?? '' : '', /^400 mapper_parsing_exception: /);
    assert.equal(client.endpoint, `${platform.url}/_bulk`, 'logged without the query');
    const again = await client.post(Buffer.from(body.split('\n').slice(0, 2).join('\n') + '\n'), 'identity');
    assert.equal(again.delivered && again.rejected, 0, 'a duplicate (409) is delivered');
  } finally {
    client.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
