import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKql } from '../../kql/index.js';
import type { StoredEvent } from '../stored-event.js';
import { DuckDbStore } from './duckdb-store.js';
import { event, withStore } from './duckdb-store.fixture.js';
import { makeReady } from './ready-files.js';
import { stageBatch } from './stage-batch.js';
import { WriteQueue } from './write-queue.js';

const ids = async (store: DuckDbStore) =>
  (await store.search({ query: parseKql('*'), from: Date.parse('2026-11-20'), to: Date.parse('2026-11-22'), order: 'asc' })).events.map((e) => e._id);
const readyFiles = (store: DuckDbStore) => readdirSync(store.stagingDir).filter((name) => name.startsWith('ready-'));
/** Loaded long after they are acknowledged, unless a reader comes first, as when the writer is busy. */
const slowLoads = { loadIntervalMs: 600_000, loadWhenIdle: false };

test('R24 a batch newer than its index is acknowledged once on disk, and every read finds it', async () => {
  await withStore(async (store) => {
    assert.deepEqual((await store.append([event('a', '2026-11-21T10:00:00Z'), event('b', '2026-11-21T10:00:01Z', 'shop-api')])).duplicate, [false, false]);
    assert.equal(readyFiles(store).length, 2, 'each index staged as a ready file, not yet loaded');
    assert.deepEqual(await ids(store), ['a', 'b']);
    assert.deepEqual(readyFiles(store), [], 'loaded by the read, then removed');
    assert.deepEqual(await store.orderScopes('ORD-1'), ['logs-*-2026.11.21']);
  }, slowLoads);
});

test('R23 R24 a batch re-sent while the first is still waiting to load is reported duplicate and stored once', async () => {
  await withStore(async (store) => {
    const batch = [event('a', '2026-11-21T10:00:00Z'), event('b', '2026-11-21T10:00:01Z')];
    const [first, again] = await Promise.all([store.append(batch), store.append(batch)]);
    assert.deepEqual(first.duplicate, [false, false]);
    assert.deepEqual(again.duplicate, [true, true]);
    assert.deepEqual((await store.append(batch)).duplicate, [true, true]);
    assert.deepEqual(await ids(store), ['a', 'b']);
  }, slowLoads);
});

test('R24 batches of one stream that arrive out of order both wait, apart in time', async () => {
  await withStore(async (store) => {
    await store.append([event('c', '2026-11-21T10:00:10Z'), event('d', '2026-11-21T10:00:11Z')]);
    await store.append([event('a', '2026-11-21T10:00:00Z'), event('b', '2026-11-21T10:00:01Z')]);
    assert.equal(readyFiles(store).length, 2, 'neither loaded before it was acknowledged');
    assert.deepEqual(await ids(store), ['a', 'b', 'c', 'd']);
  }, slowLoads);
});

test('R24 an idle writer loads an acknowledged batch at once, so a search has nothing to load', async () => {
  await withStore(async (store) => {
    await store.append([event('a', '2026-11-21T10:00:00Z')]);
    for (let i = 0; i < 100 && readyFiles(store).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(readyFiles(store), [], 'loaded without a reader asking, long before the interval');
    assert.deepEqual(await ids(store), ['a']);
  }, { loadIntervalMs: 600_000 });
});

test('R24 acknowledged batches load by themselves within the interval', async () => {
  await withStore(async (store) => {
    await store.append([event('a', '2026-11-21T10:00:00Z')]);
    await store.append([event('b', '2026-11-21T10:00:01Z')]);
    for (let i = 0; i < 100 && readyFiles(store).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(readyFiles(store), [], 'loaded without a reader asking');
    assert.deepEqual(await ids(store), ['a', 'b']);
  }, { loadIntervalMs: 50, loadWhenIdle: false });
});

test('R24 an acknowledged batch DuckDB cannot load is kept on disk, reported and tried again; the others are stored', async () => {
  const errors: string[] = [];
  await withStore(async (store) => {
    const stage = (events: StoredEvent[]) => stageBatch(events, store.stagingDir).staged;
    const broken = stage([event('p', '2026-11-21T10:00:01Z')]);
    writeFileSync(broken.slices[0]!.file, '{"id":"p","ts":');
    const results = await Promise.all([
      store.appendStaged(stage([event('q', '2026-11-21T10:00:00Z', 'shop-api')])),
      store.appendStaged(broken),
      store.appendStaged(stage([event('r', '2026-11-21T10:00:02Z', 'crm-api')])),
    ]);
    assert.deepEqual(results.map((existing) => existing.size), [0, 0, 0], 'all three acknowledged');
    assert.deepEqual(await ids(store), ['q', 'r']);
    assert.ok(errors.length > 0, 'the failure is reported');
    const [kept] = readyFiles(store);
    assert.ok(kept, 'the broken batch stays on disk');
    // While it fails, a new batch is loaded before it is acknowledged, so a failing store stops acknowledging.
    assert.equal((await store.append([event('s', '2026-11-21T10:00:03Z', 'crm-api')])).stored, 1);
    assert.deepEqual(readyFiles(store), [kept]);
    writeFileSync(join(store.stagingDir, kept), `{"id":"p","ts":${Date.parse('2026-11-21T10:00:01Z')},"service":"mes-api","attrs":{}}\n`);
    assert.deepEqual(await ids(store), ['q', 'p', 'r', 's'], 'tried again at the next read');
    await store.append([event('t', '2026-11-21T10:00:04Z', 'crm-api')]);
    assert.equal(readyFiles(store).length, 1, 'once it loads, batches wait again');
  }, { ...slowLoads, onLoadError: (error) => errors.push(String(error)) });
});

test('R24 ready files a stopped process left are loaded when the store opens, those already loaded once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ready-'));
  const open = () => DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1, ...slowLoads });
  try {
    let store = await open();
    await store.append([event('a', '2026-11-21T10:00:00Z')]);
    await store.close();
    // A crash after the batches were acknowledged: one already loaded but its file not yet removed, one not loaded.
    await makeReady(stageBatch([event('a', '2026-11-21T10:00:00Z')], join(dir, 'tmp')).staged, join(dir, 'tmp'));
    await makeReady(stageBatch([event('b', '2026-11-21T10:00:01Z'), event('c', '2026-11-21T10:00:02Z', 'shop-api')], join(dir, 'tmp')).staged, join(dir, 'tmp'));
    store = await open();
    try {
      assert.deepEqual(readyFiles(store), []);
      assert.deepEqual(await ids(store), ['a', 'b', 'c']);
      assert.deepEqual(await store.orderScopes('ORD-1'), ['logs-*-2026.11.21']);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R24 while loading lags behind, a batch is acknowledged only once it is loaded (back-pressure)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-backlog-'));
  try {
    // DuckDB cannot be made slow on purpose: this writer loads when the test lets it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const loaded: number[] = [];
    const queue = new WriteQueue(async (batches) => {
      await gate;
      loaded.push(batches.length);
      return batches.map(() => new Set<string>());
    }, { dir, loadIntervalMs: 600_000, loadWhenIdle: true, maxWaitingRows: 1, newestStored: () => -Infinity, onLoadError: (error) => assert.fail(String(error)) });
    const stage = (second: number) => stageBatch([event(`e${second}`, `2026-11-21T10:00:${String(second).padStart(2, '0')}Z`)], dir).staged;
    // Four loads of one row each may wait: the writer holds the first, the rest queue behind it.
    for (let second = 0; second < 4; second++) await queue.append(stage(second));
    let fifth = false;
    const pending = queue.append(stage(4)).then(() => { fifth = true; });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fifth, false, 'the fifth waits for its load');
    release();
    await pending;
    await queue.close();
    assert.equal(loaded.reduce((sum, n) => sum + n, 0), 5);
    assert.deepEqual(readdirSync(dir), [], 'every file loaded and removed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R24 batches that gathered while the writer was busy keep gathering once it is idle, to load together', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-gather-'));
  try {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const loads: number[] = [];
    const queue = new WriteQueue(async (batches) => {
      await gate;
      loads.push(batches.length);
      return batches.map(() => new Set<string>());
    }, { dir, loadIntervalMs: 600_000, loadWhenIdle: true, maxWaitingRows: 10, newestStored: () => -Infinity, onLoadError: (error) => assert.fail(String(error)) });
    const stage = (second: number) => stageBatch([event(`e${second}`, `2026-11-21T10:00:${String(second).padStart(2, '0')}Z`)], dir).staged;
    await queue.append(stage(0));
    // The writer is busy with the first: these two wait.
    await queue.append(stage(1));
    await queue.append(stage(2));
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(loads, [1], 'the idle writer does not load the two that gathered');
    await queue.append(stage(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(loads, [1], 'nor the next one, which joins them');
    await queue.loaded();
    assert.deepEqual(loads, [1, 3], 'a reader loads the three together');
    await queue.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
