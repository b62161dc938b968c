import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentProcess, freePort, storedCount } from './shipper.fixture.js';

interface BulkAnswer {
  errors: boolean;
  items: Array<{ create: { status: number } }>;
}

test('R24 events the platform acknowledged before loading them survive its SIGKILL, and a re-send is refused as duplicates', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-platform-crash-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Acknowledged batches wait ten minutes to be loaded, as when the writer is busy: the kill comes long before.
  const env = { LOUPE_DATA_DIR: dir, LOUPE_PLATFORM_PORT: String(port), LOUPE_LOAD_INTERVAL_MS: '600000', LOUPE_LOAD_WHEN_IDLE: 'false' };
  let platform = await ComponentProcess.start('platform', env);
  t.after(async () => {
    await platform.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const start = Date.parse('2026-11-21T08:00:00Z');
  const body = Array.from({ length: 2_000 }, (_, i) => [
    JSON.stringify({ create: { _id: `crash:${i}` } }),
    JSON.stringify({ '@timestamp': new Date(start + i).toISOString(), 'service.name': i % 2 ? 'mes-api' : 'shop-api', 'log.level': 'info', message: `event ${i}` }),
  ].join('\n')).join('\n') + '\n';
  const post = async () => {
    const response = await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    assert.equal(response.status, 200);
    return (await response.json()) as BulkAnswer;
  };

  const first = await post();
  assert.equal(first.errors, false);
  assert.ok(first.items.every((item) => item.create.status === 201));
  await platform.kill('SIGKILL');

  platform = await ComponentProcess.start('platform', env);
  assert.equal(await storedCount(url, 'logs-'), 2_000);
  const again = await post();
  assert.ok(again.items.every((item) => item.create.status === 409), 'each event is already stored');
  assert.equal(await storedCount(url, 'logs-'), 2_000);
});
