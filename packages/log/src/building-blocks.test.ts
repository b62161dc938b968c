import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { createLogger } from './create-logger.js';
import { instrumentQueries, describeQuery } from './db-query.js';
import { startHeartbeat } from './heartbeat.js';
import { MemoryDestination } from './memory-destination.js';
import { consumeWithLog, publishWithLog } from './messaging.js';
import { withRetry } from './retry.js';
import { runInSpan } from './trace-context.js';

function memoryLogger(level: 'info' | 'debug' = 'info') {
  const destination = new MemoryDestination();
  return { destination, log: createLogger({ service: 'mes-api', destination, level }) };
}

test('R2 each retry logs a WARN with the attempts left, R3 an ERROR when they run out', async () => {
  const { destination, log } = memoryLogger();
  const call = { target: 'http', method: 'POST', endpoint: 'http://127.0.0.1:9/analyse' };
  await assert.rejects(
    withRetry(log, call, async () => { throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 }); }, { attempts: 3, baseDelayMs: 1 }),
    /Service Unavailable/,
  );
  const retries = destination.events('call-retried');
  assert.deepEqual(retries.map((l) => [l['log.level'], l['call.attempt'], l['call.attempts_left'], l['call.status_code']]), [['warn', 1, 2, 503], ['warn', 2, 1, 503]]);
  const [failed] = destination.events('call-failed');
  assert.equal(failed?.['log.level'], 'error');
  assert.equal(failed?.['call.attempt'], 3);
  assert.equal(failed?.['error.message'], 'Service Unavailable');
});

test('R3 retries end when their signal is aborted (the process stopping): one last attempt, then the ERROR', async () => {
  const { destination, log } = memoryLogger();
  const stopping = new AbortController();
  let calls = 0;
  const retrying = withRetry(log, { target: 'amqp', method: 'publish', endpoint: 'rabbit' }, async () => {
    calls++;
    // The first failure starts a wait of up to a minute; the stop comes during it.
    if (calls === 1) setImmediate(() => stopping.abort());
    throw new Error('broker down');
  }, { attempts: 8, baseDelayMs: 60_000, maxDelayMs: 60_000, signal: stopping.signal });
  await assert.rejects(retrying, /broker down/);
  assert.equal(calls, 2);
  assert.equal(destination.events('call-retried').length, 1);
  assert.equal(destination.events('call-failed')[0]?.['call.attempt'], 2);
});

test('R3 an error the callee answered (a refusal) is rethrown at once, with neither R2 nor R3', async () => {
  const { destination, log } = memoryLogger();
  let calls = 0;
  const refusal = Object.assign(new Error('the model is not a closed surface'), { status: 422 });
  await assert.rejects(withRetry(log, { target: 'http', method: 'POST', endpoint: 'http://files/models' }, async () => {
    calls++;
    throw refusal;
  }, { baseDelayMs: 1, answered: (error) => error === refusal }), /closed surface/);
  assert.equal(calls, 1);
  assert.equal(destination.events('call-retried').length + destination.events('call-failed').length, 0);
});

test('a call that succeeds on a retry logs only the WARN', async () => {
  const { destination, log } = memoryLogger();
  let calls = 0;
  const result = await withRetry(log, { target: 'db', method: 'SELECT', endpoint: 'orders' }, async () => {
    calls++;
    if (calls === 1) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    return 'ok';
  }, { baseDelayMs: 1 });
  assert.equal(result, 'ok');
  assert.equal(destination.events('call-retried')[0]?.['error.code'], 'ECONNRESET');
  assert.equal(destination.events('call-failed').length, 0);
});

test('R14 and R15 a real query logs type, table, order, duration and outcome; a failing one its error code', async () => {
  const { destination, log } = memoryLogger('debug');
  const db = await PGlite.create();
  const query = instrumentQueries(log, { hotReadTables: ['orders'] });
  try {
    await query('CREATE TABLE orders (id text primary key, status text)', () => db.query('CREATE TABLE orders (id text primary key, status text)'));
    const insert = 'INSERT INTO orders (id, status) VALUES ($1, $2)';
    await query(insert, () => db.query(insert, ['ORD-1042', 'NEW']), { orderId: 'ORD-1042' });
    const select = 'SELECT status FROM orders WHERE id = $1';
    const rows = await query(select, () => db.query(select, ['ORD-1042']), { orderId: 'ORD-1042' });
    assert.deepEqual(rows.rows, [{ status: 'NEW' }]);
    const broken = 'SELECT nope FROM orders';
    await assert.rejects(query(broken, () => db.query(broken)), /column "nope" does not exist/);
  } finally {
    await db.close();
  }
  const queries = destination.events('db-query');
  assert.deepEqual(queries.map((l) => [l['log.level'], l['db.operation'], l['db.sql.table'], l['order.id'], l['event.outcome']]), [
    ['info', 'CREATE', 'orders', undefined, 'success'],
    ['info', 'INSERT', 'orders', 'ORD-1042', 'success'],
    ['debug', 'SELECT', 'orders', 'ORD-1042', 'success'],
  ]);
  assert.ok(queries.every((l) => typeof l['event.duration'] === 'number' && l['event.duration'] > 0));
  const [error] = destination.events('db-error');
  assert.equal(error?.['log.level'], 'error');
  assert.equal(error?.['error.code'], '42703');
  assert.equal(error?.['db.operation'], 'SELECT');
});

test('statement shapes are read from real SQL', () => {
  assert.deepEqual(describeQuery('  -- find one\nselect * from "public"."orders" o join items i on true'), { queryType: 'SELECT', table: 'public.orders' });
  assert.deepEqual(describeQuery('UPDATE orders SET status = $1'), { queryType: 'UPDATE', table: 'orders' });
  assert.deepEqual(describeQuery('DELETE FROM outbox WHERE id = $1'), { queryType: 'DELETE', table: 'outbox' });
  assert.deepEqual(describeQuery('WITH x AS (SELECT 1) INSERT INTO audit SELECT * FROM x'), { queryType: 'INSERT', table: 'audit' });
});

test('R11 and R21 a consumed message continues the publisher\'s trace; R13 logs a consumer failure', async () => {
  const { destination, log } = memoryLogger();
  let sent: Record<string, string> = {};
  const payload = { orderId: 'ORD-1042', customer: { email: 'anna.petrova@mail.ru', phone: '+7 912 345-67-89' } };
  await runInSpan('publish', () => publishWithLog(log, { messageId: 'MSG-1', routingKey: 'order.created', orderId: 'ORD-1042', payload }, async (headers) => { sent = headers; }));
  assert.match(sent.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

  const outcome = await consumeWithLog(log, { messageId: 'MSG-1', routingKey: 'order.created', orderId: 'ORD-1042', headers: sent, queue: 'mes.orders' }, async () => {
    log.operatorAssigned({ orderId: 'ORD-1042', operatorId: 'OP-3' });
    return 'ack';
  });
  assert.equal(outcome, 'ack');
  const [published] = destination.events('message-published');
  const [consumed] = destination.events('message-consumed');
  const [assigned] = destination.events('operator-assigned');
  assert.equal(consumed?.['trace.id'], published?.['trace.id']);
  assert.equal(assigned?.['trace.id'], published?.['trace.id']);
  assert.equal(consumed?.['event.outcome'], 'ack');
  const loggedPayload = String(published?.['message.payload']);
  assert.ok(loggedPayload.includes('ORD-1042'));
  assert.ok(!loggedPayload.includes('anna.petrova') && !loggedPayload.includes('345-67-89'), loggedPayload);

  const failed = await consumeWithLog(log, { messageId: 'MSG-2', routingKey: 'order.created', headers: sent }, async () => {
    throw Object.assign(new Error('order ORD-7 not found'), { code: 'ORDER_NOT_FOUND' });
  });
  assert.equal(failed, 'retry');
  const [error] = destination.events('message-failed');
  assert.deepEqual([error?.['message.operation'], error?.['error.code'], error?.['error.message']], ['consume', 'ORDER_NOT_FOUND', 'order ORD-7 not found']);
});

test('R13 a failed publish is logged and rethrown', async () => {
  const { destination, log } = memoryLogger();
  await assert.rejects(publishWithLog(log, { messageId: 'MSG-3', routingKey: 'order.created' }, async () => {
    throw Object.assign(new Error('Channel closed'), { code: 'ECHANNELCLOSED' });
  }), /Channel closed/);
  assert.equal(destination.events('message-failed')[0]?.['error.code'], 'ECHANNELCLOSED');
});

test('R19 the heartbeat reports cpu, memory, event-loop delay and uptime', async () => {
  const { destination, log } = memoryLogger();
  const stop = startHeartbeat(log, { intervalMs: 20 });
  await sleep(70);
  stop();
  const [beat] = destination.events('heartbeat');
  assert.ok(beat);
  for (const field of ['process.cpu.pct', 'process.memory.rss', 'process.memory.heap_used', 'process.memory.heap_total', 'process.event_loop.delay_ms', 'process.uptime']) {
    assert.equal(typeof beat[field], 'number', field);
  }
  assert.ok((beat['process.memory.rss'] as number) > 1_000_000);
});
