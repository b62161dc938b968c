import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryDestination } from '@loupe/log';
import { toBinaryStl, cubeMesh } from './file-storage/model/index.js';
import { ApiClient, modelForm } from './simulator/api-client.js';
import { logIn, orderInProduction } from './test-orders.fixture.js';
import { customerWithOrder, startTestWorkshop, testStaff } from './workshop-test-setup.js';

/**
 * The statements a service ran for one request after it logged the order's move (R5, logged
 * once the change committed): a read there could fail on a database lost that moment and
 * answer 503 for a change that was made, inviting the caller to make it again. The request's
 * lines are those of its span; the queue's relay writes in the same trace, but in spans of its own.
 */
function statementsAfterCommit(lines: MemoryDestination, orderId: string, method: string, path: string, action = 'order-status-changed'): string[] {
  const request = lines.events('http-request').findLast((line) => line['http.request.method'] === method && line['url.path'] === path);
  assert.ok(request, `${method} ${path} was served`);
  const served = lines.records().filter((line) => line['span.id'] === request['span.id']);
  const moved = served.findLastIndex((line) => line['event.action'] === action && line['order.id'] === orderId);
  assert.ok(moved >= 0, `${method} ${path} logged ${action} for order ${orderId}`);
  return served.slice(moved + 1).filter((line) => line['event.action'] === 'db-query').map((line) => `${String(line['db.operation'])} ${String(line['db.sql.table'])}`);
}

test('R5 R14 a committed change to an order is answered from inside its transaction: no statement runs after the move is logged', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  if (!w) return;
  const { shop, order } = await customerWithOrder(w.urls.shop, 'olga.petrova@example.com', 'Olga Petrova');

  const upload = await shop.call<{ status: string; pricing: string }>('POST', `/orders/${order.id}/model`, { form: modelForm(toBinaryStl(cubeMesh(10))) });
  assert.equal(upload.status, 201);
  assert.deepEqual([upload.body.status, upload.body.pricing], ['PRICE_CALCULATING', 'requested'], 'the answer shows the order as CRM left it');
  assert.deepEqual(statementsAfterCommit(w.lines.shop, order.id, 'POST', `/orders/${order.id}/model`), [], 'the Shop, after the model was attached');
  assert.deepEqual(statementsAfterCommit(w.lines.crm, order.id, 'POST', `/orders/${order.id}/hand-off`), [], 'CRM, after the hand-off');

  const { body: second } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm: 17 } });
  const cancel = await shop.call<{ status: string }>('POST', `/orders/${second.id}/cancel`);
  assert.equal(cancel.body.status, 'CANCELLED');
  assert.deepEqual(statementsAfterCommit(w.lines.shop, second.id, 'POST', `/orders/${second.id}/cancel`), [], 'the Shop, after a decision');

  const crm = new ApiClient(w.urls.crm);
  assert.equal((await crm.login(testStaff.manager.login, testStaff.manager.password)).status, 200);
  const { body: third } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'pendant', metal: 'gold-750' } });
  const moved = await crm.call<{ status: string }>('POST', `/orders/${third.id}/status`, { json: { status: 'CANCELLED', note: 'asked by phone' } });
  assert.equal(moved.body.status, 'CANCELLED');
  assert.deepEqual(statementsAfterCommit(w.lines.crm, third.id, 'POST', `/orders/${third.id}/status`), [], 'CRM, after a status change');
});

test('R5 R14 MES answers an operator taking a job and reporting a step from inside their transactions', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await orderInProduction(staff);

  const taken = await staff.operator.call<{ operatorId: string }>('POST', `/jobs/${orderId}/assign`, { json: {} });
  assert.equal(taken.status, 200);
  assert.deepEqual(statementsAfterCommit(w.lines.mes, orderId, 'POST', `/jobs/${orderId}/assign`, 'operator-assigned'), [], 'MES, after the assignment');
  const printed = await staff.operator.call<{ status: string; operatorId: string }>('POST', `/jobs/${orderId}/status`, { json: { status: 'PRINTED' } });
  assert.deepEqual([printed.status, printed.body.status, printed.body.operatorId], [200, 'PRINTED', taken.body.operatorId], 'the answer shows the job as the step left it');
  assert.deepEqual(statementsAfterCommit(w.lines.mes, orderId, 'POST', `/jobs/${orderId}/status`), [], 'MES, after the step');
});
