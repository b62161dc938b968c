import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore, type DuckDbStoreOptions } from './duckdb-store.js';

/** A dead letter of `day` (YYYY-MM-DD) with the given id. */
export function deadLetter(id: string, day: string): StoredEvent {
  return {
    id, index: `dead-letter-${day.replaceAll('-', '.')}`, ts: Date.parse(`${day}T10:00:00Z`), level: 'error', service: 'loupe-ingest',
    message: 'expected a JSON object per event', action: 'dead-letter', trace_id: null, span_id: null, order_id: null, customer_id: null,
    user_id: null, http_status: 400, duration_ns: null, client_ip: null, error_type: 'mapper_parsing_exception', url_path: null,
    attrs: { 'event.original': '{"broken":' },
  };
}

/** Runs `body` against a store of its own in a fresh directory, closed and removed afterwards. */
export async function withStore(body: (store: DuckDbStore) => Promise<void>, options: Partial<DuckDbStoreOptions> = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-append-'));
  const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1, ...options });
  try {
    await body(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An mes-api (or `service`) event of order ORD-1 at `at`, in its service's index of that day. */
export function event(id: string, at: string, service = 'mes-api'): StoredEvent {
  return {
    ...deadLetter(id, at.slice(0, 10)), index: `logs-${service}-${at.slice(0, 10).replaceAll('-', '.')}`, ts: Date.parse(at), level: 'info', service,
    message: `event ${id}`, action: 'order-status-changed', order_id: 'ORD-1', http_status: null, error_type: null, attrs: {},
  };
}
