import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { createTestLog, proxyServer, testDatabaseTarget, waitFor } from '../testing/index.js';
import { openDatabase, type DatabaseRetryOptions } from './index.js';

const ordersTable = { version: 100, name: 'orders', sql: 'CREATE TABLE orders (id text PRIMARY KEY, status text NOT NULL)' };

/** The test PostgreSQL behind a TCP proxy, so the test can cut the connection. */
async function openBehindProxy(t: TestContext, retry: DatabaseRetryOptions) {
  const target = await testDatabaseTarget(t, 'postgres');
  if (!target?.url) return undefined;
  const server = new URL(target.url);
  const { proxy, url } = await proxyServer(server, 5432);
  t.after(() => proxy.close());
  const { log, lines } = createTestLog({ level: 'info' });
  const db = await openDatabase({ url, schema: target.schema, log, migrations: [ordersTable], retry });
  t.after(() => db.close());
  await db.query(`INSERT INTO orders VALUES ('ORD-1', 'NEW')`);
  lines.clear();
  // R2/R3 lines name the server the proxy leads to, and the proxy.
  return { db, proxy, lines, endpoint: `${server.hostname}:${server.port || 5432}${server.pathname} via proxy 127.0.0.1:${proxy.port}` };
}

test('a query during a connection outage is retried with R2 lines and answers once the server is back', async (t) => {
  const setup = await openBehindProxy(t, { attempts: 40, baseDelayMs: 20, maxDelayMs: 100 });
  if (!setup) return;
  const { db, proxy, lines, endpoint } = setup;
  proxy.pause();
  const answer = db.query<{ id: string }>('SELECT id FROM orders WHERE id = $1', ['ORD-1'], { orderId: 'ORD-1' });
  await waitFor(() => lines.events('call-retried').length >= 2, { what: 'two retries' });
  proxy.resume();
  assert.deepEqual((await answer).rows, [{ id: 'ORD-1' }]);

  const retried = lines.events('call-retried');
  assert.equal(retried[0]?.['log.level'], 'warn');
  assert.equal(retried[0]?.['call.target'], 'db');
  assert.equal(retried[0]?.['call.method'], 'SELECT');
  assert.equal(retried[0]?.['call.endpoint'], endpoint);
  assert.equal(retried[0]?.['call.attempt'], 1);
  assert.equal(retried[0]?.['call.attempts_left'], 39);
  assert.ok(retried.some((line) => line['error.code'] === 'ECONNRESET'), 'the server is unreachable: connections are reset');
  assert.equal(lines.events('call-failed').length, 0);
  const failedAttempts = lines.events('db-error').filter((line) => line['db.operation'] === 'SELECT');
  assert.ok(failedAttempts.length >= 2, 'each failed attempt is an R15 line');
  assert.equal(failedAttempts[0]?.['order.id'], 'ORD-1');
  const [served] = lines.events('db-query');
  assert.equal(served?.['event.outcome'], 'success');
});

test('a query during a longer outage fails after its last attempt with an R3 line', async (t) => {
  const setup = await openBehindProxy(t, { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 });
  if (!setup) return;
  const { db, proxy, lines, endpoint } = setup;
  proxy.pause();
  await assert.rejects(db.query(`UPDATE orders SET status = 'PRICED' WHERE id = 'ORD-1'`), { code: 'ECONNRESET' });
  assert.equal(lines.events('call-retried').length, 2);
  const [failed] = lines.events('call-failed');
  assert.equal(failed?.['log.level'], 'error');
  assert.equal(failed?.['call.method'], 'UPDATE');
  assert.equal(failed?.['call.endpoint'], endpoint);
  assert.equal(failed?.['call.attempt'], 3);
  assert.equal(failed?.['error.code'], 'ECONNRESET');

  proxy.resume();
  const { rows } = await db.query<{ status: string }>('SELECT status FROM orders');
  assert.deepEqual(rows, [{ status: 'NEW' }], 'the pool serves again after the outage');
});

test('a transaction cut off mid-way rolls back, and the lost idle connections never crash the process', async (t) => {
  const setup = await openBehindProxy(t, { attempts: 40, baseDelayMs: 20, maxDelayMs: 100 });
  if (!setup) return;
  const { db, proxy, lines } = setup;
  // Two pooled connections: one is idle when the outage starts.
  await Promise.all([db.query('SELECT pg_sleep(0.05)'), db.query('SELECT pg_sleep(0.05)')]);
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query(`INSERT INTO orders VALUES ('ORD-2', 'NEW')`, [], { orderId: 'ORD-2' });
      proxy.pause();
      await tx.query(`UPDATE orders SET status = 'PRICED' WHERE id = 'ORD-2'`, [], { orderId: 'ORD-2' });
    }),
  );
  assert.equal(lines.events('call-retried').length, 0, 'nothing inside a transaction is sent twice');
  await waitFor(() => lines.events('db-error').some((line) => line['db.operation'] === 'CONNECTION'), { what: 'the idle connection loss' });
  proxy.resume();
  const { rows } = await db.query<{ id: string }>('SELECT id FROM orders ORDER BY id');
  assert.deepEqual(rows, [{ id: 'ORD-1' }]);
  const lost = lines.events('db-error').find((line) => line['db.operation'] === 'CONNECTION');
  assert.match(String(lost?.message), /^Database CONNECTION failed: Idle connection lost: /);
});

test('a connection lost while its transaction is beginning fails that transaction and never crashes the process', async (t) => {
  const setup = await openBehindProxy(t, { attempts: 1 });
  if (!setup) return;
  const { db, proxy } = setup;
  // BEGIN goes out on the pooled connection and is held in the proxy; the cut comes before its answer.
  proxy.delay(400);
  const started = db.transaction(async (tx) => tx.query(`UPDATE orders SET status = 'PRICED' WHERE id = 'ORD-1'`));
  await new Promise((resolve) => setTimeout(resolve, 150));
  proxy.pause();
  await assert.rejects(started, /ECONNRESET|Connection terminated/);
  proxy.delay(0);
  proxy.resume();
  const { rows } = await db.query<{ status: string }>('SELECT status FROM orders');
  assert.deepEqual(rows, [{ status: 'NEW' }], 'still running, and nothing was changed');
});
