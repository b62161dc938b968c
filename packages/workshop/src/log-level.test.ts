import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from './simulator/api-client.js';
import { startTestWorkshop } from './workshop-test-setup.js';

test('each service\'s level is switched at run time through PUT /admin/log-level, and the switch is logged (R18)', async (t) => {
  const w = await startTestWorkshop(t, 'embedded', { adminToken: 'workshop-admin-token', logLevel: 'info' });
  assert.ok(w);
  for (const [key, url] of Object.entries(w.urls) as [keyof typeof w.urls, string][]) {
    const client = new ApiClient(url);
    await client.call('GET', '/health');
    assert.equal(w.lines[key].events('http-request').length, 0, `${key}: /health is a debug line, off at info`);
    const refused = await client.call('PUT', '/admin/log-level', { json: { level: 'debug' } });
    assert.equal(refused.status, 401, `${key}: only with the admin token`);
    const switched = await client.call('PUT', '/admin/log-level', { json: { level: 'debug' }, headers: { authorization: 'Bearer workshop-admin-token' } });
    assert.equal(switched.status, 200, key);
    const [changed] = w.lines[key].events('log-level-changed');
    assert.deepEqual([changed?.['log.level'], changed?.['message']], ['info', 'Log level changed from info to debug'], key);
    await client.call('GET', '/health');
    assert.equal(w.lines[key].events('http-request').filter((l) => l['url.path'] === '/health' && l['log.level'] === 'debug').length, 1, `${key}: debug lines now written`);
  }
  assert.equal(w.logs.infrastructure.level, 'info', 'the other loggers keep their level');
});
