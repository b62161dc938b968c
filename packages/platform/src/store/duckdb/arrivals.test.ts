import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseKql } from '../../kql/index.js';
import { event } from './duckdb-store.fixture.js';
import { DuckDbStore } from './duckdb-store.js';
import { tableColumnsSql } from './table-sql.js';

test('R28 a store from an earlier version gets arrival stamps, and new loads are stamped above the newest stored even with the clock behind it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-arrivals-'));
  const today = new Date().toISOString().slice(0, 10);
  const index = (service: string) => `logs-${service}-${today.replaceAll('-', '.')}`;
  try {
    const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'));
    const connection = await instance.connect();
    // A table as an earlier version wrote it, without the stamp, and one whose newest load is stamped a day ahead of this clock.
    await connection.run(`CREATE TABLE "${index('crm-api')}" (${tableColumnsSql(false).replace(', arrived_ms BIGINT', '')})`);
    await connection.run(`INSERT INTO "${index('crm-api')}" (id, ts, service, message) VALUES ('old', now()::TIMESTAMP, 'crm-api', 'loaded by an earlier version')`);
    await connection.run(`CREATE TABLE "${index('mes-api')}" (${tableColumnsSql(false)})`);
    await connection.run(`INSERT INTO "${index('mes-api')}" (id, ts, service, message, arrived_ms) VALUES ('ahead', now()::TIMESTAMP, 'mes-api', 'loaded before the clock was set back', ${Date.now() + 86_400_000})`);
    connection.closeSync();
    instance.closeSync();

    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    const follow = { query: parseKql('*'), since: Date.now() - 86_400_000, limit: 100 };
    const { cursor } = await store.arrivals(follow);
    assert.ok(cursor.arrived > Date.now(), 'the cursor starts after the newest stamp stored');
    await store.append([event('new', new Date().toISOString(), 'crm-api')]);
    const page = await store.arrivals({ ...follow, after: cursor });
    assert.deepEqual(page.events.map((e) => e._id), ['new'], 'the new load comes after the cursor; the unstamped row never does');
    assert.equal(page.more, false);
    assert.deepEqual((await store.arrivals({ ...follow, after: page.cursor })).events, [], 'nothing twice');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
