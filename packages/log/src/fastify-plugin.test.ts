import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { LoupeError } from '@loupe/schema';
import { createLogger } from './create-logger.js';
import { loupeFastifyPlugin } from './fastify-plugin.js';
import { MemoryDestination } from './memory-destination.js';

async function buildApp() {
  const destination = new MemoryDestination();
  const log = createLogger({ service: 'shop-api', destination });
  const app = Fastify({ logger: false });
  await app.register(loupeFastifyPlugin, { log, adminToken: 'admin-secret' });
  app.get('/orders/:id', async (request) => {
    request.userId = 'CUS-7';
    return { id: (request.params as { id: string }).id };
  });
  app.post('/orders', async (request, reply) => {
    const body = request.body as { customerId: string };
    log.orderCreated({ orderId: 'ORD-1042', customerId: body.customerId, status: 'NEW' });
    return reply.status(201).send({ id: 'ORD-1042' });
  });
  app.get('/boom', async () => {
    const order = undefined as unknown as { id: string };
    return order.id;
  });
  app.get('/conflict', async () => {
    throw new LoupeError('ORDER_BAD_TRANSITION', 'Order ORD-1 cannot go from NEW to SHIPPED', 409);
  });
  await app.ready();
  return { app, destination, log };
}

test('R1 a request served through the plugin logs method, route, status, duration, user and trace id', async () => {
  const { app, destination } = await buildApp();
  const response = await app.inject({ method: 'GET', url: '/orders/ORD-1042?verbose=1' });
  assert.equal(response.statusCode, 200);
  const [line] = destination.events('http-request');
  assert.ok(line);
  assert.equal(line['http.request.method'], 'GET');
  assert.equal(line['url.path'], '/orders/ORD-1042');
  assert.equal(line['http.route'], '/orders/:id');
  assert.equal(line['http.response.status_code'], 200);
  assert.equal(line['user.id'], 'CUS-7');
  assert.equal(line['client.ip'], '127.0.0.1');
  assert.ok(typeof line['event.duration'] === 'number' && line['event.duration'] > 0);
  assert.match(String(line['trace.id']), /^[0-9a-f]{32}$/);
  assert.equal(response.headers.traceparent, `00-${String(line['trace.id'])}-${String(line['span.id'])}-01`);
});

test('R21 an incoming traceparent is continued, and lines written in the handler share its trace id', async () => {
  const { app, destination } = await buildApp();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const response = await app.inject({
    method: 'POST', url: '/orders', payload: { customerId: 'CUS-7' },
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  assert.equal(response.statusCode, 201);
  const [created] = destination.events('order-created');
  const [served] = destination.events('http-request');
  assert.equal(created?.['trace.id'], traceId);
  assert.equal(served?.['trace.id'], traceId);
  assert.notEqual(served?.['span.id'], '00f067aa0ba902b7');
});

test('R17 an exception logs the error with stack and request context and answers {error:{code,message}}', async () => {
  const { app, destination } = await buildApp();
  const response = await app.inject({ method: 'GET', url: '/boom' });
  assert.equal(response.statusCode, 500);
  const body = response.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'INTERNAL');
  const [line] = destination.events('unhandled-error');
  assert.ok(line);
  assert.equal(line['log.level'], 'error');
  assert.equal(line['error.type'], 'TypeError');
  assert.match(String(line['error.stack_trace']), /TypeError: Cannot read properties of undefined/);
  assert.equal(line['http.request.method'], 'GET');
  assert.equal(line['url.path'], '/boom');
  assert.equal(line['http.route'], '/boom');
  assert.ok(body.error.message.includes(String(line['http.request.id'])));
  assert.equal(line['trace.id'], destination.events('http-request')[0]?.['trace.id']);
});

test('bad input gets a 4xx with a stable code and no R17 line', async () => {
  const { app, destination } = await buildApp();
  const malformed = await app.inject({ method: 'POST', url: '/orders', payload: '{"customerId": ', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.statusCode, 400);
  assert.equal((malformed.json() as { error: { code: string } }).error.code, 'INVALID_JSON');
  const conflict = await app.inject({ method: 'GET', url: '/conflict' });
  assert.equal(conflict.statusCode, 409);
  assert.deepEqual(conflict.json(), { error: { code: 'ORDER_BAD_TRANSITION', message: 'Order ORD-1 cannot go from NEW to SHIPPED' } });
  const missing = await app.inject({ method: 'GET', url: '/nowhere' });
  assert.equal(missing.statusCode, 404);
  assert.equal((missing.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
  assert.equal(destination.events('unhandled-error').length, 0);
  assert.deepEqual(destination.events('http-request').map((l) => l['http.response.status_code']), [400, 409, 404]);
});

test('R18 the admin route switches the level at run time and refuses without the token', async () => {
  const { app, log } = await buildApp();
  const refused = await app.inject({ method: 'PUT', url: '/admin/log-level', payload: { level: 'debug' } });
  assert.equal(refused.statusCode, 401);
  const bad = await app.inject({ method: 'PUT', url: '/admin/log-level', payload: { level: 'loud' }, headers: { authorization: 'Bearer admin-secret' } });
  assert.equal(bad.statusCode, 400);
  const ok = await app.inject({ method: 'PUT', url: '/admin/log-level', payload: { level: 'debug' }, headers: { authorization: 'Bearer admin-secret' } });
  assert.deepEqual(ok.json(), { service: 'shop-api', level: 'debug' });
  assert.equal(log.level, 'debug');
});
