import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, workshopLine } from '../platform.fixture.js';

test('R28 fields= cuts each event of a search and of the live tail to the named fields, with wildcards', async () => {
  const platform = await startTestPlatform();
  try {
    const line = workshopLine({ '@timestamp': new Date(Date.now() - 1000).toISOString() });
    // A field named __proto__, which only JSON text can carry.
    const document = JSON.stringify(line).replace('{', '{"__proto__":"kept as a field",');
    const stored = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: `{"index":{"_id":"one"}}\n${document}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(stored.status, 200);
    const search = async (fields: string) => {
      const response = await fetch(`${platform.url}/api/search?q=*&from=1h&fields=${encodeURIComponent(fields)}`);
      return { status: response.status, body: (await response.json()) as { events?: Array<Record<string, unknown>>; error?: { message: string } } };
    };
    assert.deepEqual((await search('order.id,message')).body.events, [{ message: line.message, 'order.id': 'ORD-1042' }]);
    assert.deepEqual((await search('order.*, _id')).body.events, [{ 'order.id': 'ORD-1042', 'order.previous_status': 'NEW', 'order.status': 'PRICE_CALCULATING', _id: 'one' }]);
    const proto = (await search('__proto__')).body.events![0]!;
    assert.deepEqual(Object.keys(proto), ['__proto__']);
    assert.equal(Object.getPrototypeOf(proto), Object.prototype);
    assert.deepEqual((await search('colour')).body.events, [{}]);
    // A plain name stands for the object under it, as in Elasticsearch; `*` is the event's fields, not its metadata.
    assert.deepEqual(Object.keys((await search('order')).body.events![0]!), ['order.id', 'order.previous_status', 'order.status']);
    const every = (await search('*')).body.events![0]!;
    assert.equal('_id' in every || '_index' in every, false);
    assert.ok('message' in every && 'service.name' in every);
    assert.deepEqual(Object.keys((await search('_*')).body.events![0]!), ['__proto__', '_id', '_index']);
    for (const bad of ['order.id,,message', 'a b', Array.from({ length: 101 }, (_, i) => `f${i}`).join(',')]) {
      const answer = await search(bad);
      assert.equal(answer.status, 400, bad);
      assert.match(answer.body.error!.message, /^fields/);
    }

    const controller = new AbortController();
    const tail = await fetch(`${platform.url}/api/tail?q=*&fields=${encodeURIComponent('@timestamp,order.status')}`, { signal: controller.signal });
    const reader = tail.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const first = text.split('\n').find((row) => row.startsWith('data: '))!;
    assert.deepEqual(JSON.parse(first.slice(6)), { '@timestamp': line['@timestamp'], 'order.status': 'PRICE_CALCULATING' });
  } finally {
    await platform.close();
  }
});
