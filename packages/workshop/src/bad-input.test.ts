import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ringMesh, toBinaryStl } from './file-storage/model/index.js';
import { ApiClient, modelForm, type ApiError } from './simulator/api-client.js';
import { startTestWorkshop, testStaff } from './workshop-test-setup.js';

const maxModelBytes = 40_000;

test('the APIs answer bad input with 4xx and {error: {code, message}}', async (t) => {
  const w = await startTestWorkshop(t, 'embedded', { maxModelBytes });
  assert.ok(w);
  const shop = new ApiClient(w.urls.shop);
  const email = 'ivan.sidorov@example.com';
  assert.equal((await shop.call('POST', '/customers', { json: { email, password: 'correct horse', name: 'Ivan Sidorov' } })).status, 201);
  assert.equal((await shop.login(email, 'correct horse')).status, 200);
  const { body: order } = await shop.call<{ id: string }>('POST', '/orders', { json: { product: 'pendant', metal: 'silver-925' } });

  await t.test('malformed JSON is 400 INVALID_JSON', async () => {
    const response = await shop.call<ApiError>('POST', '/orders', { raw: '{"product": "ring", "metal": ', contentType: 'application/json' });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'INVALID_JSON');
  });

  await t.test('a value of the wrong type or outside the schema is 400 VALIDATION naming the field', async () => {
    const response = await shop.call<ApiError>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm: 'large' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'VALIDATION');
    assert.match(response.body.error.message, /ringSizeMm/);
    const metal = await shop.call<ApiError>('POST', '/orders', { json: { product: 'ring', metal: 'gold-999' } });
    assert.equal(metal.status, 400);
    assert.match(metal.body.error.message, /metal/);
  });

  await t.test('an upload over the size limit is 413 MODEL_FILE_TOO_LARGE and the order stays NEW', async () => {
    const big = toBinaryStl(ringMesh({ segments: 64, sides: 32 }));
    assert.ok(big.length > maxModelBytes);
    const response = await shop.call<ApiError>('POST', `/orders/${order.id}/model`, { form: modelForm(big) });
    assert.equal(response.status, 413);
    assert.equal(response.body.error.code, 'MODEL_FILE_TOO_LARGE');
    assert.match(response.body.error.message, /40000 bytes/);
    assert.equal((await shop.call<{ status: string }>('GET', `/orders/${order.id}`)).body.status, 'NEW');
  });

  await t.test('a body of a type the route does not take is 415 naming the types it takes', async () => {
    // What `curl --data-binary @ring.stl` sends without -H 'Content-Type: …'.
    const upload = await shop.call<ApiError>('POST', `/orders/${order.id}/model`, { raw: 'solid ring\nendsolid ring\n', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(upload.status, 415);
    assert.equal(upload.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(upload.body.error.message, /^Content-Type "application\/x-www-form-urlencoded" is not taken by POST \/orders\/:id\/model; send /);
    assert.match(upload.body.error.message, /multipart\/form-data/);
    assert.match(upload.body.error.message, /application\/octet-stream/);
    const json = await shop.call<ApiError>('POST', '/orders', { raw: 'product=ring', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(json.status, 415);
    assert.match(json.body.error.message, /not taken by POST \/orders; send application\/json$/);
    assert.equal((await shop.call<{ status: string }>('GET', `/orders/${order.id}`)).body.status, 'NEW');
  });

  await t.test('a broken STL is 422 with file storage\'s reason, logged R7 at ERROR, and the order stays NEW', async () => {
    const broken = 'solid ring\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 1 0\n   vertex 0 1 0\n  endloop\n endfacet\nendsolid ring\n';
    const response = await shop.call<ApiError>('POST', `/orders/${order.id}/model`, { form: modelForm(broken, 'broken.stl') });
    assert.equal(response.status, 422);
    assert.equal(response.body.error.code, 'MODEL_PARSE');
    assert.match(response.body.error.message, /line 5/);
    const [processed] = w.lines.files.events('model-processed');
    assert.deepEqual([processed?.['log.level'], processed?.['event.outcome'], processed?.['order.id']], ['error', 'failure', order.id]);
    assert.equal(processed?.['error.message'], response.body.error.message);
    assert.equal(w.lines.shop.events('model-uploaded').length, 0);
    // File storage answered: the Shop's call did not fail (no R3 ERROR), the refused upload is a WARN with its order.
    assert.equal(w.lines.shop.events('call-failed').length, 0);
    assert.equal(w.lines.shop.events('order-change-failed').at(-1)?.['log.level'], 'warn');
    assert.equal((await shop.call<{ status: string }>('GET', `/orders/${order.id}`)).body.status, 'NEW');
  });

  await t.test('a step the status machine lacks is 409 ORDER_BAD_TRANSITION, from the Shop and from CRM', async () => {
    const accept = await shop.call<ApiError>('POST', `/orders/${order.id}/accept`);
    assert.equal(accept.status, 409);
    assert.equal(accept.body.error.code, 'ORDER_BAD_TRANSITION');
    assert.match(accept.body.error.message, new RegExp(`^Order ${order.id} cannot go from NEW to ACCEPTED`));
    const crm = new ApiClient(w.urls.crm);
    await crm.login(testStaff.operator.login, testStaff.operator.password);
    const ship = await crm.call<ApiError>('POST', `/orders/${order.id}/status`, { json: { status: 'SHIPPED' } });
    assert.equal(ship.status, 409);
    assert.match(ship.body.error.message, /cannot go from NEW to SHIPPED/);
    const handOff = await crm.call<ApiError>('POST', `/orders/${order.id}/hand-off`, { json: {} });
    assert.equal(handOff.status, 409);
    const theirs = await crm.call<ApiError>('POST', `/orders/${order.id}/status`, { json: { status: 'CANCELLED' } });
    assert.equal(theirs.status, 200, 'CRM may cancel an early order');
    assert.equal(w.lines.crm.events('order-status-changed').length, 1);
  });

  await t.test('a wrong password is 401 AUTH_FAILED; the third failure in the window is logged at WARN (R16)', async () => {
    const guesser = new ApiClient(w.urls.shop);
    const statuses = [];
    for (const password of ['123456', 'password', 'qwerty']) statuses.push((await guesser.login(email, password)).status);
    assert.deepEqual(statuses, [401, 401, 401]);
    const failed = w.lines.shop.events('user-login-failed');
    assert.deepEqual(failed.map((l) => [l['log.level'], l['user.failed_logins'], l['event.outcome']]), [
      ['info', 1, 'failure'], ['info', 2, 'failure'], ['warn', 3, 'failure'],
    ]);
    assert.equal(failed[0]?.['client.ip'], '127.0.0.1');
    assert.notEqual(failed[0]?.['user.name'], email, 'R22 the login is masked');
    assert.ok(!w.lines.shop.lines.some((line) => line.includes('qwerty')), 'a tried password is never logged');
    const unknown = await guesser.login('nobody@example.com', 'x');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error?.message, 'Wrong login or password', 'an unknown login looks the same as a wrong password');
    assert.equal(w.lines.shop.events('user-login-failed').at(-1)?.['user.failed_logins'], 4, 'counted per address too');
  });

  await t.test('no token is 401, another role\'s token 403, another customer\'s order 404', async () => {
    assert.equal((await new ApiClient(w.urls.shop).call<ApiError>('GET', '/orders')).body.error.code, 'AUTH_REQUIRED');
    // The scheme's name is case-insensitive, as HTTP says.
    const lowerCase = await new ApiClient(w.urls.shop).call<unknown[]>('GET', '/orders', { headers: { authorization: `bearer  ${shop.token}` } });
    assert.equal(lowerCase.status, 200);
    const crmAsCustomer = new ApiClient(w.urls.crm);
    crmAsCustomer.token = shop.token;
    assert.equal((await crmAsCustomer.call('GET', '/orders')).status, 403);
    const other = new ApiClient(w.urls.shop);
    await other.call('POST', '/customers', { json: { email: 'other@example.com', password: 'another secret', name: 'Olga' } });
    await other.login('other@example.com', 'another secret');
    const response = await other.call<ApiError>('GET', `/orders/${order.id}`);
    assert.equal(response.status, 404);
    assert.equal(response.body.error.code, 'ORDER_NOT_FOUND');
  });

  await t.test('every API describes itself at /openapi.json and answers /health', async () => {
    for (const [name, url] of Object.entries(w.urls)) {
      const client = new ApiClient(url);
      const openapi = await client.call<{ openapi: string; paths: Record<string, unknown> }>('GET', '/openapi.json');
      assert.equal(openapi.body.openapi, '3.1.0', name);
      assert.ok(Object.keys(openapi.body.paths).length >= 3, name);
      assert.equal((await client.call<{ status: string }>('GET', '/health')).body.status, 'ok');
    }
  });
});
