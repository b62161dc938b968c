import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect } from 'amqplib';
import { amqpTestUrl, openTestQueue, queueBackends, waitFor } from '../testing/index.js';

const rabbitWithPostgres = queueBackends.find((backend) => backend.broker)!;

test('on RabbitMQ a message that is not JSON goes straight to the dead-letter queue, without reaching the handler', async (t) => {
  const ctx = await openTestQueue(t, rabbitWithPostgres);
  if (!ctx) return;
  let handled = 0;
  await ctx.consume('mes-pricing', ['order.#'], async () => void handled++);

  // Another system publishing to the exchange directly, without the outbox.
  const connection = await connect(amqpTestUrl());
  t.after(() => connection.close());
  const channel = await connection.createConfirmChannel();
  await new Promise<void>((resolve, reject) =>
    channel.publish(`${ctx.prefix}workshop`, 'order.created', Buffer.from('<order id="ORD-5"/>'), { messageId: 'legacy-1' }, (error: unknown) =>
      error ? reject(error) : resolve(),
    ),
  );

  const [deadLettered] = await waitFor(() => {
    const lines = ctx.lines.events('message-dead-lettered');
    return lines.length > 0 ? lines : undefined;
  });
  assert.equal(deadLettered?.['message.id'], 'legacy-1');
  assert.equal(deadLettered?.['message.dead_letter_reason'], 'The body is not JSON');
  assert.equal(handled, 0);
  const dead = await ctx.queue.deadLetters('mes-pricing');
  assert.deepEqual(
    dead.map((message) => [message.id, message.routingKey, message.attempt, message.headers['x-dead-letter-reason']]),
    [['legacy-1', 'order.created', 1, 'The body is not JSON']],
  );
});
