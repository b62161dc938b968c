import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseKql } from '../../kql/index.js';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore } from './duckdb-store.js';

const day = Date.parse('2026-11-21T08:00:00Z');
const INDEX = 'logs-mes-api-2026.11.21';

function event(i: number): StoredEvent {
  return {
    id: `e-${i}`, index: INDEX, ts: day + i, level: 'info', service: 'mes-api', message: `Order ORD-${i} status changed`,
    action: 'order-status-changed', trace_id: null, span_id: null, order_id: `ORD-${i}`, customer_id: null, user_id: null,
    http_status: null, duration_ns: null, client_ip: null, error_type: null, url_path: null,
    attrs: { 'order.status': i % 2 ? 'PRICE_QUOTED' : 'SHIPPED', 'message.id': `MSG-${i}` },
  };
}

/** Writes events through the store, closes it, and reads how DuckDB stored the `attrs` column. */
async function attrsCompression(dir: string): Promise<string[]> {
  const path = join(dir, 'loupe.duckdb');
  const store = await DuckDbStore.open({ path, tmpDir: join(dir, 'tmp'), threads: 1 });
  await store.append(Array.from({ length: 5000 }, (_, i) => event(i)));
  const page = await store.search({ query: parseKql('order.status:SHIPPED and message.id:"MSG-42"'), indices: 'logs-*' });
  assert.deepEqual(page.events.map((found) => found['order.id']), ['ORD-42'], 'attrs stay searchable');
  await store.close();
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`SELECT DISTINCT compression FROM pragma_storage_info('"${INDEX}"') WHERE column_name = 'attrs' AND compression <> 'Constant'`);
  connection.closeSync();
  instance.closeSync();
  return reader.getRows().map(([name]) => String(name));
}

test('R26 a new store keeps the attrs JSON zstd-compressed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-storage-'));
  try {
    assert.deepEqual(await attrsCompression(dir), ['ZSTD']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R26 a store file in the older format keeps working, its attrs compressed as that format allows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-storage-'));
  try {
    const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'), { storage_compatibility_version: 'v1.0.0' });
    instance.closeSync();
    const compression = await attrsCompression(dir);
    assert.ok(compression.length > 0 && !compression.includes('Uncompressed') && !compression.includes('ZSTD'), compression.join());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
