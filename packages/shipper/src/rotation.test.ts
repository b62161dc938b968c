import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFile } from '@loupe/log';
import type { RunningShipper } from './shipper.js';
import { PlatformInProcess, searchAll, shipperIdle, startTestShipper, storedCount, waitFor } from './shipper.fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lines(service: string, from: number, count: number): string {
  let text = '';
  for (let sequence = from; sequence < from + count; sequence++) {
    text += `${JSON.stringify({ '@timestamp': new Date().toISOString(), 'log.level': 'info', 'service.name': service, message: `${service} line ${sequence}`, 'event.sequence': sequence })}\n`;
  }
  return text;
}

/** Asserts the store holds sequences 0 … total-1 of a service, each once. */
async function assertEachOnce(platformUrl: string, service: string, total: number): Promise<void> {
  await waitFor(`${total} ${service} lines in the store`, async () => ((await storedCount(platformUrl, `logs-${service}-`)) >= total ? true : undefined));
  const events = await searchAll(platformUrl, `service.name:${service}`);
  const counts = new Map<number, number>();
  for (const event of events) counts.set(event['event.sequence'] as number, (counts.get(event['event.sequence'] as number) ?? 0) + 1);
  const missing = Array.from({ length: total }, (_, i) => i).filter((sequence) => !counts.has(sequence));
  const doubled = [...counts].filter(([, count]) => count > 1).map(([sequence]) => sequence);
  assert.deepEqual({ missing: missing.slice(0, 20), doubled: doubled.slice(0, 20), stored: events.length }, { missing: [], doubled: [], stored: total });
}

test('R23 files rotated by rename under load (the logger\'s 64 KiB rotation, 100 rotations) lose and double no line', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rotate-rename-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: platform.url, LOUPE_SHIPPER_BATCH_BYTES: '262144' });
  t.after(async () => {
    await shipper.stop();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = new RotatingFile({ path: join(dir, 'logs', 'renamed', 'renamed.log'), maxSizeBytes: 64 * 1024, maxFiles: 1000 });
  const total = 40_000;
  for (let sequence = 0; sequence < total; sequence += 500) {
    file.append(Buffer.from(lines('renamed', sequence, 500)));
    await sleep(5);
  }
  file.close();
  await assertEachOnce(platform.url, 'renamed', total);
  await shipperIdle(shipper);
  assert.equal(await storedCount(platform.url, 'logs-renamed-'), total);
});

test('R23 files rotated by copy-truncate under load lose and double no line', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rotate-copy-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  const logs = join(dir, 'logs');
  mkdirSync(join(logs, 'copied'), { recursive: true });
  const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: platform.url, LOUPE_SHIPPER_BATCH_BYTES: '262144' });
  t.after(async () => {
    await shipper.stop();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // logrotate's copytruncate: copy the live file to .1 (older copies move up), then truncate it in place.
  const path = join(logs, 'copied', 'copied.log');
  const fd = openSync(path, 'a');
  const total = 40_000;
  let copies = 0;
  for (let sequence = 0; sequence < total; sequence += 500) {
    writeSync(fd, lines('copied', sequence, 500));
    if ((sequence / 500) % 8 === 7) {
      copyFileSync(path, `${path}.${++copies}`);
      ftruncateSync(fd, 0);
    }
    await sleep(5);
  }
  closeSync(fd);
  await assertEachOnce(platform.url, 'copied', total);
  await shipperIdle(shipper);
  assert.equal(await storedCount(platform.url, 'logs-copied-'), total);
});

test('R23 a file copied and truncated while the shipper was stopped is read on from the copy, and the truncated file from its start', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rotate-offline-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  let running: RunningShipper | undefined;
  t.after(async () => {
    await running?.stop();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'logs', 'offline', 'offline.log');
  mkdirSync(join(dir, 'logs', 'offline'), { recursive: true });
  const fd = openSync(path, 'a');
  writeSync(fd, lines('offline', 0, 1000));
  const env = { LOUPE_DATA_DIR: dir, LOUPE_URL: platform.url };
  const first = await startTestShipper(env);
  running = first.shipper;
  await waitFor('the first 1,000 lines', async () => ((await storedCount(platform.url, 'logs-offline-')) >= 1000 ? true : undefined));
  await shipperIdle(first.shipper);
  await first.shipper.stop();
  running = undefined;
  // While it is stopped: more lines, then copytruncate, then lines in the truncated file.
  writeSync(fd, lines('offline', 1000, 1000));
  copyFileSync(path, `${path}-20261121`);
  ftruncateSync(fd, 0);
  writeSync(fd, lines('offline', 2000, 1000));
  closeSync(fd);
  const second = await startTestShipper(env);
  running = second.shipper;
  await assertEachOnce(platform.url, 'offline', 3000);
  assert.ok(second.lines.records().some((line) => String(line.message).includes('reading on from the copy')), 'the shipper says it reads on from the copy');
  // Once the copy is read to its end and closed as inactive, later scans must know it for the file they read, not a new one.
  await shipperIdle(second.shipper);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await shipperIdle(second.shipper);
  assert.equal(await storedCount(platform.url, 'logs-offline-'), 3000);
});

test('R23 a file truncated and written past the read offset between two polls, starting as it did, is read again from its start', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-rewrite-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: platform.url });
  t.after(async () => {
    await shipper.stop();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'logs', 'rewritten', 'rewritten.log');
  mkdirSync(join(dir, 'logs', 'rewritten'), { recursive: true });
  // The same 2 KiB banner starts the file both times, so its first bytes (the fingerprint) do not change.
  const banner = Array.from({ length: 20 }, (_, i) => JSON.stringify({ '@timestamp': '2026-12-07T10:00:00.000Z', 'service.name': 'rewritten', message: `banner ${i} ${'='.repeat(60)}` })).join('\n') + '\n';
  const fd = openSync(path, 'w');
  writeSync(fd, banner + lines('rewritten', 0, 100));
  await waitFor('the first 100 lines', async () => ((await storedCount(platform.url, 'logs-rewritten-')) >= 120 ? true : undefined));
  await shipperIdle(shipper);
  // In one go, so no poll falls in between: emptied, and written again further than before.
  ftruncateSync(fd, 0);
  writeSync(fd, banner + lines('rewritten', 100, 300), 0);
  closeSync(fd);
  await waitFor('every line', async () => ((await storedCount(platform.url, 'logs-rewritten-')) >= 440 ? true : undefined));
  await shipperIdle(shipper);
  const events = await searchAll(platform.url, 'service.name:rewritten');
  const sequences = events.flatMap((event) => (typeof event['event.sequence'] === 'number' ? [event['event.sequence']] : []));
  assert.deepEqual([...sequences].sort((a, b) => a - b), Array.from({ length: 400 }, (_, i) => i), 'each line once, none lost');
  assert.equal(events.length, 440, 'the banner twice (it was written twice), and no fragment of a line');
});
