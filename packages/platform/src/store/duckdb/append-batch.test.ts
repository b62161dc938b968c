import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKql } from '../../kql/index.js';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore } from './duckdb-store.js';

function deadLetter(id: string, day: string): StoredEvent {
  return {
    id, index: `dead-letter-${day.replaceAll('-', '.')}`, ts: Date.parse(`${day}T10:00:00Z`), level: 'error', service: 'loupe-ingest',
    message: 'expected a JSON object per event', action: 'dead-letter', trace_id: null, span_id: null, order_id: null, customer_id: null,
    user_id: null, http_status: 400, duration_ns: null, client_ip: null, error_type: 'mapper_parsing_exception', url_path: null,
    attrs: { 'event.original': '{"broken":' },
  };
}

test('R23 R24 a malformed line re-sent on a later day is dead-lettered once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-append-'));
  try {
    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    assert.deepEqual((await store.append([deadLetter('dl-file:42', '2026-11-20')])).duplicate, [false]);
    const again = await store.append([deadLetter('dl-file:42', '2026-11-21'), deadLetter('dl-file:43', '2026-11-21')]);
    assert.deepEqual(again.duplicate, [true, false]);
    const page = await store.search({ query: parseKql('*'), indices: 'dead-letter-*', from: Date.parse('2026-11-19'), to: Date.parse('2026-11-22') });
    assert.deepEqual(page.events.map((event) => [event._id, event._index]).sort(), [
      ['dl-file:42', 'dead-letter-2026.11.20'],
      ['dl-file:43', 'dead-letter-2026.11.21'],
    ]);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
