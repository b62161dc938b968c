import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { activeTraceIds, runInSpan } from '@loupe/log';
import { createTestLog, openTestQueue, queueBackends, waitFor, type TestQueue } from '../testing/index.js';
import type { QueueMessage } from './index.js';

/** Publishes in a committed transaction inside a request's span; returns the message id and the trace id. */
async function publishInRequest(ctx: TestQueue, routingKey: string, message: { orderId?: string; body: unknown }): Promise<{ id: string; traceId: string }> {
  return runInSpan('POST /orders', async () => {
    const traceId = activeTraceIds()!.traceId;
    const id = await ctx.db.transaction((tx) => ctx.queue.publish(tx, routingKey, message));
    return { id, traceId };
  });
}

async function outboxSize(ctx: TestQueue): Promise<number> {
  return (await ctx.db.query<{ count: number }>('SELECT count(*) AS count FROM outbox')).rows[0]!.count;
}

for (const backend of queueBackends) {
  describe(`message queue: ${backend.name}`, () => {
    test('a message published in a committed transaction is consumed once, with its body, order id, attempt 1 and the trace', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const received: QueueMessage[] = [];
      await ctx.consume('crm-orders', ['order.*'], async (message) => {
        received.push(message);
        ctx.log.info(`Order ${message.orderId} reached the CRM`);
      });
      const body = { orderId: 'ORD-1042', metal: 'gold', ringSizeMm: 17 };
      const { id, traceId } = await publishInRequest(ctx, 'order.created', { orderId: 'ORD-1042', body });
      await waitFor(() => received.length > 0, { what: 'the delivery' });
      await sleep(150);

      assert.equal(received.length, 1, 'delivered once');
      assert.equal(received[0]?.id, id);
      assert.equal(received[0]?.routingKey, 'order.created');
      assert.equal(received[0]?.orderId, 'ORD-1042');
      assert.deepEqual(received[0]?.body, body);
      assert.equal(received[0]?.attempt, 1);
      assert.match(String(received[0]?.headers.traceparent), new RegExp(`^00-${traceId}-`));

      const handlerLine = ctx.lines.records().find((line) => line.message === 'Order ORD-1042 reached the CRM');
      assert.equal(handlerLine?.['trace.id'], traceId, "the handler's lines carry the publisher's trace id");
      const [published] = ctx.lines.events('message-published');
      assert.equal(published?.['message.id'], id);
      assert.equal(published?.['order.id'], 'ORD-1042');
      assert.equal(published?.['message.routing_key'], 'order.created');
      assert.equal(published?.['event.outcome'], 'confirmed');
      assert.equal(published?.['trace.id'], traceId);
      const consumed = ctx.lines.events('message-consumed');
      assert.equal(consumed.length, 1);
      assert.equal(consumed[0]?.['event.outcome'], 'ack');
      assert.equal(consumed[0]?.['message.queue'], `${ctx.prefix}crm-orders`);
      assert.equal(consumed[0]?.['trace.id'], traceId);
      assert.equal(await outboxSize(ctx), 0, 'the outbox row is gone once published');
    });

    // RabbitMQ keeps the messages itself: no statement per message.
    if (!backend.broker) test('R14 the queue\'s statements about an order are logged by the service that published it and the one that consumed it', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const shop = createTestLog({ service: 'shop-api' });
      const crm = createTestLog({ service: 'crm-api' });
      const received: QueueMessage[] = [];
      await ctx.consume('crm-orders', ['order.*'], async (message) => void received.push(message), { log: crm.log });
      await ctx.db.transaction((tx) => ctx.queue.publish(tx, 'order.created', { orderId: 'ORD-7', body: {}, publisher: shop.log }));
      await waitFor(() => received.length > 0, { what: 'the delivery' });
      const queueLines = (lines: TestQueue['lines']) => lines.events('db-query').filter((line) => line['db.sql.table'] === 'queue_messages' && line['order.id'] === 'ORD-7').map((line) => line['db.operation']);
      await waitFor(() => queueLines(crm.lines).length > 0, { what: "the consumer's acknowledgement" });
      assert.deepEqual(queueLines(shop.lines), ['INSERT'], 'routed into its queue, as the publisher');
      assert.deepEqual(queueLines(crm.lines), ['DELETE'], 'acknowledged, as the consumer');
      assert.deepEqual(queueLines(ctx.lines), [], 'none under the shared queue\'s own name');
    });

    test('a rolled-back transaction publishes nothing', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const received: QueueMessage[] = [];
      await ctx.consume('crm-orders', ['order.created'], async (message) => void received.push(message));
      const declined = new Error('payment declined');
      await assert.rejects(
        ctx.db.transaction(async (tx) => {
          await ctx.queue.publish(tx, 'order.created', { orderId: 'ORD-1', body: { orderId: 'ORD-1' } });
          throw declined;
        }),
        declined,
      );
      await publishInRequest(ctx, 'order.created', { orderId: 'ORD-2', body: { orderId: 'ORD-2' } });
      await waitFor(() => received.length > 0, { what: 'the committed message' });
      await sleep(100);
      assert.deepEqual(received.map((message) => message.orderId), ['ORD-2']);
      assert.deepEqual(ctx.lines.events('message-published').map((line) => line['order.id']), ['ORD-2']);
    });

    test('a handler that always throws is retried with growing delays, then dead-lettered with R12', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const attempts: { attempt: number; at: number }[] = [];
      const options = { maxAttempts: 3, retryDelayMs: 40 };
      await ctx.consume('mes-pricing', ['order.model-uploaded'], async (message) => {
        attempts.push({ attempt: message.attempt, at: Date.now() });
        throw new Error('model file is corrupt');
      }, options);
      const body = { orderId: 'ORD-7', fileId: 'FILE-1' };
      const { id, traceId } = await publishInRequest(ctx, 'order.model-uploaded', { orderId: 'ORD-7', body });
      await waitFor(() => ctx.lines.events('message-dead-lettered').length > 0, { what: 'the dead letter' });
      await sleep(100);

      assert.deepEqual(attempts.map((a) => a.attempt), [1, 2, 3]);
      assert.ok(attempts[1]!.at - attempts[0]!.at >= 35, `first retry after ≥ 40 ms, was ${attempts[1]!.at - attempts[0]!.at}`);
      assert.ok(attempts[2]!.at - attempts[1]!.at >= 75, `second retry after ≥ 80 ms, was ${attempts[2]!.at - attempts[1]!.at}`);
      const failed = ctx.lines.events('message-failed');
      assert.equal(failed.length, 3, 'each failed attempt is an R13 line');
      assert.equal(failed[0]?.['error.message'], 'model file is corrupt');
      assert.deepEqual(failed.map((line) => [line['call.attempt'], line['call.attempts_left']]), [[1, 2], [2, 1], [3, 0]], 'each R13 line says which delivery failed and how many are left');
      const deadLettered = ctx.lines.events('message-dead-lettered');
      assert.equal(deadLettered.length, 1);
      assert.equal(deadLettered[0]?.['log.level'], 'warn');
      assert.equal(deadLettered[0]?.['message.id'], id);
      assert.equal(deadLettered[0]?.['order.id'], 'ORD-7');
      assert.equal(deadLettered[0]?.['message.dead_letter_reason'], 'Failed 3 of 3 attempts; last error: model file is corrupt');
      assert.equal(deadLettered[0]?.['trace.id'], traceId);

      const dead = await ctx.queue.deadLetters('mes-pricing');
      assert.equal(dead.length, 1);
      assert.equal(dead[0]?.id, id);
      assert.equal(dead[0]?.orderId, 'ORD-7');
      assert.equal(dead[0]?.routingKey, 'order.model-uploaded');
      assert.deepEqual(dead[0]?.body, body);
      assert.equal(dead[0]?.attempt, 3);
      assert.equal(dead[0]?.headers['x-dead-letter-reason'], 'Failed 3 of 3 attempts; last error: model file is corrupt');
      assert.equal((await ctx.queue.deadLetters('mes-pricing')).length, 1, 'reading the dead letters leaves them there');
    });

    test('a handler that fails once and then succeeds consumes the message on attempt 2', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const attempts: number[] = [];
      await ctx.consume('mes-pricing', ['order.#'], async (message) => {
        attempts.push(message.attempt);
        if (message.attempt === 1) throw new Error('price list not loaded yet');
      }, { maxAttempts: 3, retryDelayMs: 20 });
      const { id } = await publishInRequest(ctx, 'order.model.uploaded', { orderId: 'ORD-8', body: { orderId: 'ORD-8' } });
      await waitFor(() => ctx.lines.events('message-consumed').length > 0, { what: 'the second attempt' });
      await sleep(100);
      assert.deepEqual(attempts, [1, 2]);
      const [consumed] = ctx.lines.events('message-consumed');
      assert.equal(consumed?.['message.id'], id);
      assert.equal(consumed?.['message.routing_key'], 'order.model.uploaded', 'the retry keeps the original routing key');
      assert.deepEqual(await ctx.queue.deadLetters('mes-pricing'), []);
      assert.equal(ctx.lines.events('message-dead-lettered').length, 0);
    });

    test('each queue bound to a matching key gets its copy, in publication order', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const crm: string[] = [];
      const mes: string[] = [];
      await ctx.consume('crm-orders', ['order.*'], async (message) => void crm.push(message.routingKey), { prefetch: 1 });
      await ctx.consume('mes-jobs', ['order.approved', 'job.#'], async (message) => void mes.push(message.routingKey), { prefetch: 1 });
      for (const key of ['order.created', 'order.approved', 'job.started', 'invoice.sent']) await publishInRequest(ctx, key, { body: { key } });
      await waitFor(() => crm.length === 2 && mes.length === 2, { what: 'both queues' });
      await sleep(100);
      assert.deepEqual(crm, ['order.created', 'order.approved']);
      assert.deepEqual(mes, ['order.approved', 'job.started']);
      const dropped = await waitFor(() => ctx.lines.records().find((line) => /^Message \S+ to invoice\.sent matched no queue/.test(String(line.message))));
      assert.equal(dropped['log.level'], 'warn', 'a message no queue is bound to is dropped, and said so');
    });

    test('publishing refuses a routing key with wildcards and a body that is not JSON', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      await assert.rejects(ctx.queue.publish(ctx.db, 'order.*', { body: {} }), { code: 'QUEUE_BAD_ROUTING_KEY' });
      await assert.rejects(ctx.queue.publish(ctx.db, 'order.created', { body: undefined }), { code: 'QUEUE_BAD_BODY' });
      assert.equal(await outboxSize(ctx), 0);
    });
  });
}
