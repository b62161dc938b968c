import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBinaryStl, cubeMesh } from './file-storage/model/index.js';
import { ApiClient, type ApiError } from './simulator/api-client.js';
import { proxyServer, requireServer } from './testing/index.js';
import { customerWithOrder, startTestWorkshop } from './workshop-test-setup.js';

test('while PostgreSQL is unreachable the APIs answer 503 DB_UNAVAILABLE, log R3 not R17, and serve again once it is back', async (t) => {
  const databaseUrl = await requireServer(t, 'postgres');
  if (!databaseUrl) return;
  const { proxy, url: proxiedUrl } = await proxyServer(new URL(databaseUrl), 5432);
  t.after(() => proxy.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-outage-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const w = await startTestWorkshop(t, 'servers', { databaseUrl: proxiedUrl, dataDir });
  if (!w) return;

  const { shop, order } = await customerWithOrder(w.urls.shop, 'pavel.volkov@example.com', 'Pavel Volkov');

  proxy.pause();
  const list = await shop.call<ApiError>('GET', '/orders');
  const create = await shop.call<ApiError>('POST', '/orders', { json: { product: 'ring', metal: 'gold-585', ringSizeMm: 18 } });
  const upload = await new ApiClient(w.urls.files).call<ApiError>('POST', '/models', { raw: toBinaryStl(cubeMesh(10)), contentType: 'application/octet-stream' });
  const cancel = await shop.call<ApiError>('POST', `/orders/${order.id}/cancel`);
  for (const [name, response] of Object.entries({ list, create, upload, cancel })) {
    assert.equal(response.status, 503, name);
    assert.equal(response.body.error.code, 'DB_UNAVAILABLE', name);
    assert.match(response.body.error.message, /database cannot be reached right now; try again in a few seconds \(request req-/);
  }
  const failed = w.lines.shop.events('call-failed').filter((line) => line['call.target'] === 'db');
  assert.ok(failed.length >= 2, 'R3: the Shop\'s statements failed after all retries, logged by the Shop');
  assert.equal(failed[0]?.['log.level'], 'error');
  assert.ok(w.lines.files.events('call-failed').some((line) => line['call.target'] === 'db'), 'R3: file storage logs its own');
  assert.equal(w.lines.shop.events('unhandled-error').length + w.lines.files.events('unhandled-error').length, 0, 'an outage is not an unhandled error');
  assert.deepEqual(w.lines.shop.events('http-request').slice(-3).map((line) => line['http.response.status_code']), [503, 503, 503]);
  const [cancelFailed] = w.lines.shop.events('order-change-failed');
  assert.deepEqual([cancelFailed?.['log.level'], cancelFailed?.['order.id'], cancelFailed?.['http.response.status_code']], ['error', order.id, 503], 'the failed cancel is an ERROR with its order');

  proxy.resume();
  const after = await shop.call<{ orders: { id: string }[] }>('GET', '/orders');
  assert.equal(after.status, 200);
  assert.deepEqual(after.body.orders.map((o) => o.id), [order.id], 'the order taken before the outage is there, and the refused one is not');
  const { rows } = await w.db.query<{ n: number }>('SELECT count(*)::int AS n FROM models');
  assert.equal(rows[0]?.n, 0, 'no model row from the refused upload');
  const files = await readdir(join(dataDir, 'models')).catch(() => []);
  assert.deepEqual(files, [], 'and no file nobody could name');
});
