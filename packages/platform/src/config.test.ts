import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPlatformConfig } from './config.js';

test('R24 the store\'s load settings have defaults, and a bad one stops the start with CONFIG_INVALID', () => {
  const defaults = loadPlatformConfig({});
  assert.equal(defaults.loadIntervalMs, 1000);
  assert.equal(defaults.loadWhenIdle, true);
  const set = loadPlatformConfig({ LOUPE_LOAD_INTERVAL_MS: '0', LOUPE_LOAD_WHEN_IDLE: 'false' });
  assert.equal(set.loadIntervalMs, 0);
  assert.equal(set.loadWhenIdle, false);
  assert.throws(() => loadPlatformConfig({ LOUPE_LOAD_WHEN_IDLE: 'yes' }), { code: 'CONFIG_INVALID', message: /LOUPE_LOAD_WHEN_IDLE="yes" must be true or false/ });
  assert.throws(() => loadPlatformConfig({ LOUPE_LOAD_INTERVAL_MS: '-5' }), { code: 'CONFIG_INVALID', message: /LOUPE_LOAD_INTERVAL_MS/ });
});
