import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainMigrations, openDatabase, workshopMigrations } from '../db/index.js';
import { createTestLog } from '../testing/index.js';
import { buildFileStorageApp } from './index.js';
import { ringMesh, toAsciiStl, toBinaryStl } from './model/index.js';

// One PGlite for the file: opening it costs seconds, and each test has its own model ids.
const { log: dbLog } = createTestLog({ service: 'workshop', level: 'info' });
const opening = openDatabase({ log: dbLog, migrations: [...workshopMigrations, ...domainMigrations] });
after(async () => (await opening).close());

async function startFileStorage(t: TestContext, maxModelBytes?: number) {
  const modelsDir = await mkdtemp(join(tmpdir(), 'loupe-models-'));
  t.after(() => rm(modelsDir, { recursive: true, force: true }));
  const db = await opening;
  const { log, lines } = createTestLog({ service: 'file-storage', level: 'info' });
  const app = await buildFileStorageApp({ config: { modelsDir, ...(maxModelBytes && { maxModelBytes }) }, log, db });
  t.after(() => app.close());
  return { app, lines, modelsDir };
}

const ring = Buffer.from(toBinaryStl(ringMesh({ segments: 32, sides: 12 })));

test('R7 a binary STL posted as the body is stored, analysed and logged with start, end, duration, result and polygon count', async (t) => {
  const { app, lines } = await startFileStorage(t);
  const response = await app.inject({ method: 'POST', url: '/models?orderId=ORD-1001&customerId=CUS-1', headers: { 'content-type': 'application/octet-stream' }, payload: ring });
  assert.equal(response.statusCode, 201);
  const body = response.json() as { fileId: string; sizeBytes: number; analysis: { triangles: number; closed: boolean; encoding: string; volume: number } };
  assert.match(body.fileId, /^MDL-[0-9a-f]{16}$/);
  assert.equal(body.sizeBytes, ring.length);
  assert.deepEqual([body.analysis.encoding, body.analysis.triangles, body.analysis.closed], ['binary', 768, true]);
  assert.ok(body.analysis.volume > 200);

  const [processed] = lines.events('model-processed');
  assert.ok(processed);
  assert.equal(processed['log.level'], 'info');
  assert.equal(processed['model.file_id'], body.fileId);
  assert.equal(processed['order.id'], 'ORD-1001');
  assert.equal(processed['event.outcome'], 'success');
  assert.equal(processed['model.polygon_count'], 768);
  assert.ok(Date.parse(String(processed['event.start'])) <= Date.parse(String(processed['event.end'])));
  assert.ok(Number(processed['event.duration']) > 0);

  const stored = await app.inject({ method: 'GET', url: `/models/${body.fileId}` });
  assert.equal(stored.statusCode, 200);
  assert.equal((stored.json() as { orderId: string }).orderId, 'ORD-1001');
  const file = await app.inject({ method: 'GET', url: `/models/${body.fileId}/file` });
  assert.deepEqual(file.rawPayload, ring);
});

test('an ASCII STL sent as multipart/form-data is accepted, and POST /models/:id/analyse analyses it again (R7 again)', async (t) => {
  const { app, lines } = await startFileStorage(t);
  const form = new FormData();
  form.append('file', new Blob([toAsciiStl(ringMesh({ segments: 16, sides: 8 }))]), 'ring.stl');
  const request = new Request('http://localhost/models', { method: 'POST', body: form });
  const response = await app.inject({ method: 'POST', url: '/models', headers: Object.fromEntries(request.headers), payload: Buffer.from(await request.arrayBuffer()) });
  assert.equal(response.statusCode, 201, response.body);
  const { fileId, analysis } = response.json() as { fileId: string; analysis: { encoding: string; triangles: number } };
  assert.deepEqual([analysis.encoding, analysis.triangles], ['ascii', 256]);

  const again = await app.inject({ method: 'POST', url: `/models/${fileId}/analyse` });
  assert.equal(again.statusCode, 200);
  assert.equal((again.json() as { analysis: { triangles: number } }).analysis.triangles, 256);
  assert.equal(lines.events('model-processed').length, 2);
});

test('a broken STL is 422 with the analyser\'s reason, logged as R7 at ERROR, and nothing is kept', async (t) => {
  const { app, lines, modelsDir } = await startFileStorage(t);
  const truncated = ring.subarray(0, ring.length - 20);
  const response = await app.inject({ method: 'POST', url: '/models?orderId=ORD-1002', headers: { 'content-type': 'model/stl' }, payload: truncated });
  assert.equal(response.statusCode, 422);
  const { error } = response.json() as { error: { code: string; message: string } };
  assert.equal(error.code, 'MODEL_TRUNCATED');
  assert.match(error.message, /facet/);
  const [processed] = lines.events('model-processed');
  assert.equal(processed?.['log.level'], 'error');
  assert.equal(processed?.['event.outcome'], 'failure');
  assert.equal(processed?.['error.message'], error.message);
  assert.equal(processed?.['order.id'], 'ORD-1002');
  assert.deepEqual(await readdir(modelsDir).catch(() => []), []);
});

test('an upload over the limit is 413 MODEL_FILE_TOO_LARGE, raw or multipart', async (t) => {
  const { app } = await startFileStorage(t, 10_000);
  const big = Buffer.concat([ring, ring, ring]);
  const raw = await app.inject({ method: 'POST', url: '/models', headers: { 'content-type': 'application/octet-stream' }, payload: big });
  assert.equal(raw.statusCode, 413);
  assert.equal((raw.json() as { error: { code: string } }).error.code, 'MODEL_FILE_TOO_LARGE');

  const form = new FormData();
  form.append('file', new Blob([big.subarray(0, 20_000)]), 'big.stl');
  const request = new Request('http://localhost/models', { method: 'POST', body: form });
  const multipart = await app.inject({ method: 'POST', url: '/models', headers: Object.fromEntries(request.headers), payload: Buffer.from(await request.arrayBuffer()) });
  assert.equal(multipart.statusCode, 413);
  assert.equal((multipart.json() as { error: { code: string } }).error.code, 'MODEL_FILE_TOO_LARGE');
});

test('unknown or malformed model ids are 404 and 400; the OpenAPI description lists every route', async (t) => {
  const { app } = await startFileStorage(t);
  assert.equal((await app.inject({ method: 'GET', url: '/models/MDL-0123456789abcdef' })).statusCode, 404);
  const bad = await app.inject({ method: 'GET', url: '/models/..%2Fetc' });
  assert.equal(bad.statusCode, 400);
  const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
  assert.equal(openapi.openapi, '3.1.0');
  assert.deepEqual(Object.keys(openapi.paths).sort(), ['/health', '/models', '/models/{id}', '/models/{id}/analyse', '/models/{id}/file']);
  assert.ok(openapi.paths['/models']?.post);
});
