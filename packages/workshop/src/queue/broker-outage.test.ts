import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { activeTraceIds, runInSpan } from '@loupe/log';
import { openTestQueue, proxyServer, queueBackends, requireServer, waitFor, type TestQueue } from '../testing/index.js';

const rabbitWithPostgres = queueBackends.find((backend) => backend.broker)!;

async function publishOrder(ctx: TestQueue, orderId: string): Promise<{ id: string; traceId: string }> {
  return runInSpan('POST /orders', async () => {
    const traceId = activeTraceIds()!.traceId;
    const id = await ctx.db.transaction((tx) => ctx.queue.publish(tx, 'order.created', { orderId, body: { orderId } }));
    return { id, traceId };
  });
}

test('messages published while RabbitMQ is unreachable wait in the outbox and are each delivered once when it is back', async (t) => {
  const brokerUrl = await requireServer(t, 'rabbitmq');
  if (!brokerUrl) return;
  const broker = new URL(brokerUrl);
  const { proxy, url: amqpUrl } = await proxyServer(broker, 5672);
  t.after(() => proxy.close());
  const ctx = await openTestQueue(t, rabbitWithPostgres, { amqpUrl });
  if (!ctx) return;

  const deliveries = new Map<string, number>();
  const traces = new Map<string, string | undefined>();
  await ctx.consume('crm-orders', ['order.#'], async (message) => {
    deliveries.set(message.id, (deliveries.get(message.id) ?? 0) + 1);
    traces.set(message.id, activeTraceIds()?.traceId);
  });
  const before = await publishOrder(ctx, 'ORD-100');
  await waitFor(() => deliveries.has(before.id), { what: 'the message before the outage' });
  // Its confirm may still be on the way: cut then, it would be sent again (at least once).
  await waitFor(async () => (await ctx.db.query('SELECT 1 FROM outbox')).rows.length === 0, { what: 'the confirm of the first message' });

  proxy.pause();
  const during: { id: string; traceId: string }[] = [];
  for (const orderId of ['ORD-101', 'ORD-102', 'ORD-103', 'ORD-104', 'ORD-105']) during.push(await publishOrder(ctx, orderId));
  const retried = await waitFor(
    () => {
      const lines = ctx.lines.events('call-retried').filter((line) => line['call.target'] === 'amqp');
      return lines.length > 0 ? lines : undefined;
    },
    { what: 'R2 lines' },
  );
  await waitFor(() => ctx.lines.events('call-failed').some((line) => line['call.target'] === 'amqp'), { what: 'an R3 line after a round of retries' });
  // A round claims what is in the outbox when it starts: a message written after it waits for the next round's R13.
  const publishFailures = () => ctx.lines.events('message-failed').filter((line) => line['message.operation'] === 'publish');
  const waitingLines = await waitFor(() => {
    const lines = publishFailures();
    return ['ORD-101', 'ORD-102', 'ORD-103', 'ORD-104', 'ORD-105'].every((orderId) => lines.some((line) => line['order.id'] === orderId)) ? lines : undefined;
  }, { what: 'an R13 line for each waiting message', timeoutMs: 20_000 });
  for (const orderId of ['ORD-101', 'ORD-102', 'ORD-103', 'ORD-104', 'ORD-105']) {
    const line = waitingLines.find((candidate) => candidate['order.id'] === orderId);
    assert.equal(line?.['log.level'], 'error', `R13 for ${orderId}'s message, so its journey shows the wait`);
    assert.match(String(line?.['error.message']), /; it waits in the outbox and is sent once RabbitMQ is back$/);
  }
  const waiting = await ctx.db.query<{ order_id: string }>('SELECT order_id FROM outbox ORDER BY id');
  assert.deepEqual(waiting.rows.map((row) => row.order_id), ['ORD-101', 'ORD-102', 'ORD-103', 'ORD-104', 'ORD-105'], 'the messages wait in the outbox');
  assert.equal(retried[0]?.['log.level'], 'warn');

  proxy.resume();
  await waitFor(() => during.every((message) => deliveries.has(message.id)), { what: 'every message after the outage', timeoutMs: 20_000 });
  await sleep(300);
  for (const message of [before, ...during]) {
    assert.equal(deliveries.get(message.id), 1, `message ${message.id} (${message === before ? 'before' : 'during'} the outage) delivered exactly once`);
    assert.equal(traces.get(message.id), message.traceId, 'the consumer runs in the trace of the request that published');
  }
  assert.equal((await ctx.db.query('SELECT 1 FROM outbox')).rows.length, 0, 'the outbox is empty again');
  assert.ok(ctx.lines.records().some((line) => String(line.message).startsWith('Lost the connection to RabbitMQ at 127.0.0.1:')));
  const back = ctx.lines.records().find((line) => /^Connected to RabbitMQ at 127\.0\.0\.1:\d+\/ via proxy 127\.0\.0\.1:\d+ again after \d+\.\d s: the relay and the consumers resume$/.test(String(line.message)));
  assert.equal(back?.['log.level'], 'info', 'the broker coming back is said at INFO, with how long it was away');
  assert.ok(Number(back?.['event.duration']) > 0);
  const connectRetries = ctx.lines.events('call-retried').filter((line) => line['call.method'] === 'connect');
  assert.ok(connectRetries.length > 0, 'reconnecting logs R2 too');
  // The line names the broker the proxy leads to, and the proxy.
  assert.equal(connectRetries[0]?.['call.endpoint'], `${broker.hostname}:${broker.port || 5672}/ via proxy 127.0.0.1:${proxy.port}`);
});

test('openQueue fails with a clear error when RabbitMQ never answers', async (t) => {
  const brokerUrl = await requireServer(t, 'rabbitmq');
  if (!brokerUrl) return;
  const broker = new URL(brokerUrl);
  const { proxy, url: amqpUrl } = await proxyServer(broker, 5672);
  proxy.pause();
  t.after(() => proxy.close());
  await assert.rejects(openTestQueue(t, rabbitWithPostgres, { amqpUrl }), {
    code: 'QUEUE_UNREACHABLE',
    message: new RegExp(`^RabbitMQ at ${broker.hostname.replaceAll('.', '\\.')}:${broker.port || 5672}/ via proxy 127\\.0\\.0\\.1:${proxy.port} did not accept a connection after 10 attempts .*: start it or fix AMQP_URL$`),
  });
});

test('R11 the relay renews its claim while a round retries, so only a relay that died holds messages past its claim time', async (t) => {
  const brokerUrl = await requireServer(t, 'rabbitmq');
  if (!brokerUrl) return;
  const { proxy, url: amqpUrl } = await proxyServer(new URL(brokerUrl), 5672);
  t.after(() => proxy.close());
  // A claim of 300 ms, shorter than most rounds of eight attempts while the broker is away.
  const ctx = await openTestQueue(t, rabbitWithPostgres, { amqpUrl, leaseMs: 300 });
  if (!ctx) return;
  const delivered: string[] = [];
  await ctx.consume('crm-orders', ['order.#'], async (message) => void delivered.push(message.id));

  proxy.pause();
  const { id } = await publishOrder(ctx, 'ORD-200');
  // Sample the claim over three failed rounds: held (in the future) or released between rounds
  // (null), never run out while a round still retries.
  const samples: { held: boolean; lapsed: boolean }[] = [];
  const roundsFailed = () => ctx.lines.events('call-failed').filter((line) => line['call.target'] === 'amqp').length;
  while (roundsFailed() < 3) {
    const { rows } = await ctx.db.query<{ held: boolean; lapsed: boolean }>(
      `SELECT coalesce(claimed_until >= now(), false) AS held, coalesce(claimed_until < now(), false) AS lapsed FROM outbox WHERE order_id = 'ORD-200'`,
    );
    samples.push(rows[0]!);
    await sleep(20);
  }
  assert.ok(samples.some((sample) => sample.held), 'the rounds claimed the message');
  assert.equal(samples.filter((sample) => sample.lapsed).length, 0, `a live relay's claim never runs out (${samples.length} samples)`);

  proxy.resume();
  await waitFor(() => delivered.includes(id), { what: 'the message once RabbitMQ is back', timeoutMs: 20_000 });
});
