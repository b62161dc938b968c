import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSimulatorConfig } from './simulator-config.js';

test('without settings the simulator runs with no incident, its control endpoint on port 9290', () => {
  assert.deepEqual(readSimulatorConfig({}), { enabled: true, port: 9290, incidents: [], slowDatabaseDelayMs: 200 });
});

test('LOUPE_SIMULATOR_INCIDENTS turns incidents on at start, each once, spaces allowed', () => {
  const config = readSimulatorConfig({ LOUPE_SIMULATOR_INCIDENTS: 'login-brute-force, orders-stuck,,login-brute-force', LOUPE_SIMULATOR_PORT: '9300', LOUPE_SIMULATOR_DB_DELAY_MS: '50' });
  assert.deepEqual(config, { enabled: true, port: 9300, incidents: ['login-brute-force', 'orders-stuck'], slowDatabaseDelayMs: 50 });
});

test('an unknown incident, a bad port and incidents without the simulator stop the start with every problem named', () => {
  assert.throws(() => readSimulatorConfig({ LOUPE_SIMULATOR_INCIDENTS: 'orders-stuck,broker-down', LOUPE_SIMULATOR_PORT: 'http' }), {
    code: 'CONFIG_INVALID',
    message: 'Simulator configuration: LOUPE_SIMULATOR_INCIDENTS names "broker-down", not an incident: use login-brute-force, request-flood, broker-outage, slow-database, database-outage, orders-stuck; '
      + 'LOUPE_SIMULATOR_PORT="http" must be a whole number from 0 to 65535',
  });
  assert.throws(() => readSimulatorConfig({ LOUPE_SIMULATOR: 'off', LOUPE_SIMULATOR_INCIDENTS: 'orders-stuck' }), {
    code: 'CONFIG_INVALID',
    message: 'Simulator configuration: LOUPE_SIMULATOR_INCIDENTS needs the simulator: remove LOUPE_SIMULATOR=off or the incidents',
  });
  assert.throws(() => readSimulatorConfig({ LOUPE_SIMULATOR: 'no' }), { message: 'Simulator configuration: LOUPE_SIMULATOR="no" must be on or off' });
});
