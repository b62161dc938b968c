import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadShipperConfig } from './config.js';
import { Registry } from './registry.js';

test('the shipper reads the workshop\'s log folder under LOUPE_DATA_DIR by default, from the beginning, into the local platform', () => {
  const config = loadShipperConfig({ LOUPE_DATA_DIR: '/srv/loupe' });
  assert.deepEqual(config.inputs, [{ glob: '/srv/loupe/logs/**/*.log' }]);
  assert.equal(config.stateDir, '/srv/loupe/shipper');
  assert.equal(config.platformUrl, 'http://127.0.0.1:9280');
  assert.equal(config.startAt, 'beginning');
  assert.equal(config.port, 9281);
  assert.equal(config.batchMaxBytes, 2 * 1024 * 1024);
  assert.equal(config.batchWaitMs, 1000);
  assert.equal(config.compression, 'none', 'no gzip to a platform on this machine');
  assert.equal(loadShipperConfig({ LOUPE_URL: 'https://logs.workshop.example:9280' }).compression, 'gzip');
  assert.equal(loadShipperConfig({ LOUPE_SHIPPER_COMPRESSION: 'gzip' }).compression, 'gzip');
});

test('LOUPE_SHIPPER_PATHS takes comma-separated globs, each optionally "parser:glob"', () => {
  const config = loadShipperConfig({ LOUPE_SHIPPER_PATHS: 'postgresql:/var/log/postgresql/*.log, /var/log/rabbitmq/*.log,plain:logs/*.txt', LOUPE_URL: 'http://logs.internal:9280/' });
  assert.deepEqual(config.inputs, [
    { glob: '/var/log/postgresql/*.log', parser: 'postgresql' },
    { glob: '/var/log/rabbitmq/*.log' },
    { glob: resolve('logs/*.txt'), parser: 'plain' },
  ]);
  assert.equal(config.platformUrl, 'http://logs.internal:9280');
});

test('a bad setting stops the start with CONFIG_INVALID and says what is expected', () => {
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_START_AT: 'middle' }), { code: 'CONFIG_INVALID', message: /beginning, end/ });
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_PORT: '-1' }), { code: 'CONFIG_INVALID' });
  assert.throws(() => loadShipperConfig({ LOUPE_URL: 'ftp://x' }), { code: 'CONFIG_INVALID', message: /http/ });
});

test('an unreadable registry stops the start with SHIPPER_REGISTRY_CORRUPT instead of reading every file again silently', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-registry-'));
  try {
    mkdirSync(join(dir, 'shipper'));
    writeFileSync(join(dir, 'shipper', 'registry.json'), '{"files": [');
    assert.throws(() => Registry.open(join(dir, 'shipper')), { code: 'SHIPPER_REGISTRY_CORRUPT', message: /move it away/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
