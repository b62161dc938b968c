import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, workshopLine, type TestPlatform } from '../platform.fixture.js';

const base = Date.parse('2026-11-20T08:00:00.000Z');
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
const trace = 'a1'.repeat(16);

async function ingest(platform: TestPlatform, documents: Record<string, unknown>[]): Promise<void> {
  const body = documents.map((d) => `${JSON.stringify({ index: {} })}\n${JSON.stringify(d)}`).join('\n');
  const response = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: `${body}\n`, headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(((await response.json()) as { errors: boolean }).errors, false);
}

async function get<T>(platform: TestPlatform, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${platform.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

/** One order's life over two days and three services, with a request in its trace that carries no order id. */
function orderLife(): Record<string, unknown>[] {
  return [
    workshopLine({ '@timestamp': at(0), 'service.name': 'shop-api', 'event.action': 'order-created', 'order.status': 'NEW', message: 'Order ORD-1042 created with status NEW', 'trace.id': trace }),
    workshopLine({ '@timestamp': at(1), 'service.name': 'shop-api', 'event.action': 'http-request', 'order.id': undefined, message: 'POST /orders 201', 'http.response.status_code': 201, 'trace.id': trace }),
    workshopLine({ '@timestamp': at(5), 'service.name': 'crm-api', 'order.previous_status': 'NEW', 'order.status': 'PRICE_CALCULATING', message: 'Order ORD-1042 status changed from NEW to PRICE_CALCULATING', 'trace.id': trace }),
    workshopLine({ '@timestamp': at(6), 'service.name': 'mes-api', 'order.previous_status': 'NEW', 'order.status': 'PRICE_CALCULATING', message: 'Order ORD-1042 status changed from NEW to PRICE_CALCULATING', 'trace.id': trace }),
    workshopLine({ '@timestamp': at(7), 'service.name': 'mes-api', 'log.level': 'error', 'event.action': 'call-failed', message: 'http POST http://file-storage/analyse failed after 3 attempts', 'trace.id': trace }),
    workshopLine({ '@timestamp': at(60 * 26), 'service.name': 'mes-api', 'order.previous_status': 'PRICE_CALCULATING', 'order.status': 'PRICE_QUOTED', message: 'Order ORD-1042 status changed from PRICE_CALCULATING to PRICE_QUOTED', 'trace.id': 'b2'.repeat(16) }),
    workshopLine({ '@timestamp': at(3), 'service.name': 'shop-api', 'order.id': 'ORD-7', message: 'Order ORD-7 created', 'event.action': 'order-created', 'order.status': 'NEW', 'trace.id': 'c3'.repeat(16) }),
  ];
}

test('R28 KQL over HTTP: fields, free text, ranges, time range, newest first', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, orderLife());
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60 * 48))}`;
    const q = (kql: string) => get<{ events: Record<string, unknown>[] }>(platform, `/api/search?q=${encodeURIComponent(kql)}${range}`);
    const errors = (await q('service.name:mes-api and log.level:error')).body.events;
    assert.deepEqual(errors.map((e) => e['event.action']), ['call-failed']);
    const statuses = (await q('order.id:ORD-1042 and order.status:(PRICE_CALCULATING or PRICE_QUOTED)')).body.events;
    // The failed call also carries the order's status field.
    assert.deepEqual(statuses.map((e) => e['@timestamp']), [at(60 * 26), at(7), at(6), at(5)]);
    assert.equal((await q('"failed after 3 attempts"')).body.events.length, 1);
    assert.equal((await q('http.response.status_code >= 200 and http.response.status_code < 300')).body.events.length, 1);
    assert.equal((await q('not service.name:mes-api and order.id:ORD-*')).body.events.length, 3);
    const dayOne = await get<{ events: unknown[] }>(platform, `/api/search?q=order.id:ORD-1042&from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`);
    assert.equal(dayOne.body.events.length, 4);
  } finally {
    await platform.close();
  }
});

test('R28 KQL as Kibana reads it: message words in any order, a whole day, escapes in phrases', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, orderLife());
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60 * 48))}`;
    const actions = async (kql: string) => (await get<{ events: Record<string, unknown>[] }>(platform, `/api/search?q=${encodeURIComponent(kql)}${range}`)).body.events.map((e) => e['event.action']);
    assert.deepEqual(await actions('message:attempts failed'), ['call-failed']);
    assert.deepEqual(await actions('message:"attempts failed"'), []);
    assert.deepEqual(await actions('"failed after \\u0033 attempts"'), ['call-failed']);
  } finally {
    await platform.close();
  }
});

test('R28 a value matches a field that holds it in an array, as in Elasticsearch', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, [
      workshopLine({ '@timestamp': at(0), message: 'unparsed line', tags: ['_parse_failure', 'postgresql'] }),
      workshopLine({ '@timestamp': at(1), message: 'tagged once', tags: 'postgresql' }),
      workshopLine({ '@timestamp': at(2), message: 'numbers', 'http.retries': [1, 2] }),
    ]);
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60))}`;
    const messages = async (kql: string) => (await get<{ events: Record<string, unknown>[] }>(platform, `/api/search?q=${encodeURIComponent(kql)}${range}`)).body.events.map((e) => e.message);
    assert.deepEqual(await messages('tags:_parse_failure'), ['unparsed line']);
    assert.deepEqual(await messages('tags:postgresql'), ['tagged once', 'unparsed line']);
    assert.deepEqual(await messages('tags:_truncated'), []);
    assert.deepEqual(await messages('http.retries:2'), ['numbers']);
  } finally {
    await platform.close();
  }
});

test('R28 a KQL syntax error answers 400 with the column and what was expected; hostile input never 500s', async () => {
  const platform = await startTestPlatform();
  try {
    const bad = await get<{ error: { code: string; message: string } }>(platform, `/api/search?q=${encodeURIComponent('order.id:')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'KQL_SYNTAX');
    assert.match(bad.body.error.message, /column 10/);
    for (const hostile of ['order.id:"x\' OR 1=1 --"', "'); DROP TABLE logs; --", '((((((((', 'a'.repeat(10_000), `${'('.repeat(1000)}a${')'.repeat(1000)}`, 'message:\\', '@timestamp > "yesterday"']) {
      const response = await fetch(`${platform.url}/api/search`, { method: 'POST', body: JSON.stringify({ q: hostile }), headers: { 'content-type': 'application/json' } });
      assert.ok(response.status === 200 || response.status === 400, `${hostile.slice(0, 30)} → ${response.status}`);
    }
    const wrongLimit = await get<{ error: { code: string } }>(platform, '/api/search?q=*&limit=abc');
    assert.equal(wrongLimit.body.error.code, 'SEARCH_BAD_LIMIT');
    const twice = await get<{ error: { code: string; message: string } }>(platform, '/api/histogram?q=*&from=1h&from=2h');
    assert.equal(twice.status, 400);
    assert.deepEqual(twice.body.error, { code: 'SEARCH_REPEATED_PARAM', message: 'from is given 2 times; give it once' });
    // Indices may be named several times, as several patterns.
    const indices = await get<{ events: unknown[] }>(platform, '/api/search?q=*&indices=logs-mes-*&indices=dead-letter-*');
    assert.equal(indices.status, 200);
  } finally {
    await platform.close();
  }
});

test('R28 paging with search-after stays stable while new events arrive', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, Array.from({ length: 25 }, (_, i) => workshopLine({ '@timestamp': at(i), 'order.id': `ORD-P${i}` })));
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(600))}`;
    const first = await get<{ events: Record<string, unknown>[]; next: string }>(platform, `/api/search?q=*&limit=10${range}`);
    await ingest(platform, [workshopLine({ '@timestamp': at(100), 'order.id': 'ORD-NEWER' }), workshopLine({ '@timestamp': at(12.5), 'order.id': 'ORD-BETWEEN' })]);
    const seen = first.body.events.map((e) => e['order.id']);
    let next: string | undefined = first.body.next;
    while (next) {
      const page: { body: { events: Record<string, unknown>[]; next?: string } } = await get(platform, `/api/search?q=*&limit=10&after=${next}${range}`);
      seen.push(...page.body.events.map((e) => e['order.id']));
      next = page.body.next;
    }
    assert.deepEqual(seen.slice(0, 10), Array.from({ length: 10 }, (_, i) => `ORD-P${24 - i}`));
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(!seen.includes('ORD-NEWER'), 'a newer event does not shift later pages');
    assert.ok(seen.includes('ORD-BETWEEN'), 'an older event that arrived meanwhile appears in its place');
  } finally {
    await platform.close();
  }
});

test('R29 histogram of matches and top values of a field', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, orderLife());
    const range = `&from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`;
    const histogram = await get<{ intervalMs: number; buckets: Array<{ ts: number; count: number; key?: string }> }>(platform, `/api/histogram?q=*&interval=5m&split=log.level${range}`);
    assert.equal(histogram.body.intervalMs, 300_000);
    assert.deepEqual(histogram.body.buckets, [
      { ts: base, count: 3, key: 'info' },
      { ts: base + 300_000, count: 1, key: 'error' },
      { ts: base + 300_000, count: 2, key: 'info' },
    ]);
    const top = await get<{ values: Array<{ value: unknown; count: number }> }>(platform, `/api/top-values?q=*&field=service.name${range}`);
    assert.deepEqual(top.body.values, [{ value: 'shop-api', count: 3 }, { value: 'mes-api', count: 2 }, { value: 'crm-api', count: 1 }]);
  } finally {
    await platform.close();
  }
});

test('R28 a search that finds nothing names the fields no event of its range holds, with the ones likely meant', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, [...orderLife(), workshopLine({ '@timestamp': at(60 * 30), 'pricing.cost': 5 })]);
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60 * 48))}`;
    type Answer = { events: unknown[]; absentFields?: Array<{ field: string; similar: string[] }> };
    const search = async (kql: string) => (await get<Answer>(platform, `/api/search?q=${encodeURIComponent(kql)}${range}`)).body;
    const first = await search('odrer.id:ORD-1042');
    assert.deepEqual(first.events, []);
    assert.deepEqual(first.absentFields, [{ field: 'odrer.id', similar: ['order.id'] }]);
    const misspelt = await search('service.name:mes-api and order.stauts:NEW and colour:red');
    assert.deepEqual(misspelt.absentFields, [{ field: 'order.stauts', similar: ['order.status'] }, { field: 'colour', similar: [] }]);
    // An object's name is no field: the fields under it are offered.
    assert.deepEqual((await search('order:*')).absentFields, [{ field: 'order', similar: ['order.id', 'order.previous_status', 'order.status'] }]);
    // However many fields a query names, the note looks for ten in one scan of the range.
    const many = await search(Array.from({ length: 40 }, (_, i) => `f${i}:x`).join(' or '));
    assert.deepEqual(many.absentFields?.map((absent) => absent.field), Array.from({ length: 10 }, (_, i) => `f${i}`));
    // A field that events hold, or a typed one, is no explanation: the question just has no answer.
    assert.equal((await search('order.status:SHIPPED')).absentFields, undefined);
    assert.equal((await search('customer.id:CUS-404')).absentFields, undefined);
    assert.equal((await search('pricing.cost > 100')).absentFields, undefined);
    // A field held only outside the range counts as absent in it.
    const early = await get<Answer>(platform, `/api/search?q=${encodeURIComponent('pricing.cost > 100')}&from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`);
    assert.deepEqual(early.body.absentFields, [{ field: 'pricing.cost', similar: [] }]);
    // Nothing in the range at all: no field is to blame.
    const empty = await get<Answer>(platform, `/api/search?q=${encodeURIComponent('odrer.id:ORD-1042')}&from=${encodeURIComponent(at(-600))}&to=${encodeURIComponent(at(-500))}`);
    assert.deepEqual(empty.body.events, []);
    assert.equal(empty.body.absentFields, undefined);
    assert.equal((await get<Answer>(platform, `/api/search?q=${encodeURIComponent('odrer.id:ORD-1042')}&indices=logs-nothing-*${range}`)).body.absentFields, undefined);
    const top = await get<{ values: unknown[]; absentFields?: unknown }>(platform, `/api/top-values?q=*&field=order.stauts${range}`);
    assert.deepEqual(top.body, { field: 'order.stauts', values: [], absentFields: [{ field: 'order.stauts', similar: ['order.status'] }] });
    const histogram = await get<{ buckets: unknown[]; absentFields?: unknown }>(platform, `/api/histogram?q=${encodeURIComponent('http.route:x')}&interval=1h${range}`);
    assert.deepEqual(histogram.body.absentFields, [{ field: 'http.route', similar: [] }]);
    // A split by a field no event holds: buckets keyed null, and the field named.
    const split = await get<{ buckets: Array<{ key: unknown }>; absentFields?: unknown }>(platform, `/api/histogram?q=*&interval=1h&split=order.stauts${range}`);
    assert.ok(split.body.buckets.length > 0 && split.body.buckets.every((bucket) => bucket.key === null));
    assert.deepEqual(split.body.absentFields, [{ field: 'order.stauts', similar: ['order.status'] }]);
  } finally {
    await platform.close();
  }
});

test('R29 the order journey spans services, days and the order\'s traces, with time in each status', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, orderLife());
    const { body } = await get<{ events: Record<string, unknown>[]; services: string[]; traceIds: string[]; statuses: Array<{ status: string; durationMs: number; current: boolean }>; stoppedAt: { status: string; lastError: Record<string, unknown> } }>(platform, '/api/journey/ORD-1042');
    assert.deepEqual(body.events.map((e) => e.message), [
      'Order ORD-1042 created with status NEW',
      'POST /orders 201',
      'Order ORD-1042 status changed from NEW to PRICE_CALCULATING',
      'Order ORD-1042 status changed from NEW to PRICE_CALCULATING',
      'http POST http://file-storage/analyse failed after 3 attempts',
      'Order ORD-1042 status changed from PRICE_CALCULATING to PRICE_QUOTED',
    ]);
    assert.deepEqual(body.services, ['shop-api', 'crm-api', 'mes-api']);
    assert.deepEqual(body.statuses.map((s) => [s.status, s.current]), [['NEW', false], ['PRICE_CALCULATING', false], ['PRICE_QUOTED', true]]);
    assert.equal(body.statuses[0]!.durationMs, 5 * 60_000);
    assert.equal(body.statuses[1]!.durationMs, (60 * 26 - 5) * 60_000);
    assert.equal(body.stoppedAt.status, 'PRICE_QUOTED');
    assert.equal(body.stoppedAt.lastError['event.action'], 'call-failed');
  } finally {
    await platform.close();
  }
});

/** The `order.id` of each event a live tail sends, until `count` came or 15 s passed. */
async function tailedOrderIds(reader: ReadableStreamDefaultReader<Uint8Array>, count: number): Promise<string[]> {
  const ids: string[] = [];
  let text = '';
  const deadline = Date.now() + 15_000;
  while (ids.length < count && Date.now() < deadline) {
    text += new TextDecoder().decode((await reader.read()).value);
    const end = text.lastIndexOf('\n\n');
    for (const line of text.slice(0, end + 2).split('\n')) if (line.startsWith('data: ')) ids.push(String((JSON.parse(line.slice(6)) as Record<string, unknown>)['order.id']));
    text = text.slice(end + 2);
  }
  return ids;
}

test('R28 live tail streams new matches as server-sent events', async () => {
  const platform = await startTestPlatform();
  try {
    const controller = new AbortController();
    const response = await fetch(`${platform.url}/api/tail?q=${encodeURIComponent('service.name:crm-api')}`, { signal: controller.signal });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = response.body!.getReader();
    await ingest(platform, [workshopLine({ 'service.name': 'crm-api', 'order.id': 'ORD-TAIL' }), workshopLine({ 'service.name': 'shop-api' })]);
    // A shipper delivering late: the event's time is before the tail's last poll.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ingest(platform, [workshopLine({ 'service.name': 'crm-api', 'order.id': 'ORD-LATE', '@timestamp': new Date(Date.now() - 10_000).toISOString() })]);
    let text = '';
    while (!text.includes('ORD-TAIL') || !text.includes('ORD-LATE')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const data = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
    assert.deepEqual(data.map((e) => e['order.id']), ['ORD-TAIL', 'ORD-LATE']);
  } finally {
    await platform.close();
  }
});

test('R28 live tail keeps up with a busy stream: every one of thousands of new events arrives, once', async () => {
  const platform = await startTestPlatform();
  try {
    const controller = new AbortController();
    const response = await fetch(`${platform.url}/api/tail?q=${encodeURIComponent('service.name:mes-api')}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const lines = Array.from({ length: 2500 }, (_, i) => workshopLine({ '@timestamp': new Date(Date.now() + (i % 50)).toISOString(), 'order.id': `ORD-${i}` }));
    await ingest(platform, lines);
    const ids = await tailedOrderIds(reader, 2500);
    controller.abort();
    assert.equal(ids.length, 2500);
    assert.equal(new Set(ids).size, 2500);
  } finally {
    await platform.close();
  }
});

test('R28 live tail follows arrival order: late events behind a busy second, and one stamped yesterday, each arrive once', async () => {
  const platform = await startTestPlatform();
  try {
    const controller = new AbortController();
    const response = await fetch(`${platform.url}/api/tail?q=${encodeURIComponent('service.name:mes-api')}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    // 1,500 events of this second, then, on later polls, events a shipper held back: stamped 10 s and a day before.
    await ingest(platform, Array.from({ length: 1500 }, (_, i) => workshopLine({ '@timestamp': new Date().toISOString(), 'order.id': `ORD-${i}` })));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ingest(platform, [
      workshopLine({ '@timestamp': new Date(Date.now() - 10_000).toISOString(), 'order.id': 'ORD-LATE' }),
      workshopLine({ '@timestamp': new Date(Date.now() - 86_400_000).toISOString(), 'order.id': 'ORD-YESTERDAY' }),
    ]);
    const ids = await tailedOrderIds(reader, 1502);
    controller.abort();
    assert.equal(new Set(ids).size, ids.length, 'none twice');
    assert.deepEqual(ids.slice(1500).sort(), ['ORD-LATE', 'ORD-YESTERDAY'], 'the late ones, after the others, in the order they arrived');
    assert.equal(ids.length, 1502);
  } finally {
    await platform.close();
  }
});

test('R28 _index is a KQL field as in Kibana: matched with wildcards, grouped by in top values and histogram splits', async () => {
  const platform = await startTestPlatform();
  try {
    await ingest(platform, orderLife());
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60 * 48))}`;
    const indices = async (kql: string) => (await get<{ events: Record<string, unknown>[] }>(platform, `/api/search?q=${encodeURIComponent(kql)}${range}`)).body.events.map((e) => e._index);
    assert.deepEqual(await indices('_index:logs-crm-api-*'), ['logs-crm-api-2026.11.20']);
    assert.deepEqual(await indices('_index:"logs-mes-api-2026.11.21"'), ['logs-mes-api-2026.11.21']);
    assert.equal((await indices('not _index:logs-shop-api-* and order.id:ORD-1042')).length, 4);
    // A query on _index reads every index, so it finds the dead letters it names.
    await fetch(`${platform.url}/_bulk`, { method: 'POST', body: '{"index":{}}\n{"broken":\n', headers: { 'content-type': 'application/x-ndjson' } });
    const dead = await get<{ events: Record<string, unknown>[] }>(platform, `/api/search?q=${encodeURIComponent('_index:dead-letter-*')}&from=1h`);
    assert.equal(dead.body.events.length, 1);
    const top = await get<{ values: Array<{ value: string; count: number }> }>(platform, `/api/top-values?field=_index&q=${encodeURIComponent('_index:logs-mes-*')}${range}`);
    assert.deepEqual(top.body.values, [{ value: 'logs-mes-api-2026.11.20', count: 2 }, { value: 'logs-mes-api-2026.11.21', count: 1 }]);
    const split = await get<{ buckets: Array<{ key: string }>; absentFields?: unknown }>(platform, `/api/histogram?q=*&interval=1d&split=_index${range}`);
    assert.deepEqual([...new Set(split.body.buckets.map((bucket) => bucket.key))].sort(), ['logs-crm-api-2026.11.20', 'logs-mes-api-2026.11.20', 'logs-mes-api-2026.11.21', 'logs-shop-api-2026.11.20']);
    assert.equal(split.body.absentFields, undefined);
  } finally {
    await platform.close();
  }
});

test('R29 a histogram split keeps buckets for the values with the most events and sums the rest as other', async () => {
  const platform = await startTestPlatform();
  try {
    // Service s0 has 1 event, s1 2 … s5 6, all in one hour; one event has no service.
    const lines = Array.from({ length: 6 }, (_, s) => Array.from({ length: s + 1 }, (_, i) => workshopLine({ '@timestamp': at(s), 'service.name': `s${s}`, message: `event ${i}` }))).flat();
    await ingest(platform, [...lines, workshopLine({ '@timestamp': at(10), 'service.name': undefined })]);
    const range = `&from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(60))}`;
    const split = await get<{ buckets: Array<{ key?: string | null; other?: boolean; count: number }> }>(platform, `/api/histogram?q=*&interval=1h&split=service.name&splitSize=3${range}`);
    assert.deepEqual(split.body.buckets.map(({ key, other, count }) => (other ? `other:${count}` : `${key}:${count}`)), ['s3:4', 's4:5', 's5:6', 'null:1', 'other:6']);
    const bad = await get<{ error: { message: string } }>(platform, `/api/histogram?q=*&split=service.name&splitSize=101${range}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^splitSize must be a whole number from 1 to 100/);
  } finally {
    await platform.close();
  }
});
