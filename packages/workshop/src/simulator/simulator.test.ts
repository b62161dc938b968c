import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../testing/index.js';
import { startTestWorkshop, testStaff } from '../workshop-test-setup.js';
import { startSimulator } from './index.js';

test('simulated customers and staff drive orders through the workshop, with personal data masked and incidents on demand', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  assert.ok(w);
  const noon = new Date(2026, 10, 20, 12, 0, 0);
  const simulator = startSimulator({
    urls: w.urls, staff: testStaff, speed: 1_800, peakVisitsPerHour: 20, startAt: noon, staffRoundMs: 200, seed: 42, flawRate: 0.3,
  });
  try {
    await waitFor(() => (simulator.counts()['accept-200'] ?? 0) > 0, { timeoutMs: 30_000, what: 'a simulated customer to accept a price' });
    await simulator.setIncident('login-brute-force', true);
    await sleep(500);
    await simulator.setIncident('login-brute-force', false);
    await assert.rejects(simulator.setIncident('broker-outage', true), { code: 'SIMULATOR_INCIDENT_UNAVAILABLE' });
  } finally {
    await simulator.stop();
  }
  const counts = simulator.counts();
  assert.ok((counts.registered ?? 0) > 0 && (counts.ordered ?? 0) > 0, JSON.stringify(counts));
  assert.ok((counts['brute-force-attempt'] ?? 0) > 3, JSON.stringify(counts));
  assert.ok(simulator.clock() > noon);

  const shopLines = w.lines.shop.lines.join('\n');
  assert.ok(w.lines.shop.events('order-created').length > 0);
  assert.ok(w.lines.shop.events('user-login-failed').some((l) => l['log.level'] === 'warn'), 'the brute force shows as R16 WARN');
  assert.doesNotMatch(shopLines, /@(mail|yandex|gmail|outlook)\.|@example\.org/, 'no e-mail in clear');
  assert.doesNotMatch(shopLines, /\+7 9\d\d \d{3}-\d\d-\d\d/, 'no phone in clear');
  assert.ok(w.lines.mes.events('price-calculation-finished').length > 0);
});
