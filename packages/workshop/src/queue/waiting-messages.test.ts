import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { openDatabase } from '../db/index.js';
import { createTestLog, openTestQueue, proxyServer, queueBackends, requireServer, waitFor, type TestQueue } from '../testing/index.js';
import { MessageNotReady, type QueueMessage } from './index.js';

function publish(ctx: TestQueue, orderId: string): Promise<string> {
  return ctx.db.transaction((tx) => ctx.queue.publish(tx, 'order.production-status', { orderId, body: { orderId } }));
}

for (const backend of queueBackends) {
  describe(`waiting messages (R12, R13): ${backend.name}`, () => {
    test('a message not ready yet is delivered again without spending attempts, and handled once what it waits for came', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const deliveries: QueueMessage[] = [];
      let ready = false;
      await ctx.consume('crm-api', ['order.#'], async (message) => {
        deliveries.push(message);
        if (!ready) throw new MessageNotReady('ORDER_NOT_READY', `Order ${message.orderId} is not yet where this report starts`);
      }, { maxAttempts: 2, retryDelayMs: 20 });
      const id = await publish(ctx, 'ORD-31');
      await waitFor(() => deliveries.length >= 5, { what: 'five deliveries, more than the two attempts allowed' });
      ready = true;
      await waitFor(() => ctx.lines.events('message-consumed').length > 0, { what: 'the message handled' });
      await sleep(100);

      assert.deepEqual(await ctx.queue.deadLetters('crm-api'), [], 'not dead-lettered though it failed more often than maxAttempts');
      assert.equal(ctx.lines.events('message-dead-lettered').length, 0);
      const last = deliveries.at(-1)!;
      assert.equal(last.id, id);
      assert.equal(last.waits, last.attempt - 1, 'every earlier delivery waited');
      const failed = ctx.lines.events('message-failed');
      assert.ok(failed.length >= 5);
      assert.ok(failed.every((line) => line['error.code'] === 'ORDER_NOT_READY' && line['call.attempt'] === 1 && line['call.attempts_left'] === 2),
        'each R13 line says the attempt was not spent: 2 attempts still left');
      assert.equal(ctx.lines.events('message-consumed')[0]?.['message.id'], id);
    });

    test('a message still not ready after maxWaitMs is dead-lettered, saying how long it waited', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      let deliveries = 0;
      await ctx.consume('crm-api', ['order.#'], async () => {
        deliveries += 1;
        throw new MessageNotReady('ORDER_NOT_READY', 'Order ORD-32 is MODEL_UPLOADED, not yet IN_PRODUCTION');
      }, { maxAttempts: 2, retryDelayMs: 20, maxWaitMs: 300 });
      const id = await publish(ctx, 'ORD-32');
      const [deadLettered] = await waitFor(() => {
        const lines = ctx.lines.events('message-dead-lettered');
        return lines.length > 0 ? lines : undefined;
      }, { what: 'the dead letter' });
      assert.ok(deliveries > 2, `delivered ${deliveries} times before giving up, more than the 2 attempts`);
      assert.equal(deadLettered?.['message.id'], id);
      assert.match(String(deadLettered?.['message.dead_letter_reason']), /^Still not ready after waiting \d+ s: Order ORD-32 is MODEL_UPLOADED, not yet IN_PRODUCTION$/);
      assert.equal((await ctx.queue.deadLetters('crm-api'))[0]?.id, id);
    });

    if (backend.engine === 'postgres') test('while the consumer\'s database is unreachable its messages wait, however many deliveries that takes, and are handled once it is back', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      // The handler reaches the database through a proxy the test can cut; the queue's own handle does not.
      const { proxy, url } = await proxyServer(new URL(ctx.target.url!), 5432);
      t.after(() => proxy.close());
      const { log } = createTestLog({ level: 'info' });
      const handlerDb = await openDatabase({ url, schema: ctx.target.schema, log, migrations: [], retry: { attempts: 1 } });
      t.after(() => handlerDb.close());
      let deliveries = 0;
      let handled = 0;
      await ctx.consume('mes-api', ['order.#'], async () => {
        deliveries += 1;
        await handlerDb.query('SELECT count(*) FROM outbox');
        handled += 1;
      }, { maxAttempts: 2, retryDelayMs: 20 });

      proxy.pause();
      const id = await publish(ctx, 'ORD-33');
      await waitFor(() => deliveries >= 6, { what: 'six deliveries during the outage, three times the attempts allowed' });
      proxy.resume();
      await waitFor(() => handled > 0, { what: 'the message handled once the database is back', timeoutMs: 15_000 });
      await sleep(100);

      assert.equal(handled, 1);
      assert.deepEqual(await ctx.queue.deadLetters('mes-api'), [], 'nothing dead-lettered for an outage');
      const failed = ctx.lines.events('message-failed');
      assert.ok(failed.length >= 5 && failed.every((line) => line['message.id'] === id && line['call.attempts_left'] === 2), 'R13 per failed delivery, no attempt spent');
      assert.ok(failed.some((line) => line['error.code'] === 'ECONNRESET'), 'the database\'s own error is logged');
      assert.equal(ctx.lines.events('message-consumed')[0]?.['message.id'], id);
    });

    if (backend.engine === 'postgres' && !backend.broker) test('when the embedded queue\'s own database goes away mid-delivery, the outcome is written once it is back, not after the lease', async (t) => {
      const serverUrl = await requireServer(t, 'postgres');
      if (!serverUrl) return;
      const { proxy, url } = await proxyServer(new URL(serverUrl), 5432);
      t.after(() => proxy.close());
      const ctx = await openTestQueue(t, backend, { databaseUrl: url });
      if (!ctx) return;
      let outageOn!: () => void;
      const outage = new Promise<void>((resolve) => (outageOn = resolve));
      let deliveries = 0;
      let handled = 0;
      await ctx.consume('mes-api', ['order.#'], async () => {
        deliveries += 1;
        await outage;
        await ctx.db.query('SELECT count(*) FROM outbox');
        handled += 1;
      }, { maxAttempts: 2, retryDelayMs: 20 });
      await publish(ctx, 'ORD-34');
      await waitFor(() => deliveries === 1, { what: 'the message in its handler' });
      proxy.pause();
      outageOn();
      await waitFor(() => ctx.lines.events('message-failed').length > 0, { what: 'the delivery failed for the outage', timeoutMs: 15_000 });
      // Longer than the database layer's own retries: writing the outcome failed after its last attempt (R3).
      await waitFor(() => ctx.lines.events('call-failed').some((line) => line['call.method'] === 'UPDATE'), { what: 'the outcome\'s write given up once', timeoutMs: 20_000 });
      proxy.resume();
      await waitFor(() => handled === 1, { what: 'the message handled within seconds of the database coming back (its lease is 5 min)', timeoutMs: 15_000 });
      assert.equal(ctx.lines.events('message-failed')[0]?.['call.attempts_left'], 2, 'the outage spent no attempt');
    });

    if (backend.broker) test('an order\'s later messages wait while another relay holds an earlier one; other orders\' do not', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      const received: string[] = [];
      await ctx.consume('crm-api', ['order.#'], async (message) => void received.push(`${message.orderId} ${String((message.body as { n: number }).n)}`), { prefetch: 1 });
      await ctx.db.transaction(async (tx) => {
        await ctx.queue.publish(tx, 'order.production-status', { orderId: 'ORD-41', body: { n: 1 } });
        // What a relay killed after claiming the first message leaves behind: its claim, for a while.
        await tx.query(`UPDATE outbox SET claimed_until = now() + interval '3 seconds'`);
        await ctx.queue.publish(tx, 'order.production-status', { orderId: 'ORD-41', body: { n: 2 } });
        await ctx.queue.publish(tx, 'order.production-status', { orderId: 'ORD-42', body: { n: 3 } });
      });
      await waitFor(() => received.length === 3, { what: 'all three messages', timeoutMs: 10_000 });
      assert.deepEqual(received, ['ORD-42 3', 'ORD-41 1', 'ORD-41 2'], 'the other order goes at once; ORD-41 keeps its order');
    });
  });
}

describe('leases of the embedded queue on PostgreSQL', () => {
  const backend = queueBackends.find((candidate) => candidate.engine === 'postgres' && !candidate.broker)!;

  test('a handler running longer than the lease keeps its message: the lease is renewed, nothing is delivered twice', async (t) => {
    const ctx = await openTestQueue(t, backend, { leaseMs: 1_000 });
    if (!ctx) return;
    const deliveries: number[] = [];
    await ctx.consume('mes-api', ['order.#'], async (message) => {
      deliveries.push(message.attempt);
      await sleep(3_000);
    });
    await publish(ctx, 'ORD-61');
    await waitFor(() => ctx.lines.events('message-consumed').length === 1, { what: 'the slow handler done' });
    await sleep(1_200);
    assert.deepEqual(deliveries, [1], 'one delivery, though it took three leases');
  });

  test('the messages of a consumer that died come back once its lease runs out, the lost delivery counted', async (t) => {
    const ctx = await openTestQueue(t, backend, { leaseMs: 500 });
    if (!ctx) return;
    await ctx.consume('mes-api', ['order.#'], async () => undefined);
    const stopping = await ctx.consume('crm-api', ['order.#'], async () => undefined);
    await stopping.stop();
    await publish(ctx, 'ORD-62');
    await waitFor(async () => (await ctx.db.query(`SELECT 1 FROM queue_messages WHERE queue = $1`, [`${ctx.prefix}crm-api`])).rows.length === 1, { what: 'the copy for crm-api' });
    // What a consumer killed mid-delivery leaves behind: a claimed row, hidden for one lease, never renewed.
    await ctx.db.query(`UPDATE queue_messages SET attempt = 1, available_at = now() + interval '500 milliseconds' WHERE queue = $1`, [`${ctx.prefix}crm-api`]);
    const claimedAt = Date.now();
    const received: { attempt: number; at: number }[] = [];
    await ctx.consume('crm-api', ['order.#'], async (message) => void received.push({ attempt: message.attempt, at: Date.now() }));
    await waitFor(() => received.length === 1, { what: 'the message delivered again', timeoutMs: 10_000 });
    assert.equal(received[0]!.attempt, 2, 'the dead consumer\'s delivery counts');
    assert.ok(received[0]!.at - claimedAt >= 400, `not before the lease ran out (${received[0]!.at - claimedAt} ms)`);
  });
});
