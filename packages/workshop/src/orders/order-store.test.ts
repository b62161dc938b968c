import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../accounts/index.js';
import { domainMigrations, openDatabase, workshopMigrations } from '../db/index.js';
import { createTestLog, testDatabaseTarget, type TestEngine } from '../testing/index.js';
import { createOrder, listOrders, moveOrder, orderHistory, requireOrder } from './order-store.js';

async function openWorkshopDatabase(t: TestContext, engine: TestEngine) {
  const target = await testDatabaseTarget(t, engine);
  if (!target) return undefined;
  const { log, lines } = createTestLog({ level: 'info' });
  const db = await openDatabase({ ...target, log, migrations: [...workshopMigrations, ...domainMigrations] });
  t.after(() => db.close());
  const customer = await createUser(db, { role: 'customer', login: 'Maria@Example.com', password: 'secret-secret', name: 'Мария' }, { cost: 1024 });
  return { db, lines, customer };
}

for (const engine of ['pglite', 'postgres'] as const) {
  describe(`orders on ${engine}`, () => {
    test('an order is numbered from ORD-1001, moves along the machine, and keeps its history', async (t) => {
      const opened = await openWorkshopDatabase(t, engine);
      if (!opened) return;
      const { db, customer } = opened;
      assert.match(customer.id, /^CUS-\d+$/);
      const order = await createOrder(db, { customerId: customer.id, product: 'ring', metal: 'gold-750', ringSizeMm: 18, createdBy: customer.id });
      assert.equal(order.id, 'ORD-1001');
      assert.deepEqual([order.status, order.scale, order.ringSizeMm], ['NEW', 1, 18]);

      const change = await db.transaction((tx) => moveOrder(tx, {
        orderId: order.id, to: 'MODEL_UPLOADED', actor: 'customer', actorId: customer.id, changes: { model: { fileId: 'MDL-00000000000000aa', sizeBytes: 1234, triangles: 768 } },
      }));
      assert.deepEqual(change, { orderId: order.id, customerId: customer.id, from: 'NEW', to: 'MODEL_UPLOADED' });
      const moved = await requireOrder(db, order.id);
      assert.deepEqual(moved.model, { fileId: 'MDL-00000000000000aa', sizeBytes: 1234, triangles: 768 });
      assert.ok(moved.statusChangedAt >= order.statusChangedAt);

      await assert.rejects(db.transaction((tx) => moveOrder(tx, { orderId: order.id, to: 'SHIPPED', actor: 'crm', actorId: 'OPR-1' })), { code: 'ORDER_BAD_TRANSITION', status: 409 });
      assert.equal((await requireOrder(db, order.id)).status, 'MODEL_UPLOADED', 'a refused move changes nothing');
      assert.deepEqual((await orderHistory(db, order.id)).map((h) => [h.from, h.to, h.actor]), [[null, 'NEW', 'customer'], ['NEW', 'MODEL_UPLOADED', 'customer']]);
    });

    test('orders are listed newest first, filtered by status, metal and customer; another customer\'s order is not found', async (t) => {
      const opened = await openWorkshopDatabase(t, engine);
      if (!opened) return;
      const { db, customer } = opened;
      for (const metal of ['silver-925', 'gold-585', 'silver-925'] as const) await createOrder(db, { customerId: customer.id, product: 'pendant', metal, createdBy: 'OPR-1' });
      const all = await listOrders(db, { customerId: customer.id });
      assert.equal(all.total, 3);
      assert.deepEqual(all.orders.map((o) => o.id), ['ORD-1003', 'ORD-1002', 'ORD-1001']);
      const silver = await listOrders(db, { metal: 'silver-925', statuses: ['NEW', 'CANCELLED'], limit: 1 });
      assert.deepEqual([silver.total, silver.orders.length], [2, 1]);
      assert.equal((await listOrders(db, { statuses: ['SHIPPED'] })).total, 0);
      await assert.rejects(requireOrder(db, 'ORD-1001', { customerId: 'CUS-999' }), { code: 'ORDER_NOT_FOUND', status: 404 });
      assert.equal((await orderHistory(db, 'ORD-1001'))[0]?.actor, 'crm', 'placed by an operator');
    });
  });
}
