import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dropSchema, removeRabbitTopology, requireServer, waitFor } from '../testing/index.js';
import { startTestWorkshop, testStaff, type TestWorkshop } from '../workshop-test-setup.js';
import { ApiClient } from './api-client.js';
import { buildSimulatorControlApp, putServersBehindProxies, startSimulator, type ProxiedServersOptions } from './index.js';

const probeQueue = 'simulator-probe';

/**
 * The workshop on the machine's servers behind the simulator's proxies, a quiet simulator
 * and its control endpoint; everything removed when the test ends. Undefined when skipped.
 */
async function workshopBehindProxies(t: TestContext, servers: ProxiedServersOptions) {
  const suffix = randomBytes(5).toString('hex');
  const schema = `simulator_${suffix}`;
  const prefix = `test-simulator-${suffix}.`;
  const proxied = await putServersBehindProxies(servers);
  let w: TestWorkshop | undefined;
  try {
    w = await startTestWorkshop(t, 'embedded', {
      databaseUrl: proxied.databaseUrl, amqpUrl: proxied.amqpUrl, queueDatabaseUrl: proxied.queueDatabaseUrl, databaseSchema: schema, queuePrefix: prefix,
    });
  } finally {
    // Registered after the workshop's own hook, so they run once it stopped.
    t.after(async () => {
      await proxied.close();
      await dropSchema(servers.databaseUrl!, schema);
      if (servers.amqpUrl) await removeRabbitTopology(servers.amqpUrl, { exchange: `${prefix}workshop`, consumers: ['crm-api', 'mes-api', probeQueue].map((queue) => ({ queue: prefix + queue })) });
    });
  }
  assert.ok(w);
  const simulator = startSimulator({ urls: w.urls, staff: testStaff, switches: proxied.switches, peakVisitsPerHour: 1, seed: 3, log: w.logs.infrastructure });
  const app = await buildSimulatorControlApp({ simulator, log: w.logs.infrastructure });
  t.after(async () => {
    await app.close();
    await simulator.stop();
  });
  const delivered = new Set<string>();
  await w.queue.consume(probeQueue, ['probe.#'], async (message) => {
    delivered.add(message.id);
  });
  const workshop = w;
  return {
    w: workshop,
    prefix,
    proxied,
    delivered,
    switchIncident: (name: string, on: boolean) => app.inject({ method: 'PUT', url: `/simulator/incidents/${name}`, payload: { on } }),
    publish: (orderId: string) => workshop.db.transaction((tx) => workshop.queue.publish(tx, 'probe.sent', { orderId, body: { orderId } })),
    outbox: async () => (await workshop.db.query<{ order_id: string }>('SELECT order_id FROM outbox ORDER BY id')).rows.map((row) => row.order_id),
  };
}

test('broker-outage on RabbitMQ cuts the workshop off its broker: messages wait in the outbox with R2 lines and are delivered once it ends', { timeout: 20_000 }, async (t) => {
  const databaseUrl = await requireServer(t, 'postgres');
  const amqpUrl = databaseUrl && (await requireServer(t, 'rabbitmq'));
  if (!databaseUrl || !amqpUrl) return;
  const { w, delivered, switchIncident, publish, outbox } = await workshopBehindProxies(t, { databaseUrl, amqpUrl });
  const before = await publish('ORD-1');
  await waitFor(() => delivered.has(before), { what: 'a message before the outage' });
  await waitFor(async () => (await outbox()).length === 0, { what: 'the confirm of the first message' });

  const on = await switchIncident('broker-outage', true);
  assert.equal(on.statusCode, 200, on.body);
  assert.equal(on.json().on, true);
  const during = [await publish('ORD-2'), await publish('ORD-3')];
  await waitFor(() => w.lines.infrastructure.events('call-retried').some((line) => line['call.target'] === 'amqp'), { what: 'R2 lines of the relay or the reconnection' });
  assert.ok(w.lines.infrastructure.records().some((line) => String(line.message).startsWith('Lost the connection to RabbitMQ at 127.0.0.1:')));
  assert.deepEqual(await outbox(), ['ORD-2', 'ORD-3'], 'the messages wait in the outbox');
  assert.ok(during.every((id) => !delivered.has(id)));

  const off = await switchIncident('broker-outage', false);
  assert.equal(off.json().on, false);
  await waitFor(() => during.every((id) => delivered.has(id)), { what: 'the messages after the outage', timeoutMs: 15_000 });
  // A row leaves the outbox once its confirm is in, which may come after the delivery.
  await waitFor(async () => (await outbox()).length === 0, { what: 'the outbox to empty' });
});

test('broker-outage on the embedded queue cuts the queue\'s own PostgreSQL connection: R2/R3 from the queue while the APIs keep theirs', { timeout: 20_000 }, async (t) => {
  const databaseUrl = await requireServer(t, 'postgres');
  if (!databaseUrl) return;
  const { w, proxied, delivered, switchIncident, publish, outbox } = await workshopBehindProxies(t, { databaseUrl });
  // The queue's connection goes through two proxies; its lines name the server at the end, and the first proxy.
  const server = new URL(databaseUrl);
  const queueEndpoint = `${server.hostname}:${server.port || 5432}${server.pathname} via proxy 127.0.0.1:${new URL(proxied.queueDatabaseUrl!).port}`;
  const before = await publish('ORD-1');
  await waitFor(() => delivered.has(before), { what: 'a message before the outage' });

  assert.equal((await switchIncident('broker-outage', true)).statusCode, 200);
  const during = [await publish('ORD-2'), await publish('ORD-3')];
  await waitFor(() => w.lines.infrastructure.events('call-failed').some((line) => line['call.endpoint'] === queueEndpoint), { what: 'an R3 line after the queue\'s retries' });
  const retried = w.lines.infrastructure.events('call-retried');
  assert.ok(retried.some((line) => line['call.target'] === 'db' && line['call.endpoint'] === queueEndpoint && line['log.level'] === 'warn'), 'R2 for the queue\'s connection');
  assert.ok(retried.every((line) => line['call.endpoint'] === queueEndpoint), 'the APIs\' connection is not retried: only the queue lost its broker');
  assert.deepEqual(await outbox(), ['ORD-2', 'ORD-3'], 'published and read through the APIs\' connection, waiting for the relay');

  assert.equal((await switchIncident('broker-outage', false)).json().on, false);
  await waitFor(() => during.every((id) => delivered.has(id)), { what: 'the messages after the outage', timeoutMs: 15_000 });
  assert.deepEqual(await outbox(), []);
});

test('slow-database holds up every PostgreSQL round trip: the R14 lines show the delay until it ends', { timeout: 20_000 }, async (t) => {
  const databaseUrl = await requireServer(t, 'postgres');
  if (!databaseUrl) return;
  const { w, switchIncident } = await workshopBehindProxies(t, { databaseUrl, slowDatabaseDelayMs: 150 });
  const on = await switchIncident('slow-database', true);
  assert.equal(on.statusCode, 200, on.body);
  assert.deepEqual(on.json().on, true);
  await w.db.query('SELECT count(*) AS n FROM orders', [], { orderId: 'SLOW-PROBE' });
  const [slow] = w.lines.infrastructure.events('db-query').filter((line) => line['order.id'] === 'SLOW-PROBE');
  // Held 150 ms on the way to the server and 150 ms on the way back: never less.
  assert.ok(Number(slow?.['event.duration']) >= 300e6, `the query took ${Number(slow?.['event.duration']) / 1e6} ms`);
  assert.equal(slow?.['event.outcome'], 'success');

  const off = await switchIncident('slow-database', false);
  assert.equal(off.json().on, false);
  const state = await w.db.query<{ n: number }>('SELECT count(*) AS n FROM orders');
  assert.equal(state.rows.length, 1, 'the database answers after the incident');
});

test('database-outage cuts the workshop off PostgreSQL: the APIs answer 503, a message being handled waits without spending attempts, and is handled once it ends', { timeout: 60_000 }, async (t) => {
  const databaseUrl = await requireServer(t, 'postgres');
  const amqpUrl = databaseUrl && (await requireServer(t, 'rabbitmq'));
  if (!databaseUrl || !amqpUrl) return;
  const { w, prefix, switchIncident } = await workshopBehindProxies(t, { databaseUrl, amqpUrl });
  let outageOn!: () => void;
  const outage = new Promise<void>((resolve) => (outageOn = resolve));
  let deliveries = 0;
  let handled = 0;
  await w.queue.consume('outage-probe', ['outage.#'], async (message) => {
    deliveries += 1;
    await outage;
    await w.db.query('SELECT count(*) FROM orders', [], { orderId: message.orderId });
    handled += 1;
  }, { maxAttempts: 2, retryDelayMs: 50 });
  t.after(() => removeRabbitTopology(amqpUrl, { exchange: `${prefix}workshop`, consumers: [{ queue: `${prefix}outage-probe`, options: { maxAttempts: 2, retryDelayMs: 50 } }] }));
  await w.db.transaction((tx) => w.queue.publish(tx, 'outage.probe', { orderId: 'ORD-77', body: { orderId: 'ORD-77' } }));
  await waitFor(() => deliveries > 0, { what: 'the message in its handler' });

  const on = await switchIncident('database-outage', true);
  assert.equal(on.statusCode, 200, on.body);
  outageOn();
  const login = await new ApiClient(w.urls.shop).login('anna@example.com', 'correct horse');
  assert.equal(login.status, 503);
  assert.equal(login.body.error?.code, 'DB_UNAVAILABLE');
  // Each delivery fails only once the database layer's own retries ran out (a few seconds).
  await waitFor(() => deliveries >= 3, { what: 'three deliveries during the outage, more than the two attempts allowed', timeoutMs: 25_000 });

  assert.equal((await switchIncident('database-outage', false)).json().on, false);
  await waitFor(() => handled === 1, { what: 'the message handled once the database is back', timeoutMs: 15_000 });
  assert.deepEqual(await w.queue.deadLetters('outage-probe'), [], 'not dead-lettered for an outage');
  const failed = w.lines.infrastructure.events('message-failed').filter((line) => line['order.id'] === 'ORD-77');
  assert.ok(failed.length >= 2 && failed.every((line) => line['call.attempts_left'] === 2), 'R13 per failed delivery, no attempt spent');
});
