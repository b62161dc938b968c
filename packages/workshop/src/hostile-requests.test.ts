import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import { routingKeys } from './domain/index.js';
import { ApiClient, modelForm, type ApiError } from './simulator/api-client.js';
import { waitFor } from './testing/index.js';
import { startTestWorkshop, testStaff } from './workshop-test-setup.js';

const maxModelBytes = 40_000;

/** What a client that speaks broken HTTP reads back before the connection closes. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** A body sent in chunks, without Content-Length: the size is known only once it is read. */
function chunkedBody(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(8192, size - sent));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

test('requests the APIs cannot take are answered 4xx with {error: {code, message}}, never 500, and the services keep answering', async (t) => {
  const w = await startTestWorkshop(t, 'embedded', { maxModelBytes });
  assert.ok(w);
  const shop = new ApiClient(w.urls.shop);
  const email = 'nina.orlova@example.com';
  assert.equal((await shop.call('POST', '/customers', { json: { email, password: 'correct horse', name: 'Nina Orlova' } })).status, 201);
  assert.equal((await shop.login(email, 'correct horse')).status, 200);
  const { body: order } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm: 17 } });
  const crm = new ApiClient(w.urls.crm);
  await crm.login(testStaff.manager.login, testStaff.manager.password);
  const orderStatus = async () => (await shop.call<{ status: string }>('GET', `/orders/${order.id}`)).body.status;

  await t.test('a NUL character in a body or query field is 400 VALIDATION naming the field, and nothing is stored', async () => {
    const register = await shop.call<ApiError>('POST', '/customers', { json: { email: 'nul@example.com', password: 'correct horse', name: 'Nina\u0000' } });
    assert.deepEqual([register.status, register.body.error.code], [400, 'VALIDATION']);
    assert.match(register.body.error.message, /^body\/name must not contain the NUL character/);
    assert.equal((await shop.login('nul@example.com', 'correct horse')).status, 401, 'no account was created');
    const login = await new ApiClient(w.urls.shop).login(`${email}\u0000`, 'correct horse');
    assert.deepEqual([login.status, login.body.error?.code], [400, 'VALIDATION']);
    const comment = await shop.call<ApiError>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', comment: 'engrave \u0000' } });
    assert.deepEqual([comment.status, comment.body.error.code], [400, 'VALIDATION']);
    const list = await crm.call<ApiError>('GET', '/orders?customerId=%00');
    assert.deepEqual([list.status, list.body.error.code], [400, 'VALIDATION']);
    assert.match(list.body.error.message, /querystring\/customerId/);
    assert.equal((await shop.call<{ total: number }>('GET', '/orders')).body.total, 1, 'only the first order exists');
  });

  await t.test('a field a body or query does not take is 400 VALIDATION naming it, not dropped unseen', async () => {
    const rename = await shop.call<ApiError>('PATCH', '/customers/me', { json: { email: 'new@example.com' } });
    assert.deepEqual([rename.status, rename.body.error.code], [400, 'VALIDATION']);
    assert.equal(rename.body.error.message, 'body has a field it does not take: "email"');
    const reason = await shop.call<ApiError>('POST', `/orders/${order.id}/reject`, { json: { reason: 'too expensive' } });
    assert.deepEqual([reason.status, reason.body.error.message], [400, 'body has a field it does not take: "reason"']);
    assert.notEqual(await orderStatus(), 'REJECTED', 'the order was not rejected without its note');
    const ringSize = await shop.call<ApiError>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSize: 18 } });
    assert.deepEqual([ringSize.status, ringSize.body.error.message], [400, 'body has a field it does not take: "ringSize"']);
    // A JSON body's types are taken as sent: true is no ring size, and "17" is text.
    for (const ringSizeMm of [true, '17', null]) {
      const typed = await shop.call<ApiError>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm } });
      assert.deepEqual([typed.status, typed.body.error.message], [400, 'body/ringSizeMm must be number'], String(ringSizeMm));
    }
    assert.equal((await crm.call('GET', '/orders?limit=5')).status, 200, 'a query string is still read as numbers');
    const query = await crm.call<ApiError>('GET', '/orders?limt=5');
    assert.deepEqual([query.status, query.body.error.message], [400, 'querystring has a field it does not take: "limt"']);
  });

  await t.test('a compressed or plain-text body is 415 naming what was sent, not "not valid JSON" or a schema error', async () => {
    const zipped = await shop.call<ApiError>('POST', '/customers', { raw: gzipSync('{"email":"z@example.com"}'), contentType: 'application/json', headers: { 'content-encoding': 'gzip' } });
    assert.deepEqual([zipped.status, zipped.body.error.code], [415, 'UNSUPPORTED_MEDIA_TYPE']);
    assert.equal(zipped.body.error.message, 'Content-Encoding "gzip" is not taken by POST /customers; send the body uncompressed');
    const text = await shop.call<ApiError>('POST', '/customers', { raw: 'email=z@example.com', contentType: 'text/plain' });
    assert.deepEqual([text.status, text.body.error.code], [415, 'UNSUPPORTED_MEDIA_TYPE']);
    assert.match(text.body.error.message, /^Content-Type "text\/plain" is not taken by POST \/customers; send application\/json/);
  });

  await t.test('CRM list filters outside what a date or PostgreSQL can hold are 400 VALIDATION, not 500', async () => {
    for (const query of ['stuckForMinutes=99999999999999', 'offset=99999999999999999999']) {
      const response = await crm.call<ApiError>('GET', `/orders?${query}`);
      assert.deepEqual([response.status, response.body.error.code], [400, 'VALIDATION'], query);
      assert.match(response.body.error.message, new RegExp(`querystring/${query.split('=')[0]!} must be <=`));
    }
    assert.equal((await crm.call<{ total: number }>('GET', '/orders?stuckForMinutes=5256000&offset=0')).status, 200);
    // RFC 3339 date-times PostgreSQL cannot hold: year 0, and an offset that carries 9999 into year 10000.
    for (const query of ['createdFrom=0000-01-01T00:00:00Z', 'createdTo=9999-12-31T23:59:59-23:59']) {
      const response = await crm.call<ApiError>('GET', `/orders?${query.replace('+', '%2B')}`);
      assert.deepEqual([response.status, response.body.error.code], [400, 'VALIDATION'], query);
      assert.match(response.body.error.message, new RegExp(`querystring/${query.split('=')[0]!} must be a date-time from year 1 to 9999`));
    }
    const edges = await crm.call<{ total: number }>('GET', '/orders?createdFrom=0001-01-01T00:00:00Z&createdTo=9999-12-31T23:59:59Z');
    assert.equal(edges.status, 200);
  });

  await t.test('a URL that does not decode is 400 BAD_REQUEST in the APIs\' format, with its R1 line', async () => {
    const response = await shop.call<ApiError>('GET', '/orders/%E0%A4%A');
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'BAD_REQUEST');
    assert.match(response.body.error.message, /does not decode/);
    const served = w.lines.shop.events('http-request').find((line) => line['url.path'] === '/orders/%E0%A4%A');
    assert.equal(served?.['http.response.status_code'], 400);
    const long = await shop.call<ApiError>('GET', `/orders/ORD-${'1'.repeat(200)}`);
    assert.deepEqual([long.status, long.body.error.code], [414, 'BAD_REQUEST']);
  });

  await t.test('a request that is not HTTP gets a JSON 400 before the connection closes', async () => {
    const answer = await rawExchange(w.urls.crm, 'GARBAGE\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as ApiError;
    assert.equal(body.error.code, 'BAD_REQUEST');
  });

  await t.test('a multipart upload that does not parse is 400 MODEL_UPLOAD_MALFORMED and the order stays NEW', async () => {
    const cut = '--b0undary\r\nContent-Disposition: form-data; name="file"; filename="ring.stl"\r\n\r\nsolid ring\n';
    for (const [raw, contentType] of [[cut, 'multipart/form-data; boundary=b0undary'], ['solid ring', 'multipart/form-data']]) {
      const response = await shop.call<ApiError>('POST', `/orders/${order.id}/model`, { raw, contentType });
      assert.equal(response.status, 400, contentType);
      assert.equal(response.body.error.code, 'MODEL_UPLOAD_MALFORMED');
      assert.match(response.body.error.message, /field "file"/);
    }
    assert.equal(w.lines.shop.events('unhandled-error').length, 0);
    assert.equal(await orderStatus(), 'NEW');
  });

  await t.test('a raw upload over the limit without Content-Length still gets its 413 answer', async () => {
    for (const url of [`${w.urls.shop}/orders/${order.id}/model`, `${w.urls.files}/models`]) {
      const response = await fetch(url, {
        method: 'POST', body: chunkedBody(maxModelBytes * 3), duplex: 'half',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${shop.token}` },
      } as RequestInit);
      assert.equal(response.status, 413, url);
      assert.equal(((await response.json()) as ApiError).error.code, 'MODEL_FILE_TOO_LARGE');
    }
    assert.equal(await orderStatus(), 'NEW');
    const accepted = await shop.call('POST', `/orders/${order.id}/model`, { form: modelForm('solid x\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 1 0 0\n   vertex 0 1 0\n  endloop\n endfacet\nendsolid x\n', 'x.stl') });
    assert.equal(accepted.status, 201, 'the service still takes uploads');
  });

  await t.test('a queue message its consumer can never process is dead-lettered on its first delivery', async () => {
    const messageId = await w.db.transaction((tx) => w.queue.publish(tx, routingKeys.priced, { orderId: order.id, body: { orderId: order.id, customerId: 'CUS-1', outcome: 'quoted' } }));
    const dead = await waitFor(() => w.lines.crm.events('message-dead-lettered').find((line) => line['message.id'] === messageId), { what: 'the dead letter' });
    assert.match(String(dead?.['message.dead_letter_reason']), /^Cannot be processed \(attempt 1\): A order.priced message has outcome quoted without its quote/);
    assert.equal(w.lines.crm.events('message-failed').filter((line) => line['message.id'] === messageId).length, 1, 'tried once, not five times');
    assert.deepEqual((await w.queue.deadLetters('crm-api')).map((message) => message.id), [messageId]);
  });

  assert.equal(w.lines.shop.events('unhandled-error').length + w.lines.crm.events('unhandled-error').length, 0, 'no request ended in a 500');
  for (const url of Object.values(w.urls)) assert.equal((await new ApiClient(url).call('GET', '/health')).status, 200);
});
