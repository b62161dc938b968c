import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takenPort } from '@loupe/schema';
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

test('R16 a staff account signs in with the password it was last started with: a restart on the same data with another one changes it, and says so', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-workshop-staff-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const manager = (password: string) => ({ login: 'manager@workshop', password, name: 'Workshop manager', role: 'manager' as const });
  const first = await startWorkshop({ dataDir, passwordHashing: { cost: 1024 }, staff: [manager('made-for-run-one')] });
  await first.stop();
  const second = await startWorkshop({ dataDir, passwordHashing: { cost: 1024 }, staff: [manager('made-for-run-two')] });
  try {
    const crm = new ApiClient(second.urls.crm);
    assert.equal((await crm.call('POST', '/auth/login', { json: { login: 'manager@workshop', password: 'made-for-run-two' } })).status, 200);
    assert.equal((await crm.call('POST', '/auth/login', { json: { login: 'manager@workshop', password: 'made-for-run-one' } })).status, 401);
  } finally {
    await second.stop();
  }
  const crmLines = (await readFile(join(dataDir, 'logs', 'crm-api', 'crm-api.log'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const accountLines = crmLines.filter((line) => line['event.action'] === 'user-created' || line['event.action'] === 'user-updated');
  assert.deepEqual(accountLines.map((line) => [line['event.action'], line['user.name']]), [['user-created', 'manager@workshop'], ['user-updated', 'manager@workshop']]);
});

test('a workshop port already taken stops the start naming the service, the address and the setting to change', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-workshop-port-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const port = await takenPort(t);
  await assert.rejects(startWorkshop({ dataDir, passwordHashing: { cost: 1024 }, ports: { files: port } }), {
    message: `The file-storage port 127.0.0.1:${port} is in use (another workshop, or another program): stop it, or set LOUPE_FILES_PORT to another port (0 picks a free one)`,
  });
});
