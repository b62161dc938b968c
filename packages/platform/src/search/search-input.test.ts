import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, workshopLine, type TestPlatform } from '../platform.fixture.js';

type ErrorBody = { error: { code: string; message: string } };

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function get<T>(platform: TestPlatform, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${platform.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

async function postSearch(platform: TestPlatform, body: string, contentType = 'application/json'): Promise<{ status: number; body: ErrorBody & { events?: unknown[] } }> {
  const response = await fetch(`${platform.url}/api/search`, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: response.status, body: (await response.json()) as ErrorBody & { events?: unknown[] } };
}

/** The platform still answers, and the event stored before the bad requests is still found. */
async function assertStillServing(platform: TestPlatform): Promise<void> {
  const found = await get<{ events: Record<string, unknown>[] }>(platform, `/api/search?q=${encodeURIComponent('order.id:ORD-KEPT')}&from=1h`);
  assert.equal(found.status, 200);
  assert.deepEqual(found.body.events.map((e) => e['order.id']), ['ORD-KEPT']);
}

async function withPlatform(run: (platform: TestPlatform) => Promise<void>): Promise<void> {
  const platform = await startTestPlatform();
  try {
    const body = `${JSON.stringify({ index: {} })}\n${JSON.stringify(workshopLine({ 'order.id': 'ORD-KEPT' }))}\n`;
    const stored = await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(((await stored.json()) as { errors: boolean }).errors, false);
    await run(platform);
    await assertStillServing(platform);
  } finally {
    await platform.close();
  }
}

test('R28 times and cursors beyond what a date can hold answer 400, not 500', () => withPlatform(async (platform) => {
  const cases: Array<[string, string]> = [
    ['/api/search?to=99999999999999999999', 'SEARCH_BAD_TIME'],
    ['/api/search?from=now-99999999999d', 'SEARCH_BAD_TIME'],
    // Date.parse's leniency: "1" would be the year 2001, "May 3" a day in 2001.
    ['/api/search?from=1', 'SEARCH_BAD_TIME'],
    ['/api/search?from=May%203', 'SEARCH_BAD_TIME'],
    ['/api/histogram?to=99999999999999999999', 'SEARCH_BAD_TIME'],
    ['/api/top-values?field=service.name&from=99999999999d', 'SEARCH_BAD_TIME'],
    [`/api/search?after=${cursor([1e300, 'x'])}`, 'SEARCH_BAD_CURSOR'],
    [`/api/search?after=${cursor([-1e20, 'x'])}`, 'SEARCH_BAD_CURSOR'],
    [`/api/search?after=${cursor([1.5, 'x'])}`, 'SEARCH_BAD_CURSOR'],
    // More top values than the store returns is refused, not cut short silently.
    ['/api/top-values?field=service.name&limit=5000', 'SEARCH_BAD_LIMIT'],
  ];
  for (const [path, code] of cases) {
    const answer = await get<ErrorBody>(platform, path);
    assert.equal(answer.status, 400, path);
    assert.equal(answer.body.error.code, code, path);
  }
}));

test('R28 a time whose + came unencoded in the URL, and so reads as a space, is refused with how to write it', () => withPlatform(async (platform) => {
  const relative = await get<ErrorBody>(platform, '/api/search?q=*&from=now-1h&to=now+1h');
  assert.deepEqual([relative.status, relative.body.error.code], [400, 'SEARCH_BAD_TIME']);
  assert.equal(relative.body.error.message, 'to="now 1h" is not a time: a + in a URL\'s query reads as a space, so write now%2B1h');
  const offset = await get<ErrorBody>(platform, '/api/search?q=*&from=2026-12-08T10:00:00+03:00');
  assert.equal(offset.body.error.message, 'from="2026-12-08T10:00:00 03:00" is not a time: a + in a URL\'s query reads as a space, so write 2026-12-08T10:00:00%2B03:00');
  const other = await get<ErrorBody>(platform, '/api/search?q=*&from=last%20week');
  assert.match(other.body.error.message, /^from="last week" is not a time: use 15m, 1h/);
}));

test('R28 a parameter an endpoint does not take, or one given in the URL and the body, is refused; an empty one counts as not given', () => withPlatform(async (platform) => {
  const typo = await get<ErrorBody>(platform, '/api/search?q=*&limt=5');
  assert.equal(typo.status, 400);
  assert.equal(typo.body.error.code, 'SEARCH_UNKNOWN_PARAM');
  assert.equal(typo.body.error.message, '/api/search does not take the parameter "limt"; it takes q, from, to, indices, limit, order, after, fields');
  assert.equal((await get<ErrorBody>(platform, '/api/histogram?field=service.name')).body.error.code, 'SEARCH_UNKNOWN_PARAM');
  const both = await fetch(`${platform.url}/api/search?q=error`, { method: 'POST', body: '{"q":"*"}', headers: { 'content-type': 'application/json' } });
  assert.equal(both.status, 400);
  assert.match(((await both.json()) as ErrorBody).error.message, /^q is given both in the URL and in the body/);
  const inBody = await fetch(`${platform.url}/api/search`, { method: 'POST', body: '{"q":"*","size":5}', headers: { 'content-type': 'application/json' } });
  assert.match(((await inBody.json()) as ErrorBody).error.message, /does not take the parameter "size" \(in the body\)/);
  const flag = await fetch(`${platform.url}/api/search`, { method: 'POST', body: '{"fields":true}', headers: { 'content-type': 'application/json' } });
  assert.equal(flag.status, 400);
  assert.equal((await get<ErrorBody>(platform, '/api/histogram?splitSize=5')).body.error.message, "splitSize needs split=FIELD: it is how many of that field's values get buckets of their own");
  assert.equal((await get<ErrorBody>(platform, '/api/search?from=1h&to=now%2B1h')).status, 200);
  for (const path of ['/api/search?q=*&indices=&limit=&from=', '/api/top-values?field=service.name&indices=']) {
    assert.equal((await get<ErrorBody>(platform, path)).status, 200, path);
  }
}));

test('R28 from and to in epoch seconds (as date +%s prints them) or milliseconds mean the same instant', () => withPlatform(async (platform) => {
  const stored = await fetch(`${platform.url}/_bulk`, { method: 'POST', body: '{"index":{}}\n{"@timestamp":"2026-11-21T10:00:00Z","message":"at ten"}\n', headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(stored.status, 200);
  for (const [from, to] of [['1795255100', '1795255300'], ['1795255100000', '1795255300000']]) {
    const answer = await get<{ events: Array<{ message: string }> }>(platform, `/api/search?from=${from}&to=${to}`);
    assert.deepEqual(answer.body.events.map((event) => event.message), ['at ten'], from);
  }
}));

test('R29 a histogram interval too long for a date answers 400, not 500', () => withPlatform(async (platform) => {
  const answer = await get<ErrorBody>(platform, '/api/histogram?interval=99999999999999999999d');
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.code, 'SEARCH_BAD_INTERVAL');
  // A second a bucket over thirty days would be 2.6 million buckets: refused, as Elasticsearch refuses past search.max_buckets.
  const many = await get<ErrorBody>(platform, '/api/histogram?interval=1s&from=30d');
  assert.equal(many.status, 400);
  assert.equal(many.body.error.code, 'SEARCH_TOO_MANY_BUCKETS');
  assert.match(many.body.error.message, /^interval=1s makes 2,592,000 buckets of this range, more than 65,536: use a longer interval/);
}));

test('R29 top values of @timestamp are ISO times, not a 500', () => withPlatform(async (platform) => {
  const answer = await get<{ values: Array<{ value: unknown; count: number }> }>(platform, '/api/top-values?field=@timestamp&from=1h');
  assert.equal(answer.status, 200);
  assert.equal(answer.body.values.length, 1);
  assert.match(String(answer.body.values[0]!.value), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
}));

test('R28 an unknown sort order answers 400 instead of silently sorting newest first', () => withPlatform(async (platform) => {
  for (const order of ['sideways', 'ascending']) {
    const answer = await get<ErrorBody>(platform, `/api/search?order=${order}`);
    assert.equal(answer.status, 400, order);
    assert.equal(answer.body.error.code, 'SEARCH_BAD_ORDER', order);
  }
  const upper = await get<{ events: unknown[] }>(platform, '/api/search?order=ASC&from=1h');
  assert.equal(upper.status, 200);
  assert.equal(upper.body.events.length, 1);
}));

test('R28 a POST search body that is not an object of plain values answers 400 instead of searching for "[object Object]"', () => withPlatform(async (platform) => {
  for (const body of [JSON.stringify({ q: { match: 'x' } }), JSON.stringify({ q: ['a', 'b'] }), '[1,2]', '"order.id:ORD-KEPT"']) {
    const answer = await postSearch(platform, body);
    assert.equal(answer.status, 400, body);
    assert.equal(answer.body.error.code, 'VALIDATION', body);
  }
  const text = await postSearch(platform, 'q=order.id:ORD-KEPT', 'text/plain');
  assert.equal(text.status, 400);
  assert.equal(text.body.error.code, 'VALIDATION');
  const good = await postSearch(platform, JSON.stringify({ q: 'order.id:ORD-KEPT', from: '1h', limit: 5 }));
  assert.equal(good.status, 200);
  assert.equal(good.body.events!.length, 1);
}));

test('R28 live tail with a query its fields cannot hold answers 400 at once instead of hanging', () => withPlatform(async (platform) => {
  const response = await fetch(`${platform.url}/api/tail?q=${encodeURIComponent('http.response.status_code:abc')}`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as ErrorBody).error.code, 'KQL_BAD_VALUE');
}));

test('R28 an index pattern of many wildcards answers at once and the platform keeps serving', () => withPlatform(async (platform) => {
  const pattern = encodeURIComponent(`${'*'.repeat(40)}z,${'*l'.repeat(20)}*z`);
  const answer = await fetch(`${platform.url}/api/search?indices=${pattern}&from=1h`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(answer.status, 200);
  assert.deepEqual(((await answer.json()) as { events: unknown[] }).events, []);
}));
