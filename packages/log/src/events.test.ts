import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventCatalogue, type EventName, type EventParams } from '@loupe/schema';
import { createLogger } from './create-logger.js';
import { createFieldCipher, generateKey } from './mask/field-cipher.js';
import { MemoryDestination } from './memory-destination.js';
import { runInSpan } from './trace-context.js';

type Example<E extends EventName> = { params: EventParams<E>; line: Record<string, unknown> };
type Examples = { [E in EventName]: Example<E> };

// R1–R19: the exact line each event helper writes (every field but @timestamp, trace.id and span.id).
const examples: Examples = {
  httpRequestServed: {
    params: { method: 'POST', path: '/orders', route: '/orders', statusCode: 201, durationNs: 1_520_000, clientIp: '10.1.2.3', userId: 'CUS-7', requestId: 'req-1' },
    line: { 'log.level': 'info', 'event.action': 'http-request', message: 'POST /orders 201', 'http.request.method': 'POST', 'url.path': '/orders', 'http.route': '/orders', 'http.response.status_code': 201, 'event.duration': 1_520_000, 'client.ip': '10.1.2.3', 'user.id': 'CUS-7', 'http.request.id': 'req-1' },
  },
  callRetried: {
    params: { target: 'http', method: 'POST', endpoint: 'http://file-storage/analyse', statusCode: 503, errorMessage: 'Service Unavailable', attempt: 1, attemptsLeft: 2 },
    line: { 'log.level': 'warn', 'event.action': 'call-retried', message: 'Retrying http POST http://file-storage/analyse: attempt 1 failed, 2 left', 'call.target': 'http', 'call.method': 'POST', 'call.endpoint': 'http://file-storage/analyse', 'call.status_code': 503, 'error.message': 'Service Unavailable', 'call.attempt': 1, 'call.attempts_left': 2 },
  },
  callFailed: {
    params: { target: 'db', method: 'SELECT', endpoint: 'orders', errorCode: 'ETIMEDOUT', errorMessage: 'connect ETIMEDOUT', attempts: 3 },
    line: { 'log.level': 'error', 'event.action': 'call-failed', message: 'db SELECT orders failed after 3 attempts', 'call.target': 'db', 'call.method': 'SELECT', 'call.endpoint': 'orders', 'error.code': 'ETIMEDOUT', 'error.message': 'connect ETIMEDOUT', 'call.attempt': 3 },
  },
  orderCreated: {
    params: { orderId: 'ORD-1042', customerId: 'CUS-7', status: 'NEW' },
    line: { 'log.level': 'info', 'event.action': 'order-created', message: 'Order ORD-1042 created with status NEW', 'order.id': 'ORD-1042', 'customer.id': 'CUS-7', 'order.status': 'NEW' },
  },
  orderStatusChanged: {
    params: { orderId: 'ORD-1042', customerId: 'CUS-7', from: 'NEW', to: 'PRICE_CALCULATING' },
    line: { 'log.level': 'info', 'event.action': 'order-status-changed', message: 'Order ORD-1042 status changed from NEW to PRICE_CALCULATING', 'order.id': 'ORD-1042', 'customer.id': 'CUS-7', 'order.previous_status': 'NEW', 'order.status': 'PRICE_CALCULATING' },
  },
  modelUploaded: {
    params: { orderId: 'ORD-1042', customerId: 'CUS-7', fileId: 'FILE-9', sizeBytes: 684 },
    line: { 'log.level': 'info', 'event.action': 'model-uploaded', message: 'Model FILE-9 uploaded (684 bytes)', 'order.id': 'ORD-1042', 'customer.id': 'CUS-7', 'model.file_id': 'FILE-9', 'model.size_bytes': 684 },
  },
  modelProcessed: {
    params: { fileId: 'FILE-9', start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:00:00.250Z', durationNs: 250_000_000, result: 'failure', errorMessage: 'truncated at facet 12', level: 'error' },
    line: { 'log.level': 'error', 'event.action': 'model-processed', message: 'Model FILE-9 processed: failure', 'model.file_id': 'FILE-9', 'event.start': '2026-11-21T10:00:00.000Z', 'event.end': '2026-11-21T10:00:00.250Z', 'event.duration': 250_000_000, 'event.outcome': 'failure', 'error.message': 'truncated at facet 12' },
  },
  priceCalculationStarted: {
    params: { orderId: 'ORD-1042', customerId: 'CUS-7', polygonCount: 12_000 },
    line: { 'log.level': 'info', 'event.action': 'price-calculation-started', message: 'Price calculation for order ORD-1042 started', 'order.id': 'ORD-1042', 'customer.id': 'CUS-7', 'model.polygon_count': 12_000 },
  },
  priceCalculationFinished: {
    params: { orderId: 'ORD-1042', customerId: 'CUS-7', polygonCount: 12_000, durationNs: 40_000_000, status: 'CALCULATED', cost: 18_450.5, currency: 'RUB' },
    line: { 'log.level': 'info', 'event.action': 'price-calculation-finished', message: 'Price calculation for order ORD-1042 finished: CALCULATED', 'order.id': 'ORD-1042', 'customer.id': 'CUS-7', 'model.polygon_count': 12_000, 'event.duration': 40_000_000, 'pricing.status': 'CALCULATED', 'pricing.cost': 18_450.5, 'pricing.currency': 'RUB' },
  },
  priceCalculationStatusChanged: {
    params: { orderId: 'ORD-1042', from: 'PENDING', to: 'IN_PROGRESS' },
    line: { 'log.level': 'info', 'event.action': 'price-calculation-status-changed', message: 'Price calculation for order ORD-1042 moved from PENDING to IN_PROGRESS', 'order.id': 'ORD-1042', 'pricing.previous_status': 'PENDING', 'pricing.status': 'IN_PROGRESS' },
  },
  operatorAssigned: {
    params: { orderId: 'ORD-1042', operatorId: 'OP-3' },
    line: { 'log.level': 'info', 'event.action': 'operator-assigned', message: 'Operator OP-3 assigned to order ORD-1042', 'order.id': 'ORD-1042', 'operator.id': 'OP-3' },
  },
  messagePublished: {
    params: { messageId: 'MSG-1', orderId: 'ORD-1042', routingKey: 'order.to-manufacturing', outcome: 'confirmed', payload: '{"orderId":"ORD-1042","email":"anna.petrova@mail.ru"}' },
    line: { 'log.level': 'info', 'event.action': 'message-published', message: 'Message MSG-1 published to order.to-manufacturing', 'message.id': 'MSG-1', 'order.id': 'ORD-1042', 'message.routing_key': 'order.to-manufacturing', 'event.outcome': 'confirmed', 'message.payload': '{"orderId":"ORD-1042","email":"[EMAIL]"}' },
  },
  messageConsumed: {
    params: { messageId: 'MSG-1', orderId: 'ORD-1042', routingKey: 'order.to-manufacturing', queue: 'mes.orders', outcome: 'ack' },
    line: { 'log.level': 'info', 'event.action': 'message-consumed', message: 'Message MSG-1 from order.to-manufacturing consumed: ack', 'message.id': 'MSG-1', 'order.id': 'ORD-1042', 'message.routing_key': 'order.to-manufacturing', 'message.queue': 'mes.orders', 'event.outcome': 'ack' },
  },
  messageDeadLettered: {
    params: { messageId: 'MSG-1', orderId: 'ORD-1042', reason: 'rejected 5 times', routingKey: 'order.to-manufacturing' },
    line: { 'log.level': 'warn', 'event.action': 'message-dead-lettered', message: 'Message MSG-1 dead-lettered: rejected 5 times', 'message.id': 'MSG-1', 'order.id': 'ORD-1042', 'message.dead_letter_reason': 'rejected 5 times', 'message.routing_key': 'order.to-manufacturing' },
  },
  messageFailed: {
    params: { operation: 'publish', messageId: 'MSG-1', orderId: 'ORD-1042', errorCode: 'ECONNREFUSED', errorMessage: 'connect ECONNREFUSED 127.0.0.1:5672' },
    line: { 'log.level': 'error', 'event.action': 'message-failed', message: 'Failed to publish message MSG-1: connect ECONNREFUSED 127.0.0.1:5672', 'message.operation': 'publish', 'message.id': 'MSG-1', 'order.id': 'ORD-1042', 'error.code': 'ECONNREFUSED', 'error.message': 'connect ECONNREFUSED 127.0.0.1:5672' },
  },
  dbQueryExecuted: {
    params: { queryType: 'UPDATE', table: 'orders', orderId: 'ORD-1042', durationNs: 820_000, outcome: 'success' },
    line: { 'log.level': 'info', 'event.action': 'db-query', message: 'UPDATE orders success', 'db.operation': 'UPDATE', 'db.sql.table': 'orders', 'order.id': 'ORD-1042', 'event.duration': 820_000, 'event.outcome': 'success' },
  },
  dbError: {
    params: { queryType: 'SELECT', table: 'orders', errorCode: '57P01', errorMessage: 'terminating connection due to administrator command' },
    line: { 'log.level': 'error', 'event.action': 'db-error', message: 'Database SELECT failed: terminating connection due to administrator command', 'db.operation': 'SELECT', 'db.sql.table': 'orders', 'error.code': '57P01', 'error.message': 'terminating connection due to administrator command' },
  },
  userCreated: {
    params: { userId: 'CUS-7', login: 'anna.petrova@mail.ru', clientIp: '10.1.2.3', outcome: 'success' },
    line: { 'log.level': 'info', 'event.action': 'user-created', message: 'User created', 'user.id': 'CUS-7', 'user.name': '[EMAIL]', 'client.ip': '10.1.2.3', 'event.outcome': 'success' },
  },
  userUpdated: {
    params: { userId: 'CUS-7', outcome: 'success' },
    line: { 'log.level': 'info', 'event.action': 'user-updated', message: 'User updated', 'user.id': 'CUS-7', 'event.outcome': 'success' },
  },
  userLoggedIn: {
    params: { userId: 'OP-3', clientIp: '10.1.2.3', outcome: 'success' },
    line: { 'log.level': 'info', 'event.action': 'user-logged-in', message: 'User logged in', 'user.id': 'OP-3', 'client.ip': '10.1.2.3', 'event.outcome': 'success' },
  },
  userLoginFailed: {
    params: { login: 'anna.petrova@mail.ru', clientIp: '10.1.2.3', outcome: 'failure', failuresInWindow: 5, level: 'warn' },
    line: { 'log.level': 'warn', 'event.action': 'user-login-failed', message: 'Login failed (5 failures in window)', 'user.name': '[EMAIL]', 'client.ip': '10.1.2.3', 'event.outcome': 'failure', 'user.failed_logins': 5 },
  },
  unhandledError: {
    params: { errorType: 'TypeError', errorMessage: 'Cannot read properties of undefined', stack: 'TypeError: Cannot read properties of undefined\n    at handler (orders.js:10:5)', method: 'GET', path: '/orders/ORD-1042', route: '/orders/:id' },
    line: { 'log.level': 'error', 'event.action': 'unhandled-error', message: 'Unhandled TypeError: Cannot read properties of undefined', 'error.type': 'TypeError', 'error.message': 'Cannot read properties of undefined', 'error.stack_trace': 'TypeError: Cannot read properties of undefined\n    at handler (orders.js:10:5)', 'http.request.method': 'GET', 'url.path': '/orders/ORD-1042', 'http.route': '/orders/:id' },
  },
  debugDetail: {
    params: { detail: 'pricing inputs for ORD-1042: density 15.5, owner ivan@example.com' },
    line: { 'log.level': 'debug', 'event.action': 'debug', message: 'pricing inputs for ORD-1042: density 15.5, owner [EMAIL]' },
  },
  heartbeat: {
    params: { cpuPercent: 12.5, rssBytes: 80_000_000, heapUsedBytes: 30_000_000, heapTotalBytes: 50_000_000, eventLoopDelayMs: 1.2, uptimeSeconds: 3600 },
    line: { 'log.level': 'info', 'event.action': 'heartbeat', message: 'Heartbeat', 'process.cpu.pct': 12.5, 'process.memory.rss': 80_000_000, 'process.memory.heap_used': 30_000_000, 'process.memory.heap_total': 50_000_000, 'process.event_loop.delay_ms': 1.2, 'process.uptime': 3600 },
  },
};

for (const name of Object.keys(eventCatalogue) as EventName[]) {
  const spec = eventCatalogue[name];
  test(`${spec.requirement} ${name} writes its exact ECS line with trace context`, () => {
    const destination = new MemoryDestination();
    const log = createLogger({ service: 'mes-api', level: 'debug', destination });
    const example = examples[name] as Example<EventName>;
    runInSpan('test', () => {
      (log[name] as (p: unknown) => void)(example.params);
    });
    const [line, ...rest] = destination.records();
    assert.equal(rest.length, 0);
    assert.ok(line);
    assert.match(String(line['@timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(String(line['trace.id']), /^[0-9a-f]{32}$/);
    assert.match(String(line['span.id']), /^[0-9a-f]{16}$/);
    const { '@timestamp': _t, 'trace.id': _tr, 'span.id': _s, ...rest2 } = line;
    assert.deepEqual(rest2, { 'service.name': 'mes-api', ...example.line });
  });
}

test('lines outside any request or message carry no trace fields', () => {
  const destination = new MemoryDestination();
  const log = createLogger({ service: 'shop-api', destination });
  log.orderCreated({ orderId: 'ORD-1', customerId: 'CUS-1', status: 'NEW' });
  assert.equal(destination.records()[0]?.['trace.id'], undefined);
});

test('R18 debug detail is off by default and switchable at run time', () => {
  const destination = new MemoryDestination();
  const log = createLogger({ service: 'mes-api', destination });
  log.debugDetail({ detail: 'hidden' });
  assert.equal(destination.lines.length, 0);
  log.level = 'debug';
  log.debugDetail({ detail: 'shown' });
  assert.deepEqual(destination.records().map((r) => r.message), ['shown']);
  assert.throws(() => { log.level = 'verbose' as never; }, /Unknown log level "verbose"/);
});

test('R22 generic lines mask the message and free-text fields but keep ids', () => {
  const destination = new MemoryDestination();
  const log = createLogger({ service: 'crm-api', destination });
  log.info('Operator called +7 (912) 345-67-89 about ORD-1042', { 'order.id': 'ORD-1042', note: 'write to anna.petrova@mail.ru' });
  const [line] = destination.records();
  assert.equal(line?.message, 'Operator called [PHONE] about ORD-1042');
  assert.equal(line?.['order.id'], 'ORD-1042');
  assert.equal(line?.note, 'write to [EMAIL]');
});

test('R22 an Error in a field is written as its ECS fields with its own properties, masked as any other field', () => {
  const destination = new MemoryDestination();
  const log = createLogger({ service: 'crm-api', destination });
  const error = Object.assign(new Error('no cart for anna.petrova@mail.ru'), { code: 'CART_MISSING', details: { phone: '+79123456789' } });
  log.error('Cart lookup failed', { err: error, context: { err: error } });
  const [line] = destination.records();
  for (const written of [line?.err, (line?.context as Record<string, unknown>).err] as Array<Record<string, unknown>>) {
    assert.equal(written.type, 'Error');
    assert.equal(written.message, 'no cart for [EMAIL]');
    assert.equal(written.code, 'CART_MISSING');
    assert.deepEqual(written.details, { phone: '[PHONE]' });
    assert.match(String(written.stack_trace), /^Error: no cart for \[EMAIL\]\n/);
  }
  assert.ok(!destination.lines[0]!.includes('anna.petrova') && !destination.lines[0]!.includes('79123456789'));
});

test('R22 fields kept encrypted are encrypted in event lines too, and the message does not carry them in clear', () => {
  const destination = new MemoryDestination();
  const cipher = createFieldCipher({ keys: [{ id: 'k1', key: generateKey() }], activeKeyId: 'k1' });
  const log = createLogger({ service: 'mes-api', destination, encryptFields: ['customer.id', 'operator.id', 'message'], cipher });
  log.orderStatusChanged({ orderId: 'ORD-1042', customerId: 'CUS-7', from: 'NEW', to: 'MODEL_UPLOADED' });
  log.operatorAssigned({ orderId: 'ORD-1042', operatorId: 'OPR-3' });
  log.level = 'debug';
  log.debugDetail({ detail: 'pricing inputs for CUS-7' });
  const [statusChanged, assigned, detail] = destination.records();
  assert.equal(cipher.decrypt(String(statusChanged!['customer.id'])), 'CUS-7');
  assert.equal(statusChanged!.message, 'Order ORD-1042 status changed from NEW to MODEL_UPLOADED');
  assert.equal(cipher.decrypt(String(assigned!['operator.id'])), 'OPR-3');
  assert.equal(assigned!.message, 'Operator [REDACTED] assigned to order ORD-1042');
  assert.equal(assigned!['order.id'], 'ORD-1042');
  assert.equal(cipher.decrypt(String(detail!.message)), 'pricing inputs for CUS-7');
  assert.ok(destination.lines.every((line) => !line.includes('CUS-7') && !line.includes('OPR-3')));
});
