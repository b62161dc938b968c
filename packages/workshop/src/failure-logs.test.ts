import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ringMesh, toBinaryStl } from './file-storage/model/index.js';
import { ApiClient, modelForm, type ApiError, type ApiResponse } from './simulator/api-client.js';
import { startTestWorkshop, testStaff } from './workshop-test-setup.js';

const maxModelBytes = 40_000;

function traceIdOf(response: ApiResponse<unknown>): string | undefined {
  return response.headers.get('traceparent')?.split('-')[1];
}

test('a refused or failed change to an order is logged with its order.id, the customer and the error, at WARN (R5, R6, R10)', async (t) => {
  const w = await startTestWorkshop(t, 'embedded', { maxModelBytes });
  assert.ok(w);
  const shop = new ApiClient(w.urls.shop);
  const registered = await shop.call<{ customerId: string }>('POST', '/customers', { json: { email: 'elena.orlova@example.ru', password: 'correct horse', name: 'Елена Орлова' } });
  const customerId = registered.body.customerId;
  await shop.login('elena.orlova@example.ru', 'correct horse');
  const { body: order } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'pendant', metal: 'silver-925' } });
  const failures = (lines = w.lines.shop) => lines.events('order-change-failed');

  await t.test('a step the status machine refuses, at the Shop', async () => {
    const accept = await shop.call<ApiError>('POST', `/orders/${order.id}/accept`);
    assert.equal(accept.status, 409);
    const [line, ...more] = failures();
    assert.equal(more.length, 0);
    assert.deepEqual(
      [line?.['log.level'], line?.['order.id'], line?.['customer.id'], line?.['user.id'], line?.['error.code'], line?.['http.route'], line?.['event.outcome']],
      ['warn', order.id, customerId, customerId, 'ORDER_BAD_TRANSITION', '/orders/:id/accept', 'failure'],
    );
    assert.equal(line?.['error.message'], accept.body.error.message);
    assert.equal(line?.['trace.id'], traceIdOf(accept), 'in the request\'s trace');
  });

  await t.test('an upload over the limit and a broken model, at the Shop', async () => {
    w.lines.shop.clear();
    const big = await shop.call<ApiError>('POST', `/orders/${order.id}/model`, { form: modelForm(toBinaryStl(ringMesh({ segments: 64, sides: 32 }))) });
    assert.equal(big.status, 413);
    const broken = await shop.call<ApiError>('POST', `/orders/${order.id}/model`, { form: modelForm('solid x\n facet normal 0 0 1\nendsolid x\n', 'broken.stl') });
    assert.equal(broken.status, 422);
    assert.deepEqual(failures().map((l) => [l['log.level'], l['order.id'], l['customer.id'], l['error.code'], l['http.response.status_code']]), [
      ['warn', order.id, customerId, 'MODEL_FILE_TOO_LARGE', 413],
      ['warn', order.id, customerId, 'MODEL_PARSE', 422],
    ]);
  });

  await t.test('a status CRM cannot set and a job manufacturing does not have', async () => {
    const crm = new ApiClient(w.urls.crm);
    const manager = await crm.login(testStaff.manager.login, testStaff.manager.password);
    const ship = await crm.call<ApiError>('POST', `/orders/${order.id}/status`, { json: { status: 'SHIPPED' } });
    assert.equal(ship.status, 409);
    const [crmLine] = failures(w.lines.crm);
    assert.deepEqual([crmLine?.['log.level'], crmLine?.['order.id'], crmLine?.['user.id'], crmLine?.['error.code']], ['warn', order.id, manager.body.userId, 'ORDER_BAD_TRANSITION']);
    assert.equal(crmLine?.['customer.id'], undefined, 'the caller is staff, not the customer');

    const mes = new ApiClient(w.urls.mes);
    await mes.login(testStaff.operator.login, testStaff.operator.password);
    assert.equal((await mes.call('POST', `/jobs/${order.id}/assign`, { json: {} })).status, 404);
    assert.equal((await mes.call('POST', `/jobs/${order.id}/status`, { json: { status: 'PRINTED' } })).status, 404);
    assert.deepEqual(failures(w.lines.mes).map((l) => [l['order.id'], l['http.route'], l['error.code']]), [
      [order.id, '/jobs/:orderId/assign', 'JOB_NOT_FOUND'],
      [order.id, '/jobs/:orderId/status', 'JOB_NOT_FOUND'],
    ]);
  });

  await t.test('reads and callers without a session add no such line', async () => {
    w.lines.shop.clear();
    assert.equal((await shop.call('GET', '/orders/ORD-999999')).status, 404);
    assert.equal((await new ApiClient(w.urls.shop).call('POST', `/orders/${order.id}/cancel`)).status, 401);
    assert.deepEqual(failures(), []);
  });
});

test('registering a login that exists is 409 USER_EXISTS and logs no error: it is the customer\'s mistake, not the database\'s (R15, R16)', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  assert.ok(w);
  const shop = new ApiClient(w.urls.shop);
  const account = { email: 'oleg.smirnov@example.ru', password: 'correct horse', name: 'Олег Смирнов' };
  assert.equal((await shop.call('POST', '/customers', { json: account })).status, 201);
  const again = await shop.call<ApiError>('POST', '/customers', { json: { ...account, email: 'Oleg.Smirnov@example.ru' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'USER_EXISTS');
  const crm = new ApiClient(w.urls.crm);
  await crm.login(testStaff.manager.login, testStaff.manager.password);
  const staff = await crm.call<ApiError>('POST', '/staff', { json: { login: testStaff.operator.login, password: 'another-password-1', name: 'Twin', role: 'operator' } });
  assert.equal(staff.status, 409);
  for (const [service, lines] of Object.entries(w.lines)) {
    const errors = lines.records().filter((l) => l['log.level'] === 'error');
    assert.deepEqual(errors, [], `${service} logged no error`);
  }
  assert.equal(w.lines.shop.events('user-created').length, 1);
});
