import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError } from './simulator/api-client.js';
import { holdLock } from './testing/index.js';
import { customerWithOrder, startTestWorkshop } from './workshop-test-setup.js';

test('R15 a statement stuck behind a lock past the statement timeout answers 503 DB_TIMEOUT with an R15 line, and works once the lock is gone', async (t) => {
  const w = await startTestWorkshop(t, 'servers', { statementTimeoutMs: 300 });
  if (!w) return;
  const { shop, order } = await customerWithOrder(w.urls.shop, 'irina.sokolova@example.com', 'Irina Sokolova');

  // Another change holds the order's row, as a long transaction or a stuck session would.
  const release = await holdLock(w.db, 'SELECT id FROM orders WHERE id = $1 FOR UPDATE', [order.id]);
  // The lock goes only after the answer: without the statement timeout this call would never return.
  const cancel = await shop.call<ApiError>('POST', `/orders/${order.id}/cancel`);
  await release();

  assert.equal(cancel.status, 503);
  assert.equal(cancel.body.error.code, 'DB_TIMEOUT');
  assert.match(cancel.body.error.message, /^The workshop's database took too long to answer \(a record may be busy with another change\); try again in a few seconds \(request req-/);
  const timedOut = w.lines.shop.events('db-error').find((line) => line['error.code'] === '57014');
  assert.ok(timedOut, 'R15: the cancelled statement is logged with its SQLSTATE');
  assert.equal(timedOut['log.level'], 'error');
  assert.equal(w.lines.shop.events('unhandled-error').length, 0, 'a busy database is not an unhandled error');
  const [failed] = w.lines.shop.events('order-change-failed');
  assert.deepEqual([failed?.['order.id'], failed?.['http.response.status_code']], [order.id, 503]);

  const again = await shop.call<{ status: string }>('POST', `/orders/${order.id}/cancel`);
  assert.equal(again.status, 200);
  assert.equal(again.body.status, 'CANCELLED');
});
