import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, modelForm, type ApiResponse } from './simulator/api-client.js';
import { waitFor } from './testing/index.js';
import {
  goodRing, linesOf, logIn, newOrder, orderInProduction, orderReaches, quotedOrder, statusLines, type OrderBody,
} from './test-orders.fixture.js';
import { startTestWorkshop, type TestWorkshop, type WorkshopEngines } from './workshop-test-setup.js';

// Each race runs on several orders at once, so an interleaving that breaks it shows up.
const ROUNDS = 6;

/** Waits for the relay to publish `count` hand-offs of the order (R11), and checks there are no more. */
async function handOffsPublished(w: TestWorkshop, orderId: string, count: number): Promise<void> {
  const published = () => linesOf(w.lines.crm, 'message-published', { 'order.id': orderId, 'message.routing_key': 'order.to-manufacturing' }).length;
  await waitFor(() => published() >= count, { what: `${count} hand-offs of ${orderId}` });
  assert.equal(published(), count);
}

const statuses = (answers: ApiResponse<unknown>[]) => answers.map((a) => a.status).sort();

async function historyOf(staff: Awaited<ReturnType<typeof logIn>>, orderId: string) {
  const { body } = await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`);
  return { status: body.status, moves: (body.history ?? []).map((h) => `${h.from ?? ''}>${h.to}`) };
}

for (const engines of ['embedded', 'servers'] as WorkshopEngines[]) {
  describe(`two requests change one order at once (${engines === 'embedded' ? 'PGlite + embedded queue' : 'PostgreSQL + RabbitMQ'})`, () => {
    test('accepting a quote twice at once: one 200, one 409 ORDER_BAD_TRANSITION, one history row and one R5 line', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orders = await Promise.all(Array.from({ length: ROUNDS }, () => quotedOrder(staff)));
      await Promise.all(orders.map(async (orderId) => {
        const answers = await Promise.all([1, 2].map(() => staff.shop.call<{ error?: { code: string } }>('POST', `/orders/${orderId}/accept`)));
        assert.deepEqual(statuses(answers), [200, 409]);
        assert.equal(answers.find((a) => a.status === 409)?.body.error?.code, 'ORDER_BAD_TRANSITION');
        const { status, moves } = await historyOf(staff, orderId);
        assert.equal(status, 'ACCEPTED');
        assert.equal(moves.filter((m) => m === 'PRICE_QUOTED>ACCEPTED').length, 1);
        assert.equal(statusLines(w.lines.shop, orderId, 'ACCEPTED').length, 1);
      }));
    });

    test('accept and cancel at once: exactly one wins, the other gets 409, and status, history and R5 agree', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orders = await Promise.all(Array.from({ length: ROUNDS }, () => quotedOrder(staff)));
      await Promise.all(orders.map(async (orderId) => {
        const [accept, cancel] = await Promise.all(['accept', 'cancel'].map((decision) => staff.shop.call('POST', `/orders/${orderId}/${decision}`)));
        // A customer who lost the race to accept is refused the cancel as forbidden: only CRM cancels an accepted order.
        assert.ok(['200,409', '200,403'].includes(statuses([accept!, cancel!]).join()), `${accept!.status} ${cancel!.status}`);
        const winner = accept!.status === 200 ? 'ACCEPTED' : 'CANCELLED';
        const { status, moves } = await historyOf(staff, orderId);
        assert.equal(status, winner);
        assert.deepEqual(moves.slice(-2), ['PRICE_CALCULATING>PRICE_QUOTED', `PRICE_QUOTED>${winner}`]);
        assert.equal(statusLines(w.lines.shop, orderId, 'ACCEPTED').length + statusLines(w.lines.shop, orderId, 'CANCELLED').length, 1);
      }));
    });

    test('a manager moving an order to IN_PRODUCTION while its customer accepts never puts it in production without telling MES', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orders = await Promise.all(Array.from({ length: ROUNDS }, () => quotedOrder(staff)));
      await Promise.all(orders.map(async (orderId) => {
        const [accept, produce] = await Promise.all([
          staff.shop.call('POST', `/orders/${orderId}/accept`),
          staff.crm.call('POST', `/orders/${orderId}/status`, { json: { status: 'IN_PRODUCTION' } }),
        ]);
        assert.equal(accept.status, 200);
        const { status, moves } = await historyOf(staff, orderId);
        if (produce.status !== 200) {
          assert.equal(produce.status, 409, JSON.stringify(produce.body));
          assert.equal(status, 'ACCEPTED');
          return;
        }
        assert.equal(status, 'IN_PRODUCTION');
        assert.deepEqual(moves.slice(-2), ['PRICE_QUOTED>ACCEPTED', 'ACCEPTED>IN_PRODUCTION']);
        await handOffsPublished(w, orderId, 2);
        await waitFor(async () => (await staff.operator.call<{ status?: string }>('GET', `/jobs/${orderId}`)).body.status === 'IN_PRODUCTION', { what: `MES to get ${orderId}` });
      }));
    });

    test('two managers handing one order to production at once: one 200, one 409, one message to MES, one R5 line', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orders = await Promise.all(Array.from({ length: ROUNDS }, () => quotedOrder(staff)));
      await Promise.all(orders.map(async (orderId) => {
        assert.equal((await staff.shop.call('POST', `/orders/${orderId}/accept`)).status, 200);
        const answers = await Promise.all([
          staff.crm.call('POST', `/orders/${orderId}/hand-off`, { json: {} }),
          staff.crm.call('POST', `/orders/${orderId}/status`, { json: { status: 'IN_PRODUCTION' } }),
        ]);
        assert.deepEqual(statuses(answers), [200, 409]);
        const { moves } = await historyOf(staff, orderId);
        assert.equal(moves.filter((m) => m === 'ACCEPTED>IN_PRODUCTION').length, 1);
        assert.equal(statusLines(w.lines.crm, orderId, 'IN_PRODUCTION').length, 1);
        await handOffsPublished(w, orderId, 2);
      }));
    });

    test('two operators taking one job at once: one gets it (200, one R10 line), the other 409 JOB_TAKEN; a manager may still reassign', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const { body: second } = await staff.crm.call<{ userId: string }>('POST', '/staff', { json: { login: 'olga@workshop.test', password: 'operator-password-2', name: 'Olga', role: 'operator' } });
      const other = new ApiClient(w.urls.mes);
      assert.equal((await other.login('olga@workshop.test', 'operator-password-2')).status, 200);
      const orderId = await orderInProduction(staff);
      const answers = await Promise.all([staff.operator, other].map((client) => client.call<{ operatorId?: string; error?: { code: string } }>('POST', `/jobs/${orderId}/assign`, { json: {} })));
      assert.deepEqual(statuses(answers), [200, 409]);
      const winner = answers.find((a) => a.status === 200)!.body.operatorId;
      assert.equal(answers.find((a) => a.status === 409)?.body.error?.code, 'JOB_TAKEN');
      assert.deepEqual(linesOf(w.lines.mes, 'operator-assigned', { 'order.id': orderId }).map((l) => l['operator.id']), [winner]);
      assert.equal((await staff.operator.call<{ operatorId: string }>('GET', `/jobs/${orderId}`)).body.operatorId, winner);
      const reassigned = await staff.manager.call<{ operatorId: string }>('POST', `/jobs/${orderId}/assign`, { json: { operatorId: second.userId } });
      assert.deepEqual([reassigned.status, reassigned.body.operatorId], [200, second.userId]);
    });

    test('two model uploads at once on a new order: both stored, one NEW>MODEL_UPLOADED row and R5 line, one hand-off, one price', async (t) => {
      const w = await startTestWorkshop(t, engines);
      if (!w) return;
      const staff = await logIn(w);
      const orders = await Promise.all(Array.from({ length: ROUNDS }, () => newOrder(staff)));
      await Promise.all(orders.map(async (orderId) => {
        const answers = await Promise.all([1, 2].map(() => staff.shop.call<OrderBody & { pricing?: string }>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()) })));
        for (const answer of answers) assert.ok([201, 409].includes(answer.status), JSON.stringify(answer.body));
        await orderReaches(staff.shop, orderId, 'PRICE_QUOTED');
        const { moves } = await historyOf(staff, orderId);
        assert.deepEqual(moves, ['>NEW', 'NEW>MODEL_UPLOADED', 'MODEL_UPLOADED>PRICE_CALCULATING', 'PRICE_CALCULATING>PRICE_QUOTED']);
        assert.equal(statusLines(w.lines.shop, orderId, 'MODEL_UPLOADED').length, 1);
        assert.equal(statusLines(w.lines.crm, orderId, 'PRICE_CALCULATING').length, 1);
        assert.equal(linesOf(w.lines.mes, 'price-calculation-finished', { 'order.id': orderId }).length, 1);
      }));
    });
  });
}
