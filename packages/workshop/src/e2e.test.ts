import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryDestination } from '@loupe/log';
import { ringMesh, toBinaryStl } from './file-storage/model/index.js';
import { ApiClient, modelForm, type ApiResponse } from './simulator/api-client.js';
import { waitFor } from './testing/index.js';
import { startTestWorkshop, testStaff, type TestWorkshop, type WorkshopEngines } from './workshop-test-setup.js';

type Line = Record<string, unknown>;
interface OrderBody { id: string; status: string; customerId: string; pricing?: string; quote?: { total: number; currency: string; lines: unknown[] }; history?: { to: string }[] }

function only(lines: MemoryDestination, action: string, where: Line = {}): Line[] {
  return lines.events(action).filter((line) => Object.entries(where).every(([key, value]) => line[key] === value));
}

function one(lines: MemoryDestination, action: string, where: Line = {}): Line {
  const found = only(lines, action, where);
  assert.equal(found.length, 1, `expected one ${action} ${JSON.stringify(where)}, found ${found.length}`);
  return found[0]!;
}

function traceIdOf(response: ApiResponse<unknown>): string {
  const traceparent = response.headers.get('traceparent');
  assert.ok(traceparent, 'every response carries its traceparent');
  return traceparent.split('-')[1]!;
}

async function orderReaches(client: ApiClient, orderId: string, status: string): Promise<OrderBody> {
  const order = await waitFor(async () => {
    const { body } = await client.call<OrderBody>('GET', `/orders/${orderId}`);
    return body.status === status ? body : undefined;
  }, { timeoutMs: 20_000, what: `order ${orderId} to reach ${status}` });
  return order!;
}

async function customerOrdersARing(w: TestWorkshop) {
  const shop = new ApiClient(w.urls.shop);
  const registered = await shop.call<{ customerId: string }>('POST', '/customers', {
    json: { email: 'anna.petrova@example.ru', password: 'кольцо-2024!', name: 'Анна Петрова', phone: '+7 916 123-45-67', address: 'Москва, ул. Арбат, д. 10, кв. 5' },
  });
  assert.equal(registered.status, 201);
  const customerId = registered.body.customerId;
  assert.match(customerId, /^CUS-\d+$/);
  const created = one(w.lines.shop, 'user-created');
  assert.equal(created['user.id'], customerId);
  assert.ok(!w.lines.shop.lines.some((line) => line.includes('anna.petrova@example.ru') || line.includes('123-45-67')), 'R22 no e-mail or phone in clear');

  assert.equal((await shop.login('anna.petrova@example.ru', 'wrong-password')).status, 401);
  assert.equal(one(w.lines.shop, 'user-login-failed')['user.failed_logins'], 1);
  assert.equal((await shop.login('anna.petrova@example.ru', 'кольцо-2024!')).status, 200);
  assert.equal(one(w.lines.shop, 'user-logged-in')['user.id'], customerId);
  const moved = await shop.call<{ phone: string }>('PATCH', '/customers/me', { json: { phone: '+7 903 765-43-21', address: 'Москва, Тверская ул., д. 7' } });
  assert.deepEqual([moved.status, moved.body.phone], [200, '+7 903 765-43-21']);
  assert.equal(one(w.lines.shop, 'user-updated')['user.id'], customerId);
  assert.ok(!w.lines.shop.lines.some((line) => line.includes('765-43-21') || line.includes('Тверская')), 'R22 the new phone and address are not logged');

  const order = await shop.call<OrderBody>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm: 17.5 } });
  assert.equal(order.status, 201);
  assert.equal(order.body.status, 'NEW');
  const orderId = order.body.id;
  const r4 = one(w.lines.shop, 'order-created', { 'order.id': orderId });
  assert.deepEqual([r4['customer.id'], r4['order.status'], r4['log.level']], [customerId, 'NEW', 'info']);
  return { shop, customerId, orderId };
}

async function handOffForPricing(w: TestWorkshop, shop: ApiClient, orderId: string, customerId: string) {
  const stl = toBinaryStl(ringMesh({ segments: 48, sides: 16 }));
  const upload = await shop.call<OrderBody>('POST', `/orders/${orderId}/model`, { form: modelForm(stl, 'ring.stl') });
  assert.equal(upload.status, 201, JSON.stringify(upload.body));
  assert.equal(upload.body.pricing, 'requested');
  const traceId = traceIdOf(upload);

  const r6 = one(w.lines.shop, 'model-uploaded', { 'order.id': orderId });
  assert.deepEqual([r6['customer.id'], r6['model.size_bytes']], [customerId, stl.length]);
  const fileId = r6['model.file_id'];
  one(w.lines.shop, 'order-status-changed', { 'order.id': orderId, 'order.previous_status': 'NEW', 'order.status': 'MODEL_UPLOADED' });
  const handOff = one(w.lines.crm, 'order-status-changed', { 'order.id': orderId, 'order.status': 'PRICE_CALCULATING' });
  assert.equal(handOff['order.previous_status'], 'MODEL_UPLOADED');

  const quoted = await orderReaches(shop, orderId, 'PRICE_QUOTED');
  assert.equal(quoted.quote?.currency, 'RUB');
  assert.ok((quoted.quote?.total ?? 0) > 10_000);

  const processed = only(w.lines.files, 'model-processed', { 'model.file_id': fileId });
  assert.equal(processed.length, 2, 'analysed on upload and again before pricing');
  for (const line of processed) assert.deepEqual([line['event.outcome'], line['model.polygon_count'], line['order.id']], ['success', 48 * 16 * 2, orderId]);

  const calculation = only(w.lines.mes, 'price-calculation-status-changed', { 'order.id': orderId }).map((l) => `${String(l['pricing.previous_status'])}>${String(l['pricing.status'])}`);
  assert.deepEqual(calculation, ['NONE>QUEUED', 'QUEUED>ANALYSING', 'ANALYSING>CALCULATING', 'CALCULATING>QUOTED']);
  one(w.lines.mes, 'price-calculation-started', { 'order.id': orderId, 'customer.id': customerId });
  const finished = one(w.lines.mes, 'price-calculation-finished', { 'order.id': orderId });
  assert.deepEqual([finished['pricing.status'], finished['model.polygon_count'], finished['pricing.cost'], finished['pricing.currency']], ['QUOTED', 1536, quoted.quote?.total, 'RUB']);
  assert.ok(Number(finished['event.duration']) > 0);
  one(w.lines.crm, 'order-status-changed', { 'order.id': orderId, 'order.previous_status': 'PRICE_CALCULATING', 'order.status': 'PRICE_QUOTED' });

  // R21: the customer's upload request, followed through every service it reached.
  const traced = [
    ...[r6, one(w.lines.shop, 'http-request', { 'url.path': `/orders/${orderId}/model` })].map((l) => ['shop-api', l] as const),
    ...processed.map((l) => ['file-storage', l] as const),
    ...only(w.lines.files, 'http-request').filter((l) => String(l['url.path']).startsWith('/models')).map((l) => ['file-storage', l] as const),
    ['crm-api', one(w.lines.crm, 'http-request', { 'url.path': `/orders/${orderId}/hand-off` })] as const,
    ['crm-api', handOff] as const,
    ...only(w.lines.mes, 'price-calculation-status-changed', { 'order.id': orderId }).map((l) => ['mes-api', l] as const),
    ['mes-api', finished] as const,
    ['crm-api', one(w.lines.crm, 'order-status-changed', { 'order.id': orderId, 'order.status': 'PRICE_QUOTED' })] as const,
  ];
  for (const [service, line] of traced) assert.equal(line['trace.id'], traceId, `${service} ${String(line['event.action'])} ${String(line['url.path'] ?? '')} is in the upload's trace`);
  const messages = [...w.lines.infrastructure.records(), ...w.lines.crm.records(), ...w.lines.mes.records()]
    .filter((l) => String(l['event.action']).startsWith('message-') && l['order.id'] === orderId);
  assert.ok(messages.length >= 4, 'R11 published and consumed, both ways');
  // R11 a consumed message is logged by the service that consumed it.
  assert.equal(only(w.lines.mes, 'message-consumed', { 'order.id': orderId, 'message.routing_key': 'order.to-manufacturing' }).length, 1);
  assert.ok(only(w.lines.crm, 'message-consumed', { 'order.id': orderId }).length >= 1);
  // R11 a published message is logged by the service that published it.
  assert.equal(only(w.lines.crm, 'message-published', { 'order.id': orderId, 'message.routing_key': 'order.to-manufacturing' }).length, 1);
  assert.ok(only(w.lines.mes, 'message-published', { 'order.id': orderId }).length >= 1);
  for (const line of messages) assert.equal(line['trace.id'], traceId, `queue ${String(line['event.action'])} ${String(line['message.routing_key'])} is in the upload's trace`);
  return quoted;
}

async function manufactureAndShip(w: TestWorkshop, orderId: string) {
  const crm = new ApiClient(w.urls.crm);
  assert.equal((await crm.login(testStaff.manager.login, testStaff.manager.password)).status, 200);
  const handed = await crm.call<OrderBody>('POST', `/orders/${orderId}/hand-off`, { json: {} });
  assert.equal(handed.status, 200, JSON.stringify(handed.body));
  assert.equal(handed.body.status, 'IN_PRODUCTION');

  const mes = new ApiClient(w.urls.mes);
  assert.equal((await mes.login(testStaff.operator.login, testStaff.operator.password)).status, 200);
  await waitFor(async () => (await mes.call<{ status?: string }>('GET', `/jobs/${orderId}`)).body.status === 'IN_PRODUCTION', { what: 'MES to receive the job' });
  const taken = await mes.call<{ operatorId: string }>('POST', `/jobs/${orderId}/assign`, { json: {} });
  assert.equal(taken.status, 200);
  const r10 = one(w.lines.mes, 'operator-assigned', { 'order.id': orderId });
  assert.equal(r10['operator.id'], taken.body.operatorId);

  const steps = ['PRINTED', 'POLISHED', 'QUALITY_CHECK', 'READY_TO_SHIP'];
  for (const status of steps) assert.equal((await mes.call('POST', `/jobs/${orderId}/status`, { json: { status } })).status, 200);
  const floor = only(w.lines.mes, 'order-status-changed', { 'order.id': orderId }).map((l) => l['order.status']);
  assert.deepEqual(floor, steps);
  await orderReaches(crm, orderId, 'READY_TO_SHIP');
  const applied = only(w.lines.crm, 'order-status-changed', { 'order.id': orderId }).map((l) => l['order.status']);
  assert.deepEqual(applied, ['PRICE_CALCULATING', 'PRICE_QUOTED', 'IN_PRODUCTION', ...steps]);

  const shipped = await crm.call<OrderBody>('POST', `/orders/${orderId}/status`, { json: { status: 'SHIPPED', note: 'СДЭК 1234567890' } });
  assert.equal(shipped.status, 200);
  assert.equal(shipped.body.status, 'SHIPPED');
}

for (const engines of ['embedded', 'servers'] as WorkshopEngines[]) {
  test(`an order goes from registration to SHIPPED through Shop, CRM, the queue, MES and file storage (${engines === 'embedded' ? 'PGlite + embedded queue' : 'PostgreSQL + RabbitMQ'})`, async (t) => {
    const w = await startTestWorkshop(t, engines, { heartbeatIntervalMs: 200 });
    if (!w) return;
    const { shop, customerId, orderId } = await customerOrdersARing(w);
    await handOffForPricing(w, shop, orderId, customerId);

    const accepted = await shop.call<OrderBody>('POST', `/orders/${orderId}/accept`);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    one(w.lines.shop, 'order-status-changed', { 'order.id': orderId, 'order.status': 'ACCEPTED' });

    await manufactureAndShip(w, orderId);
    const seen = await shop.call<OrderBody>('GET', `/orders/${orderId}`);
    assert.deepEqual(seen.body.history?.map((h) => h.to), [
      'NEW', 'MODEL_UPLOADED', 'PRICE_CALCULATING', 'PRICE_QUOTED', 'ACCEPTED', 'IN_PRODUCTION', 'PRINTED', 'POLISHED', 'QUALITY_CHECK', 'READY_TO_SHIP', 'SHIPPED',
    ]);
    for (const [service, lines] of Object.entries(w.lines)) {
      assert.ok(lines.events('heartbeat').length > 0, `${service} writes R19 heartbeats`);
      const errors = lines.records().filter((l) => l['log.level'] === 'error');
      assert.deepEqual(errors, [], `${service} logged no errors`);
    }
  });
}
