import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, workshopLine } from '../platform.fixture.js';
import { withStore, event } from '../store/duckdb/duckdb-store.fixture.js';
import type { FieldList } from '../store/log-store.js';

const base = Date.parse('2026-11-20T08:00:00.000Z');
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(120))}`;

test('R28 the field list names the fields of the matching events, their types and how many hold each', async () => {
  const platform = await startTestPlatform();
  try {
    const lines = [
      workshopLine({ '@timestamp': at(1), 'pricing.cost': 1250.5, 'pricing.currency': 'RUB', 'model.closed': true }),
      workshopLine({ '@timestamp': at(2), 'pricing.cost': '980', 'model.tags': ['ring', 'silver'] }),
      workshopLine({ '@timestamp': at(3), 'service.name': 'shop-api', 'event.action': 'http-request', 'http.response.status_code': 201, 'order.status': undefined, 'order.previous_status': undefined }),
      workshopLine({ '@timestamp': at(4), 'service.name': 'shop-api', 'event.action': 'http-request', 'http.response.status_code': 404, 'order.status': null, 'order.previous_status': undefined, mixed: 7 }),
      workshopLine({ '@timestamp': at(5), mixed: 'seven', 'only.null': null }),
    ];
    const body = lines.map((line) => `{"index":{}}\n${JSON.stringify(line)}`).join('\n');
    assert.equal((await fetch(`${platform.url}/_bulk`, { method: 'POST', body: `${body}\n`, headers: { 'content-type': 'application/x-ndjson' } })).status, 200);

    const fields = async (query: string) => {
      const response = await fetch(`${platform.url}/api/fields?q=${encodeURIComponent(query)}${range}`);
      assert.equal(response.status, 200);
      return (await response.json()) as FieldList & { absentFields?: unknown };
    };
    const all = await fields('*');
    assert.equal(all.sampled, 5);
    assert.equal((all as { sampleSize?: number }).sampleSize, 5000);
    const byName = new Map(all.fields.map((field) => [field.field, field]));
    assert.deepEqual(all.fields.map((field) => field.field), [...byName.keys()].sort(), 'sorted by name');
    assert.deepEqual(byName.get('@timestamp'), { field: '@timestamp', type: 'date', events: 5, column: true });
    assert.deepEqual(byName.get('service.name'), { field: 'service.name', type: 'keyword', events: 5, column: true });
    assert.deepEqual(byName.get('message'), { field: 'message', type: 'text', events: 5, column: true });
    assert.deepEqual(byName.get('http.response.status_code'), { field: 'http.response.status_code', type: 'number', events: 2, column: true });
    // A number sent as text is stored as sent: the list says so, as it says where types disagree.
    assert.deepEqual(byName.get('pricing.cost'), { field: 'pricing.cost', type: 'mixed', types: ['number', 'string'], events: 2, column: false });
    assert.deepEqual(byName.get('pricing.currency'), { field: 'pricing.currency', type: 'string', events: 1, column: false });
    assert.deepEqual(byName.get('model.closed'), { field: 'model.closed', type: 'boolean', events: 1, column: false });
    assert.deepEqual(byName.get('model.tags'), { field: 'model.tags', type: 'array', events: 1, column: false });
    assert.deepEqual(byName.get('mixed'), { field: 'mixed', type: 'mixed', types: ['number', 'string'], events: 2, column: false });
    // A null is no value: order.status is held by the three order events, not the request with null.
    assert.equal(byName.get('order.status')?.events, 3);
    for (const absent of ['only.null', 'http.route', 'error.type']) assert.equal(byName.has(absent), false, absent);

    const requests = await fields('event.action:http-request');
    assert.equal(requests.sampled, 2);
    assert.equal(requests.fields.some((field) => field.field.startsWith('pricing.')), false);

    const none = await fields('odrer.id:ORD-1042');
    assert.deepEqual(none, { sampleSize: 5000, sampled: 0, fields: [], absentFields: [{ field: 'odrer.id', similar: ['order.id'] }] });

    const small = await fetch(`${platform.url}/api/fields?q=*&sample=2${range}`);
    assert.equal(((await small.json()) as FieldList).sampled, 2);
    // Events sharing a millisecond do not stretch the sample past its size.
    const ties = Array.from({ length: 30 }, (_, i) => `{"index":{}}\n${JSON.stringify(workshopLine({ '@timestamp': at(30), message: `tie ${i}` }))}`).join('\n');
    await fetch(`${platform.url}/_bulk`, { method: 'POST', body: `${ties}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    const tied = await fetch(`${platform.url}/api/fields?q=tie&sample=10${range}`);
    assert.equal(((await tied.json()) as FieldList).sampled, 10);
    const bad = await fetch(`${platform.url}/api/fields?q=*&sample=0`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /sample must be a whole number from 1 to 5000/);
    assert.equal((await fetch(`${platform.url}/api/fields?q=${encodeURIComponent('a:(')}`)).status, 400);
  } finally {
    await platform.close();
  }
});

test('R28 R27 the field list reads cold indices too, and an attribute named like a column stays apart', async () => {
  await withStore(async (store) => {
    await store.append([
      { ...event('a', '2026-11-20T10:00:00Z'), attrs: { 'order.status': 'NEW', '3': 'three' } },
      { ...event('b', '2026-11-21T10:00:00Z'), attrs: { 'model.volume_mm3': 812.5 } },
    ]);
    await store.moveToCold('logs-mes-api-2026.11.20');
    const list = await store.fields({ query: { kind: 'all' }, from: Date.parse('2026-11-20T00:00:00Z'), to: Date.parse('2026-11-22T00:00:00Z') });
    assert.equal(list.sampled, 2);
    const names = list.fields.map((field) => `${field.field}:${field.type}:${field.events}`);
    for (const expected of ['3:string:1', 'order.status:string:1', 'model.volume_mm3:number:1', 'order.id:keyword:2', '_id:keyword:2', 'log.level:keyword:2']) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(' ')}`);
    }
  });
});
