import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { openTestQueue, queueBackends, waitFor } from '../testing/index.js';
import type { QueueMessage } from './index.js';

for (const backend of queueBackends) {
  describe(`dead-letter replay (R12): ${backend.name}`, () => {
    test('dead letters sent back once the cause is fixed are handled as first deliveries: the chosen ones, then the rest', async (t) => {
      const ctx = await openTestQueue(t, backend);
      if (!ctx) return;
      let fixed = false;
      const handled: QueueMessage[] = [];
      await ctx.consume('mes-api', ['order.#'], async (message) => {
        if (!fixed) throw new Error('price list missing for gold-750');
        handled.push(message);
      }, { maxAttempts: 2, retryDelayMs: 20 });
      const ids: string[] = [];
      for (const orderId of ['ORD-51', 'ORD-52']) {
        ids.push(await ctx.db.transaction((tx) => ctx.queue.publish(tx, 'order.to-manufacturing', { orderId, body: { orderId } })));
      }
      await waitFor(async () => (await ctx.queue.deadLetters('mes-api')).length === 2, { what: 'both messages dead-lettered' });

      fixed = true;
      const first = await ctx.queue.replayDeadLetters('mes-api', [ids[1]!, 'no-such-message']);
      assert.deepEqual(first.map((message) => [message.id, message.orderId, message.routingKey, message.attempt]), [[ids[1], 'ORD-52', 'order.to-manufacturing', 1]]);
      await waitFor(() => handled.length === 1, { what: 'the replayed message handled' });
      assert.deepEqual((await ctx.queue.deadLetters('mes-api')).map((message) => message.id), [ids[0]], 'the other one stays in the dead-letter queue');
      const [again] = handled;
      assert.equal(again?.attempt, 1, 'a first delivery again: its attempts start over');
      assert.equal(again?.routingKey, 'order.to-manufacturing');
      assert.deepEqual(again?.body, { orderId: 'ORD-52' });
      assert.equal(again?.headers['x-dead-letter-reason'], undefined);

      const rest = await ctx.queue.replayDeadLetters('mes-api');
      assert.deepEqual(rest.map((message) => message.id), [ids[0]]);
      await waitFor(() => handled.length === 2, { what: 'the rest handled' });
      await sleep(100);
      assert.deepEqual(handled.map((message) => message.orderId), ['ORD-52', 'ORD-51']);
      assert.deepEqual(await ctx.queue.deadLetters('mes-api'), []);
      assert.deepEqual(await ctx.queue.replayDeadLetters('mes-api'), [], 'nothing left to replay');
    });
  });
}
