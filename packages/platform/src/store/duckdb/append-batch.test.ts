import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKql } from '../../kql/index.js';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore } from './duckdb-store.js';
import { deadLetter, event, withStore } from './duckdb-store.fixture.js';
import { stageBatch } from './stage-batch.js';

test('R23 R24 a malformed line re-sent on a later day is dead-lettered once', async () => {
  await withStore(async (store) => {
    assert.deepEqual((await store.append([deadLetter('dl-file:42', '2026-11-20')])).duplicate, [false]);
    const again = await store.append([deadLetter('dl-file:42', '2026-11-21'), deadLetter('dl-file:43', '2026-11-21')]);
    assert.deepEqual(again.duplicate, [true, false]);
    const page = await store.search({ query: parseKql('*'), indices: 'dead-letter-*', from: Date.parse('2026-11-19'), to: Date.parse('2026-11-22') });
    assert.deepEqual(page.events.map((event) => [event._id, event._index]).sort(), [
      ['dl-file:42', 'dead-letter-2026.11.20'],
      ['dl-file:43', 'dead-letter-2026.11.21'],
    ]);
  });
});

test('R23 R26 batches committed together: disjoint ones go in whole, a repeated id is kept once and reported to the later batch', async () => {
  await withStore(async (store) => {
    const stage = (events: StoredEvent[]) => stageBatch(events, store.stagingDir).staged;
    // Sent together, so they share one transaction: two disjoint batches of one index, then a re-send overlapping the first.
    const first = [event('a', '2026-11-21T10:00:00Z'), event('b', '2026-11-21T10:00:01Z', 'shop-api')];
    const results = await Promise.all([
      store.appendStaged(stage(first)),
      store.appendStaged(stage([event('c', '2026-11-21T11:00:00Z'), event('d', '2026-11-21T11:00:01Z', 'shop-api')])),
      store.appendStaged(stage([event('a', '2026-11-21T10:00:00Z'), event('e', '2026-11-21T12:00:00Z')])),
    ]);
    assert.deepEqual(results.map((existing) => [...existing]), [[], [], ['a']]);
    const page = await store.search({ query: parseKql('*'), from: Date.parse('2026-11-20'), to: Date.parse('2026-11-22'), order: 'asc' });
    assert.deepEqual(page.events.map((e) => [e._id, e._index]), [
      ['a', 'logs-mes-api-2026.11.21'], ['b', 'logs-shop-api-2026.11.21'], ['c', 'logs-mes-api-2026.11.21'],
      ['d', 'logs-shop-api-2026.11.21'], ['e', 'logs-mes-api-2026.11.21'],
    ]);
    assert.deepEqual(readdirSync(store.stagingDir), [], 'staging files are removed once written');
    assert.deepEqual(await store.orderScopes('ORD-1'), ['logs-*-2026.11.21']);
  });
});

test('R23 an event stamped on arrival and re-sent on a later day is stored once', async () => {
  await withStore(async (store) => {
    const stamped = (at: string) => ({ ...event('no-time:1', at), arrival: true });
    assert.deepEqual((await store.append([stamped('2026-11-20T23:59:59Z'), event('timed:1', '2026-11-20T23:59:58Z')])).duplicate, [false, false]);
    // Re-sent after midnight: stamped again, newer than everything stored, in the next day's index.
    assert.deepEqual((await store.append([stamped('2026-11-21T00:00:05Z'), event('timed:2', '2026-11-21T00:00:04Z')])).duplicate, [true, false]);
    const page = await store.search({ query: parseKql('*'), from: Date.parse('2026-11-20'), to: Date.parse('2026-11-22'), order: 'asc' });
    assert.deepEqual(page.events.map((e) => [e._id, e._index]), [
      ['timed:1', 'logs-mes-api-2026.11.20'], ['no-time:1', 'logs-mes-api-2026.11.20'], ['timed:2', 'logs-mes-api-2026.11.21'],
    ]);
  });
});

test('R24 a batch DuckDB cannot load fails alone: the batches that shared its commit are stored', async () => {
  // Every batch loaded before it is acknowledged, so the broken one is refused.
  await withStore(async (store) => {
    const stage = (events: StoredEvent[]) => stageBatch(events, store.stagingDir).staged;
    const broken = stage([event('p', '2026-11-21T10:00:01Z')]);
    writeFileSync(broken.slices[0]!.file, '{"id":"p","ts":');
    // The first goes alone; the broken one and the last then share a transaction.
    const results = await Promise.allSettled([
      store.appendStaged(stage([event('q', '2026-11-21T10:00:00Z')])),
      store.appendStaged(broken),
      store.appendStaged(stage([event('r', '2026-11-21T10:00:02Z', 'shop-api')])),
    ]);
    assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled']);
    const page = await store.search({ query: parseKql('*'), from: Date.parse('2026-11-20'), to: Date.parse('2026-11-22'), order: 'asc' });
    assert.deepEqual(page.events.map((e) => e._id), ['q', 'r']);
    assert.deepEqual(readdirSync(store.stagingDir), [], 'staging files are removed, the broken one too');
  }, { loadIntervalMs: 0 });
});

test('R24 staging files a stopped process left behind are removed when the store opens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-append-'));
  try {
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'tmp', 'staging-123-1-7.ndjson'), '{"id":"x"}');
    writeFileSync(join(dir, 'tmp', 'other.txt'), 'kept');
    const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });
    assert.equal(existsSync(join(dir, 'tmp', 'staging-123-1-7.ndjson')), false);
    assert.equal(existsSync(join(dir, 'tmp', 'other.txt')), true);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
