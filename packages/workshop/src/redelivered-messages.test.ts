import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { routingKeys, type ProductionStatusMessage } from './domain/index.js';
import { modelForm } from './simulator/api-client.js';
import { waitFor } from './testing/index.js';
import {
  consumedTimes, goodRing, holedRing, linesOf, logIn, newOrder, orderInProduction, orderReaches, publishedMessage, statusLines,
  type OrderBody, type Staff,
} from './test-orders.fixture.js';
import { startTestWorkshop, type TestWorkshop, type WorkshopEngines } from './workshop-test-setup.js';

/** Publishes a message again under its first id, as the outbox relay does after a crash between publishing and deleting it. */
async function publishAgain(w: TestWorkshop, routingKey: string, orderId: string, message: { id: string; body: unknown }): Promise<void> {
  await w.db.transaction((tx) => w.queue.publish(tx, routingKey, { id: message.id, orderId, body: message.body }));
}

async function jobOf(staff: Staff, orderId: string) {
  return (await staff.operator.call<{ status: string; operatorId?: string; calculations: unknown[] }>('GET', `/jobs/${orderId}`)).body;
}

async function historyOf(staff: Staff, orderId: string): Promise<string[]> {
  const { body } = await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`);
  return (body.history ?? []).map((h) => `${h.from ?? ''}>${h.to}`);
}

for (const engines of ['embedded', 'servers'] as WorkshopEngines[]) {
  describe(`a message delivered twice or early is applied once (${engines === 'embedded' ? 'PGlite + embedded queue' : 'PostgreSQL + RabbitMQ'})`, () => {
    test('a production hand-off delivered again after the floor moved on leaves the job, its operator and its status alone', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orderId = await orderInProduction(staff);
      const handOff = publishedMessage(w.lines.crm, orderId, routingKeys.toManufacturing);
      assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/assign`, { json: {} })).status, 200);
      assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/status`, { json: { status: 'PRINTED' } })).status, 200);

      await publishAgain(w, routingKeys.toManufacturing, orderId, handOff);
      await consumedTimes(w.lines.mes, handOff.id, 2);
      const job = await jobOf(staff, orderId);
      assert.equal(job.status, 'PRINTED', 'the floor\'s progress is kept');
      assert.ok(job.operatorId);
      assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/status`, { json: { status: 'POLISHED' } })).status, 200);
      await orderReaches(staff.crm, orderId, 'POLISHED');
    });

    test('a pricing hand-off delivered again after the order went to production is neither priced again nor pulls the job back', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orderId = await orderInProduction(staff);
      const pricing = publishedMessage(w.lines.crm, orderId, routingKeys.toManufacturing, 0);
      assert.equal((pricing.body as { stage: string }).stage, 'pricing');

      await publishAgain(w, routingKeys.toManufacturing, orderId, pricing);
      await consumedTimes(w.lines.mes, pricing.id, 2);
      const job = await jobOf(staff, orderId);
      assert.equal(job.status, 'IN_PRODUCTION');
      assert.equal(job.calculations.length, 1);
      assert.equal(linesOf(w.lines.mes, 'price-calculation-finished', { 'order.id': orderId }).length, 1);
      assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/assign`, { json: {} })).status, 200);
    });

    test('a rejection delivered again after a repaired model was handed on does not reject the repaired one', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orderId = await newOrder(staff);
      assert.equal((await staff.shop.call('POST', `/orders/${orderId}/model`, { form: modelForm(holedRing()) })).status, 201);
      await orderReaches(staff.shop, orderId, 'MODEL_REJECTED');
      const rejection = publishedMessage(w.lines.mes, orderId, routingKeys.priced);
      await consumedTimes(w.lines.crm, rejection.id, 1);

      const repaired = await staff.shop.call<OrderBody>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()) });
      assert.equal(repaired.status, 201);
      await publishAgain(w, routingKeys.priced, orderId, rejection);
      await consumedTimes(w.lines.crm, rejection.id, 2);
      const quoted = await orderReaches(staff.shop, orderId, 'PRICE_QUOTED');
      assert.ok(!quoted.rejectionReason);
      assert.deepEqual(await historyOf(staff, orderId), [
        '>NEW', 'NEW>MODEL_UPLOADED', 'MODEL_UPLOADED>PRICE_CALCULATING', 'PRICE_CALCULATING>MODEL_REJECTED',
        'MODEL_REJECTED>MODEL_UPLOADED', 'MODEL_UPLOADED>PRICE_CALCULATING', 'PRICE_CALCULATING>PRICE_QUOTED',
      ]);
      assert.equal(statusLines(w.lines.crm, orderId, 'MODEL_REJECTED').length, 1);
    });

    test('a production report delivered again after the piece went round quality control is not applied a second time', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orderId = await orderInProduction(staff);
      assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/assign`, { json: {} })).status, 200);
      for (const status of ['PRINTED', 'POLISHED', 'QUALITY_CHECK', 'IN_PRODUCTION']) {
        assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/status`, { json: { status } })).status, 200);
      }
      await waitForHistory(staff, orderId, 'QUALITY_CHECK>IN_PRODUCTION');
      const printed = publishedMessage(w.lines.mes, orderId, routingKeys.productionStatus, 0);
      assert.equal((printed.body as ProductionStatusMessage).to, 'PRINTED');

      await publishAgain(w, routingKeys.productionStatus, orderId, printed);
      await consumedTimes(w.lines.crm, printed.id, 2);
      const { body } = await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`);
      assert.equal(body.status, 'IN_PRODUCTION', 'CRM agrees with the floor');
      assert.equal((await historyOf(staff, orderId)).filter((m) => m === 'IN_PRODUCTION>PRINTED').length, 1);
      assert.equal(statusLines(w.lines.crm, orderId, 'PRINTED').length, 1);
    });

    test('production reports arriving in the wrong order: the early one is retried and each is applied once, in order', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orderId = await orderInProduction(staff);
      const report = (from: string, to: string): ProductionStatusMessage => ({ orderId, customerId: staff.customerId, from, to, operatorId: 'OPR-2' } as ProductionStatusMessage);
      await w.db.transaction(async (tx) => {
        await w.queue.publish(tx, routingKeys.productionStatus, { orderId, body: report('PRINTED', 'POLISHED') });
        await w.queue.publish(tx, routingKeys.productionStatus, { orderId, body: report('IN_PRODUCTION', 'PRINTED') });
      });
      await orderReaches(staff.crm, orderId, 'POLISHED');
      assert.deepEqual((await historyOf(staff, orderId)).slice(-2), ['IN_PRODUCTION>PRINTED', 'PRINTED>POLISHED']);
      assert.equal(statusLines(w.lines.crm, orderId, 'PRINTED').length, 1);
      assert.equal(statusLines(w.lines.crm, orderId, 'POLISHED').length, 1);
      const notReady = linesOf(w.lines.crm, 'message-failed', { 'order.id': orderId });
      assert.ok(notReady.length >= 1 && notReady.every((l) => l['error.code'] === 'ORDER_NOT_READY'), 'the early report failed as not ready, then was retried');
    });
  });
}

async function waitForHistory(staff: Staff, orderId: string, move: string): Promise<void> {
  await waitFor(async () => (await historyOf(staff, orderId)).includes(move), { what: `${orderId} to record ${move}` });
}
