import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseKql } from '../../kql/index.js';
import { createPipeline } from '../../pipeline/pipeline.js';
import { workshopLine } from '../../platform.fixture.js';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore } from './duckdb-store.js';

const pipeline = createPipeline();
const dayOne = 'logs-mes-api-2026.11.20';
const dayTwo = 'logs-mes-api-2026.11.21';

function event(id: string, timestamp: string, orderId = 'ORD-1042'): StoredEvent {
  const result = pipeline({ document: workshopLine({ '@timestamp': timestamp, 'order.id': orderId, message: `Order ${orderId} step ${id}` }), id, receivedAt: Date.now() });
  assert.ok(result.ok);
  return result.event;
}

async function withStore(run: (store: DuckDbStore, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-cold-'));
  try {
    await run(await open(dir), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const open = (dir: string) => DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
const ids = async (store: DuckDbStore, kql = 'order.id:ORD-1042') =>
  (await store.search({ query: parseKql(kql), order: 'asc', limit: 100 })).events.map((e) => e._id);

test('R27 an index moved to the cold tier becomes one zstd Parquet file and is searched as before', async () => {
  await withStore(async (store, dir) => {
    await store.append([event('a', '2026-11-20T10:00:00Z'), event('b', '2026-11-20T11:00:00Z'), event('c', '2026-11-21T09:00:00Z')]);
    const moved = await store.moveToCold(dayOne);
    assert.equal(moved.events, 2);
    assert.ok(moved.bytes > 0);
    assert.ok(existsSync(join(dir, 'cold', `${dayOne}.parquet`)));
    assert.deepEqual(await ids(store), ['a', 'b', 'c']);
    assert.deepEqual((await store.listIndices()).map((i) => [i.name, i.tier, i.events]), [[dayOne, 'cold', 2], [dayTwo, 'hot', 1]]);
    assert.deepEqual(await store.orderScopes('ORD-1042'), ['logs-*-2026.11.20', 'logs-*-2026.11.21']);
    const histogram = await store.histogram({ query: parseKql('*'), intervalMs: 86_400_000 });
    assert.deepEqual(histogram.map((b) => b.count), [2, 1]);
    // R29: the journey reads the cold file and the hot table alike, with the trace's events that carry no order id.
    await store.append([{ ...event('request', '2026-11-21T09:00:01Z'), order_id: null }, { ...event('other', '2026-11-21T09:30:00Z', 'ORD-7'), trace_id: 'c3'.repeat(16) }]);
    const journey = await store.journeyEvents('logs-*', { orderId: 'ORD-1042', limit: 100, maxTraces: 10 });
    assert.deepEqual(journey.events.map((e) => e._id), ['a', 'b', 'c', 'request']);
    assert.deepEqual(journey.traceIds, ['4bf92f3577b34da6a3ce929d0e0e4736']);
    await assert.rejects(store.moveToCold(dayOne), /no hot data/);
    // R28: a field's presence is read from the cold file's attributes as from a table's.
    const dayOneRange = { from: Date.parse('2026-11-20T00:00:00Z'), to: Date.parse('2026-11-21T00:00:00Z') };
    assert.deepEqual(await store.absentFields({ fields: ['order.status', 'order.stauts', 'order.id'], ...dayOneRange }), [{ field: 'order.stauts', similar: ['order.status'] }]);
    await store.close();

    const reopened = await open(dir);
    assert.deepEqual(await ids(reopened), ['a', 'b', 'c']);
    await reopened.close();
  });
});

test('R23 R27 a late event for a cold day is stored beside the file, a re-sent one is still a duplicate, and a second move merges them', async () => {
  await withStore(async (store) => {
    await store.append([event('a', '2026-11-20T10:00:00Z')]);
    await store.moveToCold(dayOne);
    const late = await store.append([event('a', '2026-11-20T10:00:00Z'), event('late', '2026-11-20T23:59:00Z')]);
    assert.deepEqual(late.duplicate, [true, false]);
    assert.deepEqual(await ids(store), ['a', 'late']);
    assert.equal((await store.moveToCold(dayOne)).events, 2);
    assert.deepEqual(await ids(store), ['a', 'late']);
    await store.close();
  });
});

test('R27 a move cut short by a crash leaves every row in exactly one place', async () => {
  await withStore(async (store, dir) => {
    await store.append([event('a', '2026-11-20T10:00:00Z'), event('b', '2026-11-21T10:00:00Z')]);
    await store.moveToCold(dayOne);
    await store.close();
    const file = join(dir, 'cold', `${dayOne}.parquet`);
    // Crash after the table drop committed, before the rename: the move is finished on open.
    renameSync(file, `${file}.partial`);
    const instance = await DuckDBInstance.create(join(dir, 'loupe.duckdb'));
    const connection = await instance.connect();
    await connection.run(`INSERT INTO _cold_moves VALUES ('${dayOne}')`);
    connection.closeSync();
    instance.closeSync();
    // Crash before the drop: a partial file of a table that still exists is thrown away.
    writeFileSync(join(dir, 'cold', `${dayTwo}.parquet.partial`), 'half a file');

    const reopened = await open(dir);
    assert.ok(existsSync(file));
    assert.ok(!existsSync(join(dir, 'cold', `${dayTwo}.parquet.partial`)));
    assert.deepEqual(await ids(reopened), ['a', 'b']);
    assert.deepEqual((await reopened.listIndices()).map((i) => i.tier), ['cold', 'hot']);
    await reopened.close();
  });
});
