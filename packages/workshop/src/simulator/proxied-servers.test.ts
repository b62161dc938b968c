import { test } from 'node:test';
import assert from 'node:assert/strict';
import { putServersBehindProxies } from './proxied-servers.js';

test('PostgreSQL without RabbitMQ: the workshop and the embedded queue each get a proxied URL, credentials and database kept', async (t) => {
  const servers = await putServersBehindProxies({ databaseUrl: 'postgres://shop:secret@db.example:6543/workshop' });
  t.after(() => servers.close());
  const database = new URL(servers.databaseUrl!);
  const queue = new URL(servers.queueDatabaseUrl!);
  assert.equal(database.hostname, '127.0.0.1');
  assert.equal(queue.hostname, '127.0.0.1');
  assert.notEqual(database.port, queue.port, 'the queue has a connection of its own to cut');
  assert.deepEqual([database.username, database.password, database.pathname], ['shop', 'secret', '/workshop']);
  assert.equal(servers.amqpUrl, undefined);
  assert.equal(typeof servers.switches.brokerOutage, 'function');
  assert.equal(typeof servers.switches.slowDatabase, 'function');
  assert.equal(typeof servers.switches.databaseOutage, 'function');
  assert.deepEqual(servers.switches.unavailable, {});
  assert.match(servers.describe, /^PostgreSQL via 127\.0\.0\.1:\d+, the embedded queue's PostgreSQL connection via 127\.0\.0\.1:\d+$/);
});

test('RabbitMQ gets a proxy broker-outage pauses, and the queue keeps the database\'s connection', async (t) => {
  const servers = await putServersBehindProxies({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres', amqpUrl: 'amqp://guest:guest@rabbit.example/orders' });
  t.after(() => servers.close());
  const broker = new URL(servers.amqpUrl!);
  assert.deepEqual([broker.hostname, broker.username, broker.pathname], ['127.0.0.1', 'guest', '/orders']);
  assert.equal(servers.queueDatabaseUrl, undefined);
  assert.equal(typeof servers.switches.brokerOutage, 'function');
});

test('URLs a proxy on 127.0.0.1 would break are used as given, and their incidents say why they cannot be had', async (t) => {
  const servers = await putServersBehindProxies({ databaseUrl: 'postgres://db.example/workshop?sslmode=verify-full', amqpUrl: 'amqps://rabbit.example' });
  t.after(() => servers.close());
  assert.equal(servers.databaseUrl, 'postgres://db.example/workshop?sslmode=verify-full');
  assert.equal(servers.amqpUrl, 'amqps://rabbit.example');
  assert.equal(servers.switches.brokerOutage, undefined);
  assert.equal(servers.switches.slowDatabase, undefined);
  assert.match(servers.switches.unavailable!['slow-database']!, /^slow-database cannot proxy DATABASE_URL: TLS \(sslmode\) checks the server's name/);
  assert.equal(servers.switches.databaseOutage, undefined);
  assert.match(servers.switches.unavailable!['database-outage']!, /^database-outage cannot proxy DATABASE_URL: TLS \(sslmode\)/);
  assert.match(servers.switches.unavailable!['broker-outage']!, /^broker-outage cannot proxy AMQP_URL: TLS \(amqps:\)/);
  assert.equal(servers.describe, 'no servers to proxy');
});
