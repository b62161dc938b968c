import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore } from './duckdb-store.js';

const start = Date.parse('2026-11-21T08:00:00Z');

function event(i: number, orderId: string | null, traceId: string, service = 'mes-api'): StoredEvent {
  return {
    id: `e-${String(i).padStart(3, '0')}`, index: `logs-${service}-2026.11.21`, ts: start + i * 1000, level: 'info', service,
    message: `event ${i}`, action: 'db-query', trace_id: traceId, span_id: null, order_id: orderId, customer_id: null, user_id: null,
    http_status: null, duration_ns: null, client_ip: null, error_type: null, url_path: null, attrs: {},
  };
}

test('R29 a journey holds the order\'s rows and its traces\' rows, not the rows stored between them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-journey-'));
  try {
    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    const events = [
      event(0, 'ORD-A', 'trace-a'),
      ...Array.from({ length: 40 }, (_, i) => event(1 + i, i % 2 ? 'ORD-B' : null, `trace-other-${i}`)),
      event(41, null, 'trace-a', 'crm-api'),
      event(42, null, 'trace-a'),
      ...Array.from({ length: 40 }, (_, i) => event(43 + i, null, `trace-more-${i}`)),
      event(83, 'ORD-A', 'trace-a2'),
      event(84, null, 'trace-a2', 'file-storage'),
    ];
    await store.append(events);
    const journey = await store.journeyEvents('logs-*-2026.11.21', { orderId: 'ORD-A', limit: 100, maxTraces: 10 });
    assert.deepEqual(journey.events.map((found) => found._id), ['e-000', 'e-041', 'e-042', 'e-083', 'e-084']);
    assert.deepEqual(journey.traceIds, ['trace-a', 'trace-a2']);
    const capped = await store.journeyEvents('logs-*-2026.11.21', { orderId: 'ORD-A', limit: 2, maxTraces: 10 });
    assert.deepEqual(capped.events.map((found) => found._id), ['e-000', 'e-041']);
    assert.equal(capped.truncated, true);
    // A trace's journey: its rows across services, whatever order they name.
    const trace = await store.journeyEvents('logs-*', { traceId: 'trace-a', limit: 100, maxTraces: 10 });
    assert.deepEqual(trace.events.map((found) => found._id), ['e-000', 'e-041', 'e-042']);
    assert.deepEqual(trace.traceIds, ['trace-a']);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R29 an order with many traces gets every trace\'s rows, however the traces are looked up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-journey-'));
  try {
    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    // 20 traces: past the short list tested inside the scan.
    const events = Array.from({ length: 20 }, (_, i) => [event(3 * i, 'ORD-M', `trace-${i}`), event(3 * i + 1, null, `trace-${i}`, 'crm-api'), event(3 * i + 2, null, `other-${i}`)]).flat();
    await store.append(events);
    const journey = await store.journeyEvents('logs-*-2026.11.21', { orderId: 'ORD-M', limit: 1000, maxTraces: 200 });
    assert.equal(journey.traceIds.length, 20);
    assert.deepEqual(journey.events.map((found) => found._id), events.filter((_, i) => i % 3 !== 2).map((e) => e.id));
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
