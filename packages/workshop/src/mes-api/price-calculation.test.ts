import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { domainMigrations, openDatabase, workshopMigrations } from '../db/index.js';
import { openQueue } from '../queue/index.js';
import { routingKeys, type ToManufacturingMessage } from '../domain/index.js';
import { buildFileStorageApp } from '../file-storage/index.js';
import { ringMesh, toBinaryStl } from '../file-storage/model/index.js';
import { ApiClient, modelForm, type ApiError } from '../simulator/api-client.js';
import { createTestLog, waitFor } from '../testing/index.js';
import { startTestWorkshop } from '../workshop-test-setup.js';
import { buildMesApp } from './index.js';

test('a model with holes passes upload but cannot be priced: MODEL_REJECTED with the reason, R9 FAILED, R8 FAILED; a repaired one is priced', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  assert.ok(w);
  const shop = new ApiClient(w.urls.shop);
  await shop.call('POST', '/customers', { json: { email: 'petr@example.ru', password: 'password-1', name: 'Пётр' } });
  await shop.login('petr@example.ru', 'password-1');
  const { body: order } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'ring', metal: 'silver-925' } });
  const ring = ringMesh({ segments: 32, sides: 12 });
  const holed = toBinaryStl(ring.subarray(0, ring.length - 9 * 4));

  assert.equal((await shop.call('POST', `/orders/${order.id}/model`, { form: modelForm(holed) })).status, 201);
  const rejected = await waitFor(async () => {
    const { body } = await shop.call<{ status: string; rejectionReason?: string }>('GET', `/orders/${order.id}`);
    return body.status === 'MODEL_REJECTED' ? body : undefined;
  }, { what: 'the order to be rejected' });
  assert.match(rejected!.rejectionReason ?? '', /not a closed surface/);
  const steps = w.lines.mes.events('price-calculation-status-changed').map((l) => l['pricing.status']);
  assert.deepEqual(steps, ['QUEUED', 'ANALYSING', 'CALCULATING', 'FAILED']);
  const [finished] = w.lines.mes.events('price-calculation-finished');
  assert.deepEqual([finished?.['pricing.status'], finished?.['model.polygon_count'], finished?.['pricing.cost']], ['FAILED', 764, undefined]);
  const [why, ...more] = w.lines.mes.events('price-calculation-failed');
  assert.equal(more.length, 0);
  assert.deepEqual([why?.['log.level'], why?.['order.id'], why?.['customer.id'], why?.['error.code']], ['error', order.id, finished?.['customer.id'], 'PRICING_MODEL_OPEN']);
  assert.equal(why?.['error.message'], rejected!.rejectionReason, 'the reason the customer sees is in MES\'s log');

  assert.equal((await shop.call('POST', `/orders/${order.id}/model`, { form: modelForm(toBinaryStl(ring)) })).status, 201);
  await waitFor(async () => (await shop.call<{ status: string }>('GET', `/orders/${order.id}`)).body.status === 'PRICE_QUOTED', { what: 'the repaired model to be priced' });
  const statuses = w.lines.crm.events('order-status-changed').map((l) => l['order.status']);
  assert.deepEqual(statuses, ['PRICE_CALCULATING', 'MODEL_REJECTED', 'PRICE_CALCULATING', 'PRICE_QUOTED']);
  const accept = await shop.call<ApiError>('POST', `/orders/${order.id}/reject`);
  assert.equal(accept.status, 200);
});

test('while file storage is down MES retries (R2, R3), puts the calculation back to QUEUED, and prices it on the queue\'s next delivery', async (t) => {
  const modelsDir = await mkdtemp(join(tmpdir(), 'loupe-models-'));
  const { log: infraLog } = createTestLog({ service: 'workshop', level: 'info' });
  const db = await openDatabase({ log: infraLog, migrations: [...workshopMigrations, ...domainMigrations] });
  const queue = await openQueue({ db, log: infraLog, pollIntervalMs: 50 });
  const { log: filesLog } = createTestLog({ service: 'file-storage', level: 'info' });
  const startFiles = async (port: number) => {
    const app = await buildFileStorageApp({ config: { modelsDir }, log: filesLog, db });
    await app.listen({ host: '127.0.0.1', port });
    return app;
  };
  let files: FastifyInstance = await startFiles(0);
  const port = (files.server.address() as { port: number }).port;
  const { log: mesLog, lines } = createTestLog({ service: 'mes-api', level: 'info' });
  const mes = await buildMesApp({ config: { fileStorageUrl: `http://127.0.0.1:${port}`, fileStorageRetry: { attempts: 2, baseDelayMs: 20 } }, log: mesLog, db, queue });
  t.after(async () => {
    await mes.close();
    await files.close();
    await queue.close();
    await db.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  const stored = await new ApiClient(`http://127.0.0.1:${port}`).call<{ fileId: string }>('POST', '/models?orderId=ORD-7', { raw: toBinaryStl(ringMesh({ segments: 32, sides: 12 })) });
  await files.close();
  await mes.ready();
  const body: ToManufacturingMessage = { stage: 'pricing', orderId: 'ORD-7', customerId: 'CUS-7', product: 'ring', metal: 'gold-750', scale: 1, modelFileId: stored.body.fileId };
  await db.transaction((tx) => queue.publish(tx, routingKeys.toManufacturing, { orderId: 'ORD-7', body }));

  await waitFor(() => lines.events('price-calculation-status-changed').some((l) => l['pricing.previous_status'] === 'ANALYSING' && l['pricing.status'] === 'QUEUED'), { what: 'the calculation to go back to QUEUED' });
  const [retried] = lines.events('call-retried');
  assert.deepEqual([retried?.['call.target'], retried?.['call.attempt'], retried?.['call.attempts_left'], retried?.['log.level']], ['file-storage', 1, 1, 'warn']);
  const [failed] = lines.events('call-failed');
  assert.deepEqual([failed?.['call.target'], failed?.['log.level']], ['file-storage', 'error']);
  assert.match(String(failed?.['call.endpoint']), new RegExp(`/models/${stored.body.fileId}/analyse$`));
  // R13 is written by the consuming service, MES.
  await waitFor(() => lines.events('message-failed').length > 0, { what: 'R13 for the failed delivery' });

  files = await startFiles(port);
  await waitFor(() => lines.events('price-calculation-finished').length > 0, { timeoutMs: 15_000, what: 'the second delivery to price the order' });
  assert.equal(lines.events('price-calculation-finished')[0]?.['pricing.status'], 'QUOTED');
  const priced = await db.query<{ status: string }>('SELECT status FROM price_quotes WHERE order_id = $1', ['ORD-7']);
  assert.deepEqual(priced.rows, [{ status: 'QUOTED' }], 'one calculation, finished on the retry');
});
