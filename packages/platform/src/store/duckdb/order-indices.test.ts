import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { dayScope } from '../index-names.js';
import { tableColumnsSql } from './table-sql.js';
import { DuckDbStore } from './duckdb-store.js';

test('R29 an index\'s day scope covers every service of its day; an index without a day is its own', () => {
  assert.equal(dayScope('logs-mes-api-2026.11.21'), 'logs-*-2026.11.21');
  assert.equal(dayScope('logs-file-storage-2026.01.02'), 'logs-*-2026.01.02');
  assert.equal(dayScope('logs'), 'logs');
  assert.equal(dayScope('dead-letter-2026.11.21'), 'dead-*-2026.11.21');
});

test('R29 a store written by an earlier version keeps finding its orders: their days, their events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-order-days-'));
  try {
    const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'));
    const connection = await instance.connect();
    await connection.run('CREATE TABLE _order_indices (order_id VARCHAR, index_name VARCHAR, PRIMARY KEY (order_id, index_name))');
    await connection.run(`INSERT INTO _order_indices VALUES ('ORD-1', 'logs-mes-api-2026.11.20'), ('ORD-1', 'logs-crm-api-2026.11.20'), ('ORD-1', 'logs-mes-api-2026.11.21'), ('ORD-2', 'logs-mes-api-2026.11.21')`);
    // Tables as an earlier version wrote them: no order_key column.
    const earlierColumns = tableColumnsSql(false).replace(', order_key UINTEGER', '');
    for (const index of ['logs-mes-api-2026.11.20', 'logs-crm-api-2026.11.20', 'logs-mes-api-2026.11.21']) await connection.run(`CREATE TABLE "${index}" (${earlierColumns})`);
    await connection.run(`INSERT INTO "logs-mes-api-2026.11.21" (id, ts, service, order_id, trace_id, message) VALUES ('e1', TIMESTAMP '2026-11-21 10:00:00', 'mes-api', 'ORD-2', 't-1', 'Order ORD-2 priced'), ('e2', TIMESTAMP '2026-11-21 10:00:01', 'mes-api', NULL, 't-1', 'price published')`);
    connection.closeSync();
    instance.closeSync();

    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    assert.deepEqual(await store.orderScopes('ORD-1'), ['logs-*-2026.11.20', 'logs-*-2026.11.21']);
    assert.deepEqual(await store.orderScopes('ORD-2'), ['logs-*-2026.11.21']);
    assert.deepEqual(await store.orderScopes('ORD-3'), []);
    // R29 the earlier tables get their order keys, so a journey finds the order and its trace.
    const journey = await store.journeyEvents('logs-*-2026.11.21', { orderId: 'ORD-2', limit: 100, maxTraces: 10 });
    assert.deepEqual(journey.events.map((event) => event._id), ['e1', 'e2']);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
