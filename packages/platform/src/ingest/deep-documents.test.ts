import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, workshopLine } from '../platform.fixture.js';
import { createPipeline } from '../pipeline/pipeline.js';

const nested = (open: string, close: string, levels: number) => `${open.repeat(levels)}1${close.repeat(levels)}`;

async function deadLetters(url: string): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${url}/api/search?q=*&from=1h&indices=dead-letter-*`);
  return ((await response.json()) as { events: Array<Record<string, unknown>> }).events;
}

test('R24 a document nested thousands of levels deep is refused on its own and dead-lettered; the rest of its batch is stored', async () => {
  const platform = await startTestPlatform();
  try {
    const good = JSON.stringify(workshopLine({ 'order.id': 'ORD-GOOD' }));
    const deepObject = `{"x":${nested('{"a":', '}', 20_000)}}`;
    const deepArray = `{"message":"m","x":${nested('[', ']', 20_000)}}`;
    const bulk = await fetch(`${platform.url}/_bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `{"index":{}}\n${good}\n{"index":{"_id":"deep-1"}}\n${deepObject}\n{"index":{"_id":"deep-2"}}\n${deepArray}\n`,
    });
    assert.equal(bulk.status, 200);
    const items = ((await bulk.json()) as { items: Array<{ index: { status: number; error?: { reason: string } } }> }).items;
    // The deep array is stored: masking keeps 16 levels of a document and redacts what lies deeper, unread.
    assert.deepEqual(items.map((item) => item.index.status), [201, 400, 201]);
    assert.match(items[1]!.index.error!.reason, /nests objects or arrays too deeply/);
    const array = await fetch(`${platform.url}/api/search?q=_id:deep-2&from=1h`);
    const stored = JSON.stringify(((await array.json()) as { events: Array<Record<string, unknown>> }).events[0]!.x);
    assert.equal(stored, `${'['.repeat(15)}"[REDACTED]"${']'.repeat(15)}`);

    const ndjson = await fetch(`${platform.url}/ingest/ndjson`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: `${deepObject}\n${JSON.stringify(workshopLine({ 'order.id': 'ORD-TOO' }))}\n` });
    assert.equal(ndjson.status, 200);
    const answer = (await ndjson.json()) as { accepted: number; rejected: number };
    assert.deepEqual([answer.accepted, answer.rejected], [1, 1]);

    const found = await fetch(`${platform.url}/api/search?q=${encodeURIComponent('order.id:(ORD-GOOD or ORD-TOO)')}&from=1h`);
    assert.equal(((await found.json()) as { events: unknown[] }).events.length, 2);
    const letters = await deadLetters(platform.url);
    assert.equal(letters.length, 2);
    assert.ok(letters.every((letter) => /too deeply/.test(String(letter.message))));
  } finally {
    await platform.close();
  }
});

test('R24 an OTLP request whose LogRecord nests thousands of levels deep is answered with partialSuccess, not a retryable 503', async () => {
  const platform = await startTestPlatform();
  try {
    const kvlist = (levels: number): string => `${'{"kvlistValue":{"values":[{"key":"a","value":'.repeat(levels)}{"intValue":"1"}${'}]}}'.repeat(levels)}`;
    const record = (body: string) => `{"timeUnixNano":"${BigInt(Date.now()) * 1_000_000n}","body":${body}}`;
    const body = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${record(kvlist(20_000))},${record('{"stringValue":"kept"}')}]}]}]}`;
    const response = await fetch(`${platform.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { partialSuccess?: { rejectedLogRecords?: number | string; errorMessage?: string } };
    assert.equal(Number(answer.partialSuccess?.rejectedLogRecords), 1);
    assert.match(answer.partialSuccess!.errorMessage!, /nested more than 32 levels deep/);
    const kept = await fetch(`${platform.url}/api/search?q=kept&from=1h`);
    assert.equal(((await kept.json()) as { events: unknown[] }).events.length, 1);
    const letters = await deadLetters(platform.url);
    assert.deepEqual(letters.map((letter) => letter['event.original']), ['(the LogRecord is nested too deeply to keep as JSON)']);
  } finally {
    await platform.close();
  }
});

test('R25 with masking off, an array nested past 100 levels is refused by the pipeline, not left to overflow the store', () => {
  const pipeline = createPipeline({ mask: false });
  const raw = `{"message":"m","x":${nested('[', ']', 200)}}`;
  assert.deepEqual(pipeline({ document: JSON.parse(raw), raw, receivedAt: Date.now() }), { ok: false, reason: 'x nests arrays more than 100 levels deep' });
  const shallow = `{"message":"m","x":${nested('[', ']', 100)}}`;
  assert.equal(pipeline({ document: JSON.parse(shallow), raw: shallow, receivedAt: Date.now() }).ok, true);
});
