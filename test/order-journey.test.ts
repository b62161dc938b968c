import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, MemoryDestination } from '@loupe/log';
import { buildPlatformApp, DuckDbStore, loadPlatformConfig } from '@loupe/platform';
import { ApiClient, modelForm, ringMesh, startWorkshop, toBinaryStl } from '@loupe/workshop';

interface OrderBody { id: string; status: string }
interface JourneyBody {
  events: Array<Record<string, unknown>>;
  services: string[];
  traceIds: string[];
  statuses: Array<{ status: string; durationMs: number; current: boolean }>;
  stoppedAt: { status: string };
}

async function waitForStatus(shop: ApiClient, orderId: string, status: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await shop.call<OrderBody>('GET', `/orders/${orderId}`)).body.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`order ${orderId} did not reach ${status}`);
}

test('R29 the journey of an order run through the workshop shows every service\'s events in order, its trace and its time per status', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'loupe-journey-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const lines = { shop: new MemoryDestination(), crm: new MemoryDestination(), mes: new MemoryDestination(), files: new MemoryDestination(), infrastructure: new MemoryDestination() };
  const workshop = await startWorkshop({ dataDir: join(dir, 'workshop'), destinations: lines, passwordHashing: { cost: 1024 } });
  const config = loadPlatformConfig({ LOUPE_DATA_DIR: join(dir, 'platform') });
  const store = await DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp') });
  const platform = await buildPlatformApp({ config, store, log: createLogger({ service: 'loupe-platform', destination: new MemoryDestination() }) });
  try {
    const shop = new ApiClient(workshop.urls.shop);
    assert.equal((await shop.call('POST', '/customers', { json: { email: 'ivan.sidorov@example.ru', password: 'серьги-2025!', name: 'Иван Сидоров', phone: '+7 926 555-44-33' } })).status, 201);
    assert.equal((await shop.login('ivan.sidorov@example.ru', 'серьги-2025!')).status, 200);
    const order = await shop.call<OrderBody>('POST', '/orders', { json: { product: 'ring', metal: 'silver-925', ringSizeMm: 18 } });
    const orderId = order.body.id;
    const upload = await shop.call('POST', `/orders/${orderId}/model`, { form: modelForm(toBinaryStl(ringMesh({ segments: 32, sides: 12 })), 'ring.stl') });
    assert.equal(upload.status, 201);
    await waitForStatus(shop, orderId, 'PRICE_QUOTED');
    assert.equal((await shop.call('POST', `/orders/${orderId}/accept`)).status, 200);

    // What the shipper would deliver: every line every service wrote.
    const body = Object.values(lines).flatMap((destination) => destination.lines).join('');
    const ingested = await platform.inject({ method: 'POST', url: '/ingest/ndjson', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal((ingested.json() as { rejected: number }).rejected, 0);

    const journey = (await platform.inject({ method: 'GET', url: `/api/journey/${orderId}` })).json() as JourneyBody;
    assert.deepEqual(journey.statuses.map((s) => s.status), ['NEW', 'MODEL_UPLOADED', 'PRICE_CALCULATING', 'PRICE_QUOTED', 'ACCEPTED']);
    assert.ok(journey.statuses.slice(0, -1).every((s) => s.durationMs >= 0 && !s.current));
    assert.equal(journey.stoppedAt.status, 'ACCEPTED');
    for (const service of ['shop-api', 'crm-api', 'mes-api', 'file-storage']) assert.ok(journey.services.includes(service), `${service} in ${journey.services.join(', ')}`);
    const times = journey.events.map((e) => Date.parse(String(e['@timestamp'])));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    // The hand-off to manufacturing is one trace from the Shop's upload to MES's price.
    const priced = journey.events.find((e) => e['event.action'] === 'price-calculation-finished');
    const uploaded = journey.events.find((e) => e['event.action'] === 'model-uploaded');
    assert.equal(priced?.['trace.id'], uploaded?.['trace.id']);
    assert.ok(journey.events.some((e) => e['service.name'] === 'file-storage' && e['trace.id'] === uploaded?.['trace.id']));
    assert.ok(!body.includes('ivan.sidorov@example.ru') && !body.includes('555-44-33'));
  } finally {
    await workshop.stop();
    await platform.close();
    await store.close();
  }
});
