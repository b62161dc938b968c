import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryDestination, createLogger } from '@loupe/log';
import { callService } from './http/index.js';
import { modelForm, type ApiError } from './simulator/api-client.js';
import { holdLock, waitFor } from './testing/index.js';
import { goodRing, linesOf, logIn, newOrder, orderInProduction, quotedOrder, statusLines, type OrderBody } from './test-orders.fixture.js';
import { startTestWorkshop } from './workshop-test-setup.js';

test('R2 a call between services keeps one Idempotency-Key over its attempts, and each call has its own', async (t) => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    // The first attempt's answer is lost, as when a connection drops after the change was made.
    if (seen.length === 1) request.socket.destroy();
    else response.setHeader('content-type', 'application/json').end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const lines = new MemoryDestination();
  const log = createLogger({ service: 'shop-api', destination: lines });
  const call = { target: 'crm-api', method: 'POST', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, path: '/orders/ORD-1/hand-off', body: {} } as const;

  assert.deepEqual(await callService(log, call, { baseDelayMs: 1 }), { ok: true });
  assert.equal(seen.length, 2, 'the call was sent again');
  assert.match(String(seen[0]!['idempotency-key']), /^[0-9a-f-]{36}$/);
  assert.equal(seen[1]!['idempotency-key'], seen[0]!['idempotency-key'], 'the second attempt is the same request');
  assert.equal(lines.events('call-retried').length, 1, 'R2: the lost answer is logged as a retry');

  await callService(log, call, { baseDelayMs: 1 });
  assert.notEqual(seen[2]!['idempotency-key'], seen[0]!['idempotency-key'], 'another call is another request');
  await callService(log, { ...call, method: 'GET', body: undefined }, { baseDelayMs: 1 });
  assert.equal(seen[3]!['idempotency-key'], undefined, 'a GET changes nothing and carries no key');
});

test('R5 R11 a change sent again with its Idempotency-Key is answered with the order and made once; without the key it is refused', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await quotedOrder(staff);
  const history = async () => ((await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`)).body.history ?? []).map((h) => `${h.from ?? ''}>${h.to}`);

  // The customer's browser sends "accept" twice, the second time after losing the first answer.
  const accepted = [];
  for (let i = 0; i < 2; i++) accepted.push(await staff.shop.call<OrderBody>('POST', `/orders/${orderId}/accept`, { json: {}, headers: { 'idempotency-key': 'accept-1' } }));
  assert.deepEqual(accepted.map((a) => [a.status, a.body.status]), [[200, 'ACCEPTED'], [200, 'ACCEPTED']]);
  assert.equal(statusLines(w.lines.shop, orderId, 'ACCEPTED').length, 1, 'one R5 line');
  const repeat = w.lines.shop.records().find((line) => line['order.id'] === orderId && String(line.message).includes('Idempotency-Key accept-1'));
  assert.equal(repeat?.['log.level'], 'info');
  assert.match(String(repeat?.message), new RegExp(`^Order ${orderId} was already moved PRICE_QUOTED → ACCEPTED at \\S+ by this request \\(Idempotency-Key accept-1\\); answered with the order as it is now, ACCEPTED$`));

  // The same key for another step is another request, refused rather than answered as the first.
  const reused = await staff.shop.call<ApiError>('POST', `/orders/${orderId}/reject`, { json: {}, headers: { 'idempotency-key': 'accept-1' } });
  assert.deepEqual([reused.status, reused.body.error.code], [422, 'IDEMPOTENCY_KEY_REUSED']);
  assert.match(reused.body.error.message, new RegExp(`^Idempotency-Key accept-1 was used for another change of order ${orderId} \\(PRICE_QUOTED → ACCEPTED at \\S+\\); send a new key with a new request$`));

  // Another customer with the same key finds nothing: keys never reach across customers.
  const other = await logIn(w, 'pavel@example.ru');
  const foreign = await other.shop.call<ApiError>('POST', `/orders/${orderId}/accept`, { json: {}, headers: { 'idempotency-key': 'accept-1' } });
  assert.deepEqual([foreign.status, foreign.body.error.code], [404, 'ORDER_NOT_FOUND']);

  // The hand-off to production, sent twice by CRM with one key: one message to MES.
  const handedOff = [];
  for (let i = 0; i < 2; i++) handedOff.push(await staff.crm.call<OrderBody>('POST', `/orders/${orderId}/hand-off`, { json: {}, headers: { 'idempotency-key': 'hand-off-1' } }));
  assert.deepEqual(handedOff.map((a) => [a.status, a.body.status]), [[200, 'IN_PRODUCTION'], [200, 'IN_PRODUCTION']]);
  assert.equal(statusLines(w.lines.crm, orderId, 'IN_PRODUCTION').length, 1, 'one R5 line');
  await waitFor(() => linesOf(w.lines.crm, 'message-published', { 'order.id': orderId, 'message.routing_key': 'order.to-manufacturing' }).length >= 2, { what: 'the production hand-off published' });

  // Without a key, or with another, the same request is a new one: the status machine refuses it.
  const again = await staff.crm.call<ApiError>('POST', `/orders/${orderId}/hand-off`, { json: {}, headers: { 'idempotency-key': 'hand-off-2' } });
  assert.deepEqual([again.status, again.body.error.code], [409, 'ORDER_BAD_TRANSITION']);
  assert.deepEqual(await history(), ['>NEW', 'NEW>MODEL_UPLOADED', 'MODEL_UPLOADED>PRICE_CALCULATING', 'PRICE_CALCULATING>PRICE_QUOTED', 'PRICE_QUOTED>ACCEPTED', 'ACCEPTED>IN_PRODUCTION']);
  assert.equal(linesOf(w.lines.crm, 'message-published', { 'order.id': orderId, 'message.routing_key': 'order.to-manufacturing' }).length, 2, 'pricing and production, each once');

  type OpenApi = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  const described = (await staff.crm.call<OpenApi>('GET', '/openapi.json')).body.paths['/orders/{id}/hand-off']?.post?.parameters ?? [];
  assert.ok(described.some((p) => p.name === 'idempotency-key' && p.in === 'header'), '/openapi.json describes the header');

  const tooLong = await staff.crm.call<ApiError>('POST', `/orders/${orderId}/status`, { json: { status: 'SHIPPED' }, headers: { 'idempotency-key': 'k'.repeat(201) } });
  assert.deepEqual([tooLong.status, tooLong.body.error.code], [400, 'VALIDATION']);
  assert.match(tooLong.body.error.message, /idempotency-key/);
});

test('R5 R6 an upload sent again with its Idempotency-Key is answered with the order as it is now, its model stored once', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await newOrder(staff);
  const upload = () => staff.shop.call<OrderBody & { pricing?: string }>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()), headers: { 'idempotency-key': 'upload-1' } });

  const first = await upload();
  assert.deepEqual([first.status, first.body.status, first.body.pricing], [201, 'PRICE_CALCULATING', 'requested']);
  await waitFor(async () => (await staff.shop.call<OrderBody>('GET', `/orders/${orderId}`)).body.status === 'PRICE_QUOTED', { timeoutMs: 20_000, what: 'the price' });
  const again = await upload();
  assert.deepEqual([again.status, again.body.status, again.body.pricing], [201, 'PRICE_QUOTED', 'requested'], 'the order as it is now, priced');
  assert.equal(linesOf(w.lines.shop, 'model-uploaded', { 'order.id': orderId }).length, 1, 'R6: the model was stored once');
  assert.equal(statusLines(w.lines.shop, orderId, 'MODEL_UPLOADED').length, 1);
  assert.ok(w.lines.shop.records().some((line) => String(line.message).startsWith(`Order ${orderId} was already moved NEW → MODEL_UPLOADED at `)));

  const unkeyed = await staff.shop.call<ApiError>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()) });
  assert.deepEqual([unkeyed.status, unkeyed.body.error.code], [409, 'ORDER_BAD_TRANSITION'], 'without the key it is another upload, refused');
});

test('R3 R5 a model a manager uploads is answered 201 with pricing "delayed" when its hand-off fails after the model was stored', async (t) => {
  const w = await startTestWorkshop(t, 'servers', { statementTimeoutMs: 300 });
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await newOrder(staff);

  // The outbox is locked, as by a long maintenance statement: the hand-off cannot write its message.
  const release = await holdLock(w.db, 'LOCK TABLE outbox IN SHARE MODE');
  const upload = await staff.crm.call<OrderBody & { pricing: string; model?: { fileId: string } }>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()) });
  await release();

  assert.equal(upload.status, 201, JSON.stringify(upload.body));
  assert.deepEqual([upload.body.status, upload.body.pricing], ['MODEL_UPLOADED', 'delayed']);
  assert.ok(upload.body.model?.fileId, 'the answer shows the stored model');
  const warning = w.lines.crm.records().find((line) => line['order.id'] === orderId && line['log.level'] === 'warn');
  assert.equal(warning?.['error.code'], 'DB_TIMEOUT');
  assert.match(String(warning?.message), new RegExp(`^Model stored on order ${orderId}, but it was not handed on for pricing: .+; hand it on with POST /orders/${orderId}/hand-off$`));

  // As the warning says: the hand-off, once the outbox is free, prices the stored model.
  assert.equal((await staff.crm.call('POST', `/orders/${orderId}/hand-off`, { json: {} })).status, 200);
  await waitFor(async () => (await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`)).body.status === 'PRICE_QUOTED', { timeoutMs: 20_000, what: 'the price' });
});

test('R2 R5 a customer\'s upload whose hand-off was delayed, sent again with its key, asks CRM for the pricing again', async (t) => {
  const w = await startTestWorkshop(t, 'servers', { statementTimeoutMs: 300 });
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await newOrder(staff);
  const upload = () => staff.shop.call<OrderBody & { pricing?: string }>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()), headers: { 'idempotency-key': 'upload-2' } });

  const release = await holdLock(w.db, 'LOCK TABLE outbox IN SHARE MODE');
  const first = await upload();
  await release();
  assert.deepEqual([first.status, first.body.status, first.body.pricing], [201, 'MODEL_UPLOADED', 'delayed'], JSON.stringify(first.body));

  const again = await upload();
  assert.deepEqual([again.status, again.body.status, again.body.pricing], [201, 'PRICE_CALCULATING', 'requested']);
  assert.equal(linesOf(w.lines.shop, 'model-uploaded', { 'order.id': orderId }).length, 1, 'R6: the model was stored once');
  await waitFor(async () => (await staff.shop.call<OrderBody>('GET', `/orders/${orderId}`)).body.status === 'PRICE_QUOTED', { timeoutMs: 20_000, what: 'the price' });
});

test('R5 R11 a production step sent again with its Idempotency-Key is answered with the job and reported once', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await orderInProduction(staff);
  assert.equal((await staff.operator.call('POST', `/jobs/${orderId}/assign`, { json: {} })).status, 200);
  const report = (status: string, key?: string) =>
    staff.operator.call<{ status: string; steps?: { from: string; to: string; operatorId: string }[] } & Partial<ApiError>>('POST', `/jobs/${orderId}/status`, {
      json: { status }, ...(key && { headers: { 'idempotency-key': key } }),
    });

  const answers = [await report('PRINTED', 'step-1'), await report('PRINTED', 'step-1')];
  assert.deepEqual(answers.map((a) => [a.status, a.body.status]), [[200, 'PRINTED'], [200, 'PRINTED']]);
  assert.equal(statusLines(w.lines.mes, orderId, 'PRINTED').length, 1, 'one R5 line');
  assert.ok(w.lines.mes.records().some((line) => String(line.message).startsWith(`Order ${orderId} was already moved IN_PRODUCTION → PRINTED at `)));
  const reused = await report('POLISHED', 'step-1');
  assert.deepEqual([reused.status, reused.body.error?.code], [422, 'IDEMPOTENCY_KEY_REUSED']);
  const unkeyed = await report('PRINTED');
  assert.deepEqual([unkeyed.status, unkeyed.body.error?.code], [409, 'ORDER_BAD_TRANSITION'], 'without the key it is another report, refused');

  const { body: job } = await staff.operator.call<{ steps: { from: string; to: string; operatorId: string }[]; operatorId: string }>('GET', `/jobs/${orderId}`);
  assert.deepEqual(job.steps.map((s) => [s.from, s.to, s.operatorId]), [['IN_PRODUCTION', 'PRINTED', job.operatorId]], 'the floor\'s history: one step');
  await waitFor(async () => (await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`)).body.status === 'PRINTED', { what: 'CRM to record the step' });
  const moves = ((await staff.crm.call<OrderBody>('GET', `/orders/${orderId}`)).body.history ?? []).map((h) => `${h.from ?? ''}>${h.to}`);
  assert.equal(moves.filter((move) => move === 'IN_PRODUCTION>PRINTED').length, 1, 'CRM got one report');
});

test('R2 R5 a hand-off whose answer the Shop stopped waiting for is sent again with its key, and CRM answers it with the order: pricing "requested", no 409', async (t) => {
  const w = await startTestWorkshop(t, 'servers', { crmCallTimeoutMs: 2_000 });
  if (!w) return;
  const staff = await logIn(w);
  const orderId = await newOrder(staff);

  // CRM's hand-off cannot write its message until the lock goes: the Shop stops waiting, and sends the call again.
  const release = await holdLock(w.db, 'LOCK TABLE outbox IN SHARE MODE');
  const uploading = staff.shop.call<OrderBody & { pricing?: string }>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()) });
  const retried = () => linesOf(w.lines.shop, 'call-retried', { 'call.target': 'crm-api' });
  await waitFor(() => retried().length > 0, { what: 'the Shop to give up its first wait', timeoutMs: 20_000 });
  // The second attempt is on its way (the retry waits at most 100 ms) and waits behind the first, which still holds the order.
  await sleep(500);
  await release();
  const upload = await uploading;

  assert.deepEqual([upload.status, upload.body.status, upload.body.pricing], [201, 'PRICE_CALCULATING', 'requested'], JSON.stringify(upload.body));
  assert.equal(retried().length, 1, 'R2: one attempt timed out');
  assert.equal(w.lines.shop.records().filter((line) => String(line.message).startsWith('CRM refused')).length, 0, 'no WARN that CRM refused');
  assert.equal(statusLines(w.lines.crm, orderId, 'PRICE_CALCULATING').length, 1, 'one hand-off');
  assert.ok(w.lines.crm.records().some((line) => String(line.message).startsWith(`Order ${orderId} was already moved MODEL_UPLOADED → PRICE_CALCULATING at `)));
  await waitFor(async () => (await staff.shop.call<OrderBody>('GET', `/orders/${orderId}`)).body.status === 'PRICE_QUOTED', { timeoutMs: 20_000, what: 'the price' });
  assert.equal(linesOf(w.lines.crm, 'message-published', { 'order.id': orderId, 'message.routing_key': 'order.to-manufacturing' }).length, 1, 'one message to MES');
});

for (const engines of ['embedded', 'servers'] as const) {
  test(`R4 an order placed again with its Idempotency-Key, even at the same moment, is one order (${engines === 'embedded' ? 'PGlite' : 'PostgreSQL'})`, async (t) => {
    const w = await startTestWorkshop(t, engines);
    if (!w) return;
    const staff = await logIn(w);
    const pendant = { product: 'pendant', metal: 'gold-585', comment: 'for Anna' };
    const place = (key: string, json: object = pendant) => staff.shop.call<OrderBody & Partial<ApiError>>('POST', '/orders', { json, headers: { 'idempotency-key': key } });

    const [first, second] = await Promise.all([place('order-1'), place('order-1')]);
    const third = await place('order-1');
    assert.deepEqual([first.status, second.status, third.status], [201, 201, 201]);
    assert.equal(new Set([first.body.id, second.body.id, third.body.id]).size, 1, 'one order');
    assert.equal(linesOf(w.lines.shop, 'order-created').length, 1, 'one R4 line');
    assert.equal(w.lines.shop.records().filter((line) => String(line.message).startsWith(`Order ${first.body.id} was already placed at `)).length, 2);
    assert.equal((await staff.shop.call<{ total: number }>('GET', '/orders')).body.total, 1);

    const other = await place('order-1', { ...pendant, metal: 'silver-925' });
    assert.deepEqual([other.status, other.body.error?.code], [422, 'IDEMPOTENCY_KEY_REUSED']);
    assert.match(String(other.body.error?.message), new RegExp(`^Idempotency-Key order-1 placed order ${first.body.id} \\(a gold-585 pendant\\) at \\S+; send a new key with a new request$`));
    const next = await place('order-2');
    assert.deepEqual([next.status, next.body.id === first.body.id], [201, false], 'a new key is a new order');

    // Keys are the placer's own: a manager taking an order by phone with the same key places it.
    const byPhone = await staff.crm.call<OrderBody>('POST', '/orders', { json: { ...pendant, customerId: staff.customerId }, headers: { 'idempotency-key': 'order-1' } });
    assert.equal(byPhone.status, 201);
    assert.notEqual(byPhone.body.id, first.body.id);
  });
}
