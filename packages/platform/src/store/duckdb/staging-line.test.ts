import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typedColumns, type StoredEvent } from '../stored-event.js';
import { stagingLine } from './stage-batch.js';

function event(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: 'a1', index: 'logs-mes-api-2026.11.21', ts: 1795132800015.5, level: 'info', service: 'mes-api', message: 'Order "ORD-1042"\tmoved\nnext line',
    action: 'order-status-changed', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', order_id: 'ORD-1042',
    customer_id: 'CUS-7', user_id: 'U-1', http_status: 200, duration_ns: 1_500_000, client_ip: '10.0.0.1', error_type: 'Timeout',
    url_path: '/orders/ORD-1042', attrs: { 'order.status': 'PRINTED', 'pricing.cost': 12_450.5, ok: true, nested: { a: [1, null] }, 'ключ': 'значение 💍' },
    ...overrides,
  };
}

test('R26 a staging line carries every typed column and the attributes, as JSON.stringify would, without the index', () => {
  const full = event();
  const { index: _index, ...expected } = full;
  assert.deepEqual(JSON.parse(stagingLine(full)), expected);
  for (const { column } of typedColumns) assert.ok(column in JSON.parse(stagingLine(full)), column);
  const { index: _index2, ...stringified } = JSON.parse(JSON.stringify(full)) as StoredEvent;
  assert.deepEqual(JSON.parse(stagingLine(full)), stringified);
});

test('R26 null columns, no attributes, lone surrogates and a number JSON cannot hold stay JSON every reader takes', () => {
  const nulls = Object.fromEntries(typedColumns.map(({ column }) => [column, null])) as Partial<StoredEvent>;
  const line = stagingLine(event({ ...nulls, attrs: {} }));
  assert.deepEqual(JSON.parse(line), { id: 'a1', ts: 1795132800015.5, ...nulls, attrs: {} });
  const odd = stagingLine(event({ message: 'half \ud83d pair', duration_ns: Number.POSITIVE_INFINITY, attrs: { 'key \udc8d': 'value \ud83d', list: ['x \ud83d', { 'y \ud83d': '\udc8d', 'as text': '\\ud83d \\\ud83d' }], ring: '💍' } }));
  // DuckDB's JSON reader rejects the escape of a lone surrogate: it becomes U+FFFD, a pair stays.
  assert.doesNotMatch(odd, /(?<!\\)(?:\\\\)*\\ud[89a-f]/i);
  const parsed = JSON.parse(odd) as Record<string, unknown>;
  assert.equal(parsed.message, 'half \ufffd pair');
  assert.equal(parsed.duration_ns, null);
  assert.deepEqual(parsed.attrs, { 'key \ufffd': 'value \ufffd', list: ['x \ufffd', { 'y \ufffd': '\ufffd', 'as text': '\\ud83d \\\ufffd' }], ring: '💍' });
});
