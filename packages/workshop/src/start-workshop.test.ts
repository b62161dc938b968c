import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from './simulator/api-client.js';
import { startWorkshop, workshopServices } from './start-workshop.js';

test('the workshop writes each service\'s lines to its own file under <dataDir>/logs/<service>/', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-workshop-files-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const workshop = await startWorkshop({ dataDir, passwordHashing: { cost: 1024 } });
  try {
    for (const url of Object.values(workshop.urls)) assert.equal((await new ApiClient(url).call('GET', '/openapi.json')).status, 200);
    assert.equal((await new ApiClient(workshop.urls.shop).call('POST', '/auth/login', { json: { login: 'nobody@example.com', password: 'x' } })).status, 401);
  } finally {
    await workshop.stop();
  }
  for (const service of Object.values(workshopServices)) {
    const lines = (await readFile(join(dataDir, 'logs', service, `${service}.log`), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const served = lines.filter((line) => line['event.action'] === 'http-request');
    assert.deepEqual(served.map((line) => [line['service.name'], line['url.path']]).slice(0, 1), [[service, '/openapi.json']]);
  }
  const shop = await readFile(join(dataDir, 'logs', 'shop-api', 'shop-api.log'), 'utf8');
  assert.match(shop, /"event.action":"user-login-failed"/);
  const infrastructure = await readFile(join(dataDir, 'logs', 'workshop', 'workshop.log'), 'utf8');
  assert.match(infrastructure, /Applied database migration 103 manufacturing/);
});
