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

test('R29 a store written by an earlier version keeps finding the days of its orders', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-order-days-'));
  try {
    const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'));
    const connection = await instance.connect();
    await connection.run('CREATE TABLE _order_indices (order_id VARCHAR, index_name VARCHAR, PRIMARY KEY (order_id, index_name))');
    await connection.run(`INSERT INTO _order_indices VALUES ('ORD-1', 'logs-mes-api-2026.11.20'), ('ORD-1', 'logs-crm-api-2026.11.20'), ('ORD-1', 'logs-mes-api-2026.11.21'), ('ORD-2', 'logs-mes-api-2026.11.21')`);
    for (const index of ['logs-mes-api-2026.11.20', 'logs-crm-api-2026.11.20', 'logs-mes-api-2026.11.21']) await connection.run(`CREATE TABLE "${index}" (${tableColumnsSql(false)})`);
    connection.closeSync();
    instance.closeSync();

    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    assert.deepEqual(await store.orderScopes('ORD-1'), ['logs-*-2026.11.20', 'logs-*-2026.11.21']);
    assert.deepEqual(await store.orderScopes('ORD-2'), ['logs-*-2026.11.21']);
    assert.deepEqual(await store.orderScopes('ORD-3'), []);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
