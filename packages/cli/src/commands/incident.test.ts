import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, loupe } from './cli.fixture.js';
import { runWorkshop } from '../run-workshop.js';


/** The workshop's settings for a test: embedded engines, any free ports, a data directory of its own. */
function workshopEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    LOUPE_DATA_DIR: dataDir, LOUPE_SHOP_PORT: '0', LOUPE_CRM_PORT: '0', LOUPE_MES_PORT: '0', LOUPE_FILES_PORT: '0',
    LOUPE_STAFF_PASSWORD: 'staff-password-for-tests', ...extra,
  };
}

test('loupe incident lists the running workshop\'s incidents and switches one, LOUPE_SIMULATOR_INCIDENTS on from the start', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-incident-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const running = await runWorkshop(workshopEnv(dir, { LOUPE_SIMULATOR_PORT: String(port), LOUPE_SIMULATOR_INCIDENTS: 'orders-stuck' }));
  t.after(() => running.stop());
  assert.match(running.describe, new RegExp(`simulator on, incidents at http://127\\.0\\.0\\.1:${port}/simulator \\(\`loupe incident\`\\), on: orders-stuck;`));
  const state = async () => (await fetch(`http://127.0.0.1:${port}/simulator`)).json() as Promise<{ active: string[] }>;

  const listed = await loupe(['incident'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^ {2}on {3}orders-stuck +staff stop handling/m);
  assert.match(listed.stdout, /^ {2}off {2}request-flood +50 clients/m);
  assert.match(listed.stdout, /^ {3}- {3}broker-outage +unavailable: broker-outage needs a broker connection to cut: the embedded queue runs on PGlite/m);

  const off = await loupe(['incident', 'orders-stuck', 'off'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.stdout, 'orders-stuck is off\n');
  assert.deepEqual((await state()).active, []);

  const on = await loupe(['incident', 'orders-stuck', 'on'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, /^orders-stuck is on: staff stop handling accepted, in-production and printed orders/);
  assert.deepEqual((await state()).active, ['orders-stuck']);

  const unknown = await loupe(['incident', 'meteor-strike', 'on'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^loupe incident: SIMULATOR_UNKNOWN_INCIDENT: There is no incident "meteor-strike": use one of login-brute-force/);
  const refused = await loupe(['incident', 'slow-database', 'on'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^loupe incident: SIMULATOR_INCIDENT_UNAVAILABLE: slow-database needs PostgreSQL: .*Set DATABASE_URL/);
  const usage = await loupe(['incident', 'orders-stuck', 'maybe'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^Usage: loupe incident \[NAME on\|off\]/);
});

test('loupe incident says how to start the workshop when nothing answers', async () => {
  const port = await freePort();
  const answer = await loupe(['incident'], { LOUPE_SIMULATOR_PORT: String(port) });
  assert.equal(answer.code, 1);
  assert.equal(answer.stdout, '');
  assert.match(answer.stderr, new RegExp(`^loupe: the workshop's simulator does not answer at http://127\\.0\\.0\\.1:${port}/simulator \\(ECONNREFUSED\\): start the workshop with \`npm start\``));
});

test('an unknown incident in LOUPE_SIMULATOR_INCIDENTS, or one its servers cannot have, stops the workshop\'s start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-incident-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(runWorkshop(workshopEnv(dir, { LOUPE_SIMULATOR_INCIDENTS: 'orders-stuck,broker-down' })), {
    code: 'CONFIG_INVALID',
    message: /^Simulator configuration: LOUPE_SIMULATOR_INCIDENTS names "broker-down", not an incident: use login-brute-force, /,
  });
  // Refused before anything starts: these servers (PGlite, the embedded queue) have no broker to cut.
  await assert.rejects(runWorkshop(workshopEnv(dir, { LOUPE_SIMULATOR_INCIDENTS: 'broker-outage' })), {
    code: 'SIMULATOR_INCIDENT_UNAVAILABLE',
    message: /^broker-outage needs a broker connection to cut: the embedded queue runs on PGlite inside this process. Set AMQP_URL/,
  });
});
