import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../testing/index.js';
import { startTestWorkshop, testStaff } from '../workshop-test-setup.js';
import { buildSimulatorControlApp, putServersBehindProxies, startSimulator, type IncidentState } from './index.js';

test('the control endpoint switches incidents on and off, and answers 404, 400 and 409 as every workshop API does', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  assert.ok(w);
  // PGlite and the embedded queue: no server to cut off or slow down.
  const servers = await putServersBehindProxies({});
  const simulator = startSimulator({ urls: w.urls, staff: testStaff, switches: servers.switches, peakVisitsPerHour: 1, seed: 7, log: w.logs.infrastructure });
  const app = await buildSimulatorControlApp({ simulator, log: w.logs.infrastructure });
  const put = (name: string, payload: unknown) => app.inject({ method: 'PUT', url: `/simulator/incidents/${name}`, payload: payload as string });
  try {
    const before = await app.inject({ method: 'GET', url: '/simulator' });
    assert.equal(before.statusCode, 200);
    assert.deepEqual(before.json().active, []);
    const listed = before.json().incidents as IncidentState[];
    assert.deepEqual(listed.map((incident) => [incident.name, incident.on, incident.available]), [
      ['login-brute-force', false, true], ['request-flood', false, true], ['broker-outage', false, false], ['slow-database', false, false], ['database-outage', false, false], ['orders-stuck', false, true],
    ]);
    assert.match(listed[2]!.reason!, /embedded queue runs on PGlite .* Set AMQP_URL \(RabbitMQ\) or DATABASE_URL \(PostgreSQL\)/);

    const on = await put('login-brute-force', { on: true });
    assert.equal(on.statusCode, 200);
    assert.deepEqual({ name: on.json().name, on: on.json().on, available: on.json().available }, { name: 'login-brute-force', on: true, available: true });
    await waitFor(async () => {
      const state = (await app.inject({ method: 'GET', url: '/simulator' })).json();
      return (state.counts['brute-force-attempt'] ?? 0) >= 3 && state.active.includes('login-brute-force');
    }, { what: 'brute-force attempts counted by GET /simulator' });
    assert.ok(w.lines.shop.events('user-login-failed').some((line) => line['log.level'] === 'warn'), 'the Shop saw the brute force (R16 at WARN)');
    assert.ok(w.lines.infrastructure.events('simulator-incident-started').some((line) => line['labels.incident'] === 'login-brute-force'));

    const off = await put('login-brute-force', { on: false });
    assert.equal(off.statusCode, 200);
    assert.equal(off.json().on, false);
    assert.deepEqual(simulator.activeIncidents(), []);

    const unknown = await put('meteor-strike', { on: true });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'SIMULATOR_UNKNOWN_INCIDENT');
    assert.match(unknown.json().error.message, /^There is no incident "meteor-strike": use one of login-brute-force, .*orders-stuck$/);

    for (const bad of [{ on: 'yes' }, {}, { on: {} }, ['on']]) {
      const answer = await put('orders-stuck', bad);
      assert.equal(answer.statusCode, 400, JSON.stringify(bad));
      assert.equal(answer.json().error.code, 'VALIDATION');
    }
    const broken = await app.inject({ method: 'PUT', url: '/simulator/incidents/orders-stuck', headers: { 'content-type': 'application/json' }, payload: '{"on":' });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'INVALID_JSON');

    const refused = await put('slow-database', { on: true });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'SIMULATOR_INCIDENT_UNAVAILABLE');
    assert.match(refused.json().error.message, /^slow-database needs PostgreSQL: .*Set DATABASE_URL/);
    assert.deepEqual(simulator.activeIncidents(), [], 'a refused incident is not on');
  } finally {
    await app.close();
    await simulator.stop();
    await servers.close();
  }
});
