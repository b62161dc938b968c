import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loupe, platform, post } from './cli.fixture.js';

const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();

test('R28 loupe search --all prints every match, page after page, newest first; --text a line per event', async (t) => {
  const url = await platform(t);
  const events = Array.from({ length: 2500 }, (_, i) => ({ '@timestamp': at(i), 'log.level': 'info', 'service.name': 'mes-api', message: `event ${i}` }));
  assert.equal((await post(url, events)).status, 200);
  await post(url, [{ '@timestamp': at(3000), 'log.level': 'warn', 'service.name': 'shop-api', message: 'not a match' }]);

  const all = await loupe(['search', 'service.name:mes-api', '--all', '--from', '1h'], { LOUPE_URL: url });
  assert.equal(all.code, 0, all.stderr);
  const messages = all.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { message: string }).message);
  assert.equal(messages.length, 2500);
  assert.equal(new Set(messages).size, 2500);
  assert.deepEqual(messages.slice(0, 2), ['event 2499', 'event 2498']);
  assert.equal(messages.at(-1), 'event 0');

  const text = await loupe(['search', 'service.name:mes-api', '--text', '--limit', '2', '--from', '1h'], { LOUPE_URL: url });
  assert.match(text.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}mes-api {7}info {2}event 2499\n\S+ {2}mes-api {7}info {2}event 2498\n$/);

  const both = await loupe(['search', '*', '--all', '--limit', '5'], { LOUPE_URL: url });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^loupe search: --all prints every match; leave out --limit\nUsage: /);
});

test('R29 loupe journey prints the order\'s statuses with their times, then its events a line each', async (t) => {
  const url = await platform(t);
  const step = (minute: number, service: string, message: string, extra: Record<string, unknown> = {}) => ({
    '@timestamp': new Date(Date.parse('2026-12-07T10:00:00Z') + minute * 60_000).toISOString(), 'log.level': 'info', 'service.name': service,
    'order.id': 'ORD-77', 'trace.id': `${String(minute).padStart(2, '0')}`.repeat(16), message, ...extra,
  });
  await post(url, [
    step(0, 'shop-api', 'Order ORD-77 created with status NEW', { 'event.action': 'order-created', 'order.status': 'NEW' }),
    step(5, 'crm-api', 'Order ORD-77 status changed from NEW to MODEL_UPLOADED', { 'event.action': 'order-status-changed', 'order.previous_status': 'NEW', 'order.status': 'MODEL_UPLOADED' }),
    step(7, 'mes-api', 'Order ORD-77 status changed from MODEL_UPLOADED to PRICE_CALCULATING', { 'event.action': 'order-status-changed', 'order.previous_status': 'MODEL_UPLOADED', 'order.status': 'PRICE_CALCULATING' }),
    step(9, 'mes-api', 'Price calculation for order ORD-77 failed', { 'log.level': 'error' }),
  ]);
  const answer = await loupe(['journey', 'ORD-77'], { LOUPE_URL: url });
  assert.equal(answer.code, 0, answer.stderr);
  const lines = answer.stdout.split('\n');
  assert.equal(lines[0], 'Order ORD-77: 4 events, services shop-api → crm-api → mes-api, 4 traces (--json lists them)');
  assert.match(lines[1]!, /^ {4}NEW {16}2026-12-07T10:00:00\.000Z {2}5m$/);
  assert.match(lines[2]!, /^ {4}MODEL_UPLOADED {5}2026-12-07T10:05:00\.000Z {2}2m$/);
  assert.match(lines[3]!, /^ {2}▶ PRICE_CALCULATING {2}2026-12-07T10:07:00\.000Z {2}.+ \(current\)$/);
  assert.equal(lines[5], '2026-12-07T10:00:00.000Z  shop-api      info  Order ORD-77 created with status NEW');
  assert.equal(lines[8], '2026-12-07T10:09:00.000Z  mes-api       error Price calculation for order ORD-77 failed');
  assert.match(answer.stdout, /\nLast error: Price calculation for order ORD-77 failed\n$/);

  // A trace id (32 hex digits, or any id with --trace) follows that trace instead.
  const trace = await loupe(['journey', '05'.repeat(16)], { LOUPE_URL: url });
  assert.equal(trace.code, 0, trace.stderr);
  assert.equal(trace.stdout.split('\n')[0], `Trace ${'05'.repeat(16)}: 1 events, services crm-api, orders ORD-77`);
  const missing = await loupe(['journey', '--trace', 'abc'], { LOUPE_URL: url });
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'loupe journey: no events for trace abc in any retained index\n');
});
