import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import { Client } from '@elastic/elasticsearch';
import pino from 'pino';
import { createRequire } from 'node:module';

// A CommonJS module whose typings declare an ES default export.
const pinoElastic = createRequire(import.meta.url)('pino-elasticsearch') as (options: Record<string, unknown>) => NodeJS.WritableStream & NodeJS.EventEmitter;
import { startTestPlatform, workshopLine } from '../platform.fixture.js';

async function search(url: string, q: string, extra = '&from=7d') {
  const response = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}${extra}`);
  return { status: response.status, body: (await response.json()) as { events: Record<string, unknown>[]; next?: string; error?: { code: string; message: string } } };
}

test('R24 the official Elasticsearch client bulk helper stores events that KQL then finds', async () => {
  const platform = await startTestPlatform();
  try {
    const client = new Client({ node: platform.url });
    const documents = Array.from({ length: 500 }, (_, i) => workshopLine({ 'order.id': `ORD-${i}`, 'log.level': i % 50 === 0 ? 'error' : 'info' }));
    const stats = await client.helpers.bulk({ datasource: documents, onDocument: () => ({ create: { _index: 'workshop' } }), flushBytes: 20_000 });
    assert.equal(stats.successful, 500);
    assert.equal(stats.failed, 0);
    const errors = await search(platform.url, 'service.name:mes-api and log.level:error');
    assert.equal(errors.body.events.length, 10);
    const one = await search(platform.url, 'order.id:ORD-42');
    assert.equal(one.body.events[0]?.['order.id'], 'ORD-42');
    assert.match(String(one.body.events[0]?._index), /^logs-mes-api-\d{4}\.\d{2}\.\d{2}$/);
    await client.close();
  } finally {
    await platform.close();
  }
});

test('R24 pino-elasticsearch ships pino lines unchanged and they are normalised to ECS', async () => {
  const platform = await startTestPlatform();
  try {
    const stream = pinoElastic({ index: 'pino-logs', node: platform.url, esVersion: 8, flushBytes: 10 });
    const log = pino({ name: 'crm-api' }, stream);
    log.info({ orderId: 'ORD-77', status: 'PAID' }, 'Order ORD-77 paid by anna.petrova@mail.ru');
    log.error({ err: new TypeError('boom') }, 'handler failed');
    const inserted = once(stream, 'insert');
    stream.end();
    const [stats] = (await inserted) as [{ successful: number }];
    assert.equal(stats.successful, 2);
    const found = await search(platform.url, 'service.name:crm-api');
    assert.equal(found.body.events.length, 2);
    const paid = found.body.events.find((e) => e['order.id'] === 'ORD-77');
    assert.equal(paid?.['log.level'], 'info');
    assert.equal(paid?.message, 'Order ORD-77 paid by [EMAIL]');
    const failed = found.body.events.find((e) => e['log.level'] === 'error');
    assert.equal(failed?.['error.type'], 'TypeError');
  } finally {
    await platform.close();
  }
});

test('R24 a bulk body with good, malformed and oversized lines stores the good ones and dead-letters each bad one', async () => {
  const platform = await startTestPlatform({ LOUPE_MAX_LINE_BYTES: '2048' });
  try {
    const body = [
      JSON.stringify({ index: { _id: 'good-1' } }), JSON.stringify(workshopLine({ 'order.id': 'ORD-1' })),
      JSON.stringify({ index: {} }), '{"message": "broken json", ',
      JSON.stringify({ create: { _id: 'big-1' } }), JSON.stringify(workshopLine({ message: 'x'.repeat(5000) })),
      JSON.stringify({ index: { _id: 'good-2' } }), JSON.stringify(workshopLine({ 'order.id': 'ORD-2' })),
      JSON.stringify({ index: {} }), JSON.stringify(workshopLine({ 'http.response.status_code': 'not-a-number' })),
      '',
    ].join('\n');
    const response = await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(response.status, 200);
    const result = (await response.json()) as { errors: boolean; items: Array<Record<string, { status: number; error?: { type: string; reason: string } }>> };
    assert.equal(result.errors, true);
    assert.deepEqual(result.items.map((item) => Object.values(item)[0]!.status), [201, 400, 413, 201, 400]);
    assert.match(result.items[1]!.index!.error!.reason, /failed to parse document/);
    assert.match(result.items[2]!.create!.error!.reason, /over the 2048-byte limit/);
    assert.match(result.items[4]!.index!.error!.reason, /http.response.status_code must be a number/);

    const stored = await search(platform.url, 'order.id:*');
    assert.deepEqual(stored.body.events.map((e) => e['order.id']).sort(), ['ORD-1', 'ORD-2']);
    const dead = await search(platform.url, '*', '&from=7d&indices=dead-letter-*');
    assert.equal(dead.body.events.length, 3);
    const originals = dead.body.events.map((e) => String(e['event.original']));
    assert.ok(originals.some((o) => o.startsWith('{"message": "broken json"')));
    assert.ok(dead.body.events.every((e) => typeof e['error.message'] === 'string' && e['service.name'] === 'loupe-ingest'));

    // R23: the same body re-sent (a shipper after a crash) dead-letters nothing twice.
    await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal((await search(platform.url, '*', '&from=7d&indices=dead-letter-*')).body.events.length, 3);
  } finally {
    await platform.close();
  }
});

test('R23 a re-sent batch is stored once: duplicates by _id or by content are dropped', async () => {
  const platform = await startTestPlatform();
  try {
    const line = workshopLine({ '@timestamp': '2026-11-21T10:00:00.000Z' });
    const body = `${JSON.stringify({ create: { _id: 'file-1:0' } })}\n${JSON.stringify(line)}\n${JSON.stringify({ index: {} })}\n${JSON.stringify(line)}\n`;
    const send = async () => (await (await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } })).json()) as { items: Array<Record<string, { status: number }>> };
    const first = await send();
    assert.deepEqual(first.items.map((i) => Object.values(i)[0]!.status), [201, 201]);
    const second = await send();
    assert.deepEqual(second.items.map((i) => Object.values(i)[0]!.status), [409, 200]);
    const found = await search(platform.url, 'order.id:ORD-1042', '&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z');
    assert.equal(found.body.events.length, 2);
  } finally {
    await platform.close();
  }
});

test('R24 documents sent with an empty _id are refused item by item and dead-lettered, not dropped as duplicates of each other', async () => {
  const platform = await startTestPlatform();
  try {
    const body = [
      JSON.stringify({ index: { _id: '' } }), JSON.stringify(workshopLine({ 'order.id': 'ORD-E1' })),
      JSON.stringify({ index: { _id: '' } }), JSON.stringify(workshopLine({ 'order.id': 'ORD-E2' })),
      JSON.stringify({ index: { _id: 'kept-1' } }), JSON.stringify(workshopLine({ 'order.id': 'ORD-E3' })),
      '',
    ].join('\n');
    const response = await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    const result = (await response.json()) as { errors: boolean; items: Array<{ index: { status: number; error?: { type: string; reason: string } } }> };
    assert.equal(result.errors, true);
    assert.deepEqual(result.items.map((item) => item.index.status), [400, 400, 201]);
    assert.match(result.items[0]!.index.error!.reason, /_id must not be empty/);
    assert.deepEqual((await search(platform.url, 'order.id:ORD-E*')).body.events.map((e) => e['order.id']), ['ORD-E3']);
    const dead = await search(platform.url, '*', '&from=7d&indices=dead-letter-*');
    assert.equal(dead.body.events.length, 2, 'each refused document is kept with its reason');
  } finally {
    await platform.close();
  }
});

test('R23 a document sent with an _id and no timestamp, sent again later, is stored once', async () => {
  const platform = await startTestPlatform();
  try {
    const body = `${JSON.stringify({ create: { _id: 'untimed:1' } })}\n${JSON.stringify({ 'service.name': 'mes-api', message: 'no time of its own' })}\n`;
    const send = async () => (await (await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } })).json()) as { items: Array<{ create: { status: number } }> };
    assert.equal((await send()).items[0]!.create.status, 201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal((await send()).items[0]!.create.status, 409, 'stamped again on arrival, so later, and still a duplicate');
    assert.equal((await search(platform.url, '_id:"untimed:1"', '&from=1h')).body.events.length, 1);
  } finally {
    await platform.close();
  }
});

test('R24 gzip bodies are accepted; oversized bodies get 413, overload 429, nothing half-stored', async () => {
  const platform = await startTestPlatform({ LOUPE_MAX_BODY_BYTES: '300000', LOUPE_MAX_INFLIGHT_BYTES: '150000' });
  try {
    const lines = Array.from({ length: 100 }, (_, i) => `${JSON.stringify({ index: {} })}\n${JSON.stringify(workshopLine({ 'order.id': `ORD-Z${i}` }))}`).join('\n');
    const zipped = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: gzipSync(lines), headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
    assert.equal(zipped.status, 200);
    assert.equal((await search(platform.url, 'order.id:ORD-Z*', '&from=7d&limit=1000')).body.events.length, 100);

    const tooLarge = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: 'x'.repeat(400_000), headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(tooLarge.status, 413);
    const overloaded = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: 'x'.repeat(200_000), headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(overloaded.status, 429);
    assert.equal(overloaded.headers.get('retry-after'), '1');
    // Beats, Logstash, Vector and Fluent Bit retry a 429; the Elasticsearch clients name the error by its type.
    const rejection = (await overloaded.json()) as { error: { code: string; type: string; reason: string } };
    assert.deepEqual([rejection.error.code, rejection.error.type], ['INGEST_OVERLOADED', 'es_rejected_execution_exception']);
    const bomb = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: gzipSync(Buffer.alloc(5_000_000, 32)), headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } });
    assert.equal(bomb.status, 413);
    assert.equal(((await bomb.json()) as { error: { code: string } }).error.code, 'INGEST_BODY_TOO_LARGE');
  } finally {
    await platform.close();
  }
});

test('R24 plain NDJSON reports each bad line by number and stores the rest', async () => {
  const platform = await startTestPlatform();
  try {
    const body = [JSON.stringify(workshopLine({ 'order.id': 'ORD-N1' })), 'not json at all', '[1,2,3]', JSON.stringify(workshopLine({ 'order.id': 'ORD-N2' }))].join('\n');
    const response = await fetch(`${platform.url}/ingest/ndjson`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    const result = (await response.json()) as { accepted: number; rejected: number; errors: Array<{ line: number; message: string }> };
    assert.equal(result.accepted, 2);
    assert.deepEqual(result.errors.map((e) => e.line), [2, 3]);
    assert.match(result.errors[1]!.message, /expected a JSON object/);
  } finally {
    await platform.close();
  }
});

test('R24 R25 documents with hostile strings and numbers are stored and read back, or refused item by item: lone surrogates, odd keys, 1e400, 1e21 as a status', async () => {
  const platform = await startTestPlatform();
  try {
    const documents = [
      String.raw`{"@timestamp":"2026-11-21T10:00:00Z","service.name":"mes-api","order.id":"ORD-H1","message":"said \"hi\" \\ back\u0001 tab\t lone \ud83d end","odd \"key\"\nline":"v \udc8d","big":1e400,"list":["x \ud83d",{"y":"ok 💍"}]}`,
      String.raw`{"@timestamp":"2026-11-21T10:00:01Z","service.name":"mes-api","order.id":"ORD-H2","message":"'; DROP TABLE logs; -- \u2028 \u0000"}`,
      // Numbers the typed columns cannot hold are refused, as Elasticsearch refuses them for a long.
      String.raw`{"@timestamp":"2026-11-21T10:00:02Z","service.name":"mes-api","order.id":"ORD-H3","http.response.status_code":1e21}`,
      String.raw`{"@timestamp":"2026-11-21T10:00:03Z","service.name":"mes-api","order.id":"ORD-H4","event.duration":-9.3e18}`,
      String.raw`{"@timestamp":"2026-11-21T10:00:04Z","service.name":"mes-api","order.id":"ORD-H5","event.duration":"12.5","http.response.status_code":null}`,
      // A key named __proto__ is a field like any other, nested or not.
      String.raw`{"@timestamp":"2026-11-21T10:00:05Z","service.name":"mes-api","order.id":"ORD-H6","__proto__":[1,2],"nested":{"__proto__":{"a":1}}}`,
      String.raw`{"@timestamp":"2026-11-21T10:00:06Z","service.name":"mes-api","order.id":"ORD-H7","__proto__":"text"}`,
    ];
    const body = documents.map((document, i) => `{"create":{"_id":"hostile:${i}"}}\n${document}`).join('\n') + '\n';
    const response = await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { errors: boolean; items: Array<{ create: { status: number } }> };
    assert.deepEqual(answer.items.map((item) => item.create.status), [201, 201, 400, 400, 201, 201, 201]);
    assert.match(JSON.stringify(answer.items[2]), /http.response.status_code must be a whole number from -2147483648 to 2147483647, got 1e\+21/);
    assert.match(JSON.stringify(answer.items[3]), /event.duration must be a whole number from -9223372036854775808 to 9223372036854775807/);
    const found = await search(platform.url, 'order.id:ORD-H*', '&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z&order=asc');
    const [first, second, fifth, sixth, seventh] = found.body.events;
    assert.equal(found.body.events.length, 5);
    assert.deepEqual(Object.getOwnPropertyDescriptor(sixth, '__proto__')?.value, [1, 2]);
    assert.equal(sixth!['nested.__proto__.a'], 1);
    assert.equal('0' in sixth!, false);
    assert.equal(Object.getOwnPropertyDescriptor(seventh, '__proto__')?.value, 'text');
    assert.equal(fifth!['event.duration'], 12);
    assert.equal('http.response.status_code' in fifth!, false);
    // A lone surrogate is not text: it is stored as U+FFFD, as a UTF-8 decoder would make of it.
    assert.equal(first!.message, 'said "hi" \\ back\u0001 tab\t lone \ufffd end');
    assert.equal(first!['odd "key"\nline'], 'v \ufffd');
    assert.equal(first!.big, null);
    assert.deepEqual(first!.list, ['x \ufffd', { y: 'ok 💍' }]);
    assert.equal(second!.message, "'; DROP TABLE logs; -- \u2028 \u0000");
    const range = '&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z';
    assert.deepEqual((await search(platform.url, '_id:"hostile:1"', range)).body.events.map((e) => e['order.id']), ['ORD-H2']);
    assert.equal((await search(platform.url, '_id:hostile*', range)).body.events.length, 5);
  } finally {
    await platform.close();
  }
});

test('the Elasticsearch endpoints clients call on start answer as Elasticsearch', async () => {
  const platform = await startTestPlatform();
  try {
    const root = await fetch(platform.url);
    assert.equal(root.headers.get('x-elastic-product'), 'Elasticsearch');
    assert.match(((await root.json()) as { version: { number: string } }).version.number, /^8\./);
    assert.equal((await fetch(`${platform.url}/`, { method: 'HEAD' })).status, 200);
    assert.equal(((await (await fetch(`${platform.url}/_license`)).json()) as { license: { status: string } }).license.status, 'active');
  } finally {
    await platform.close();
  }
});
