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

test('a setting past what the shipper can use stops the start with CONFIG_INVALID naming the range, not a Node error later', () => {
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_PORT: '99999' }), { code: 'CONFIG_INVALID', message: 'LOUPE_SHIPPER_PORT="99999" must be a whole number from 0 to 65535' });
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_BATCH_BYTES: '1e15' }), { code: 'CONFIG_INVALID', message: /^LOUPE_SHIPPER_BATCH_BYTES="1e15" must be a whole number from 1024 to \d+$/ });
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_MAX_LINE_BYTES: '99999999999' }), { code: 'CONFIG_INVALID', message: /^LOUPE_SHIPPER_MAX_LINE_BYTES=/ });
  // Node fires a timer longer than 2^31-1 ms at once: metrics every millisecond, retries without backoff.
  for (const name of ['LOUPE_SHIPPER_METRICS_MS', 'LOUPE_SHIPPER_RETRY_MAX_MS', 'LOUPE_SHIPPER_POLL_MS', 'LOUPE_SHIPPER_BATCH_WAIT_MS']) {
    assert.throws(() => loadShipperConfig({ [name]: '3000000000' }), { code: 'CONFIG_INVALID', message: new RegExp(`^${name}="3000000000" must be a whole number from \\d+ to 2147483647$`) });
  }
});

test('LOUPE_SHIPPER_PATHS with a mistyped parser name or a parser without a path stops the start instead of tailing nothing', () => {
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_PATHS: 'postgres:/var/log/postgresql/*.log' }), {
    code: 'CONFIG_INVALID', message: 'LOUPE_SHIPPER_PATHS names the parser "postgres" in "postgres:/var/log/postgresql/*.log": use one of json, postgresql, rabbitmq, plain, e.g. postgresql:/var/log/postgresql/*.log',
  });
  assert.throws(() => loadShipperConfig({ LOUPE_SHIPPER_PATHS: '/var/log/app.log, json:' }), { code: 'CONFIG_INVALID', message: /"json:" without a path after the parser/ });
});

test('a registry whose entries are not what the shipper wrote stops the start with SHIPPER_REGISTRY_CORRUPT naming the entry and field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-registry-'));
  try {
    mkdirSync(join(dir, 'shipper'));
    const write = (files: unknown[]) => writeFileSync(join(dir, 'shipper', 'registry.json'), JSON.stringify({ version: 1, files }));
    write([null]);
    assert.throws(() => Registry.open(join(dir, 'shipper')), { code: 'SHIPPER_REGISTRY_CORRUPT', message: /\(file 1: not an object\); move it away/ });
    write([{ fileId: 'x', path: '/var/log/a.log' }]);
    assert.throws(() => Registry.open(join(dir, 'shipper')), { code: 'SHIPPER_REGISTRY_CORRUPT', message: /\(file 1: "dev" is not text\)/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
