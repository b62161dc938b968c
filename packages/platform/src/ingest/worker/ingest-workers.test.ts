import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LoupeError } from '@loupe/schema';
import { startTestPlatform, workshopLine } from '../../platform.fixture.js';
import { stagingFilePrefix } from '../../store/duckdb/stage-batch.js';
import { IngestWorkers } from './ingest-workers.js';
import type { IngestJob } from './prepare-ingest.js';

const bulkBody = (lines: string[]) => lines.join('\n') + '\n';
const job = (body: string, extra: Partial<IngestJob> = {}): IngestJob => ({
  protocol: 'bulk', body: Buffer.from(body), encoding: 'identity', maxBodyBytes: 1 << 20, maxLineBytes: 4096, ...extra,
});

test('R24 an ingest worker parses, runs the pipeline on and stages a body; a failed job tells why and the next one still runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ingest-workers-'));
  const workers = new IngestWorkers(1, { pipeline: {}, stagingDir: dir });
  try {
    const line = JSON.stringify(workshopLine({ message: 'Order ORD-1042 paid by anna.petrova@mail.ru' }));
    const prepared = await workers.prepare(job(bulkBody(['{"create":{"_id":"f:1"}}', line, '{"create":{"_id":"f:1"}}', line, '{"create":{}}', '{oops'])));
    const items = (JSON.parse(prepared.bulk!.items.toString()) as Array<{ create: { _id: string | null; status: number; error?: { reason: string } } }>).map((item) => item.create);
    assert.deepEqual(items.map((item) => [item._id, item.status]), [['f:1', 201], ['f:1', 409], [null, 400]]);
    assert.match(items[2]!.error!.reason, /failed to parse document/);
    const logs = prepared.staged.slices.find((slice) => slice.index.startsWith('logs-mes-api-'))!;
    assert.equal(logs.rows, 1);
    const staged = JSON.parse(readFileSync(logs.file, 'utf8')) as Record<string, unknown>;
    assert.equal(staged.message, 'Order ORD-1042 paid by [EMAIL]', 'masked in the worker with the logger code (R22)');
    assert.deepEqual(prepared.staged.orderDays.map(({ orders }) => orders), [['ORD-1042']]);

    const gzipped = await workers.prepare(job('', { body: gzipSync(bulkBody(['{"index":{}}', line])), encoding: 'gzip' }));
    assert.deepEqual(gzipped.bulk, { errors: false, items: gzipped.bulk!.items });
    assert.match(gzipped.bulk!.items.toString(), /"status":201}}]$/);

    await assert.rejects(workers.prepare(job('', { body: Buffer.from('not gzip'), encoding: 'gzip' })), (error: unknown) => {
      assert.ok(error instanceof LoupeError);
      assert.equal(error.code, 'INGEST_BAD_ENCODING');
      assert.equal(error.status, 400);
      return true;
    });
    rmSync(dir, { recursive: true });
    await assert.rejects(workers.prepare(job(bulkBody(['{"index":{}}', line]))), (error: unknown) => error instanceof LoupeError && error.code === 'INGEST_WORKER_FAILED');
  } finally {
    await workers.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(workers.prepare(job('')), /shutting down/);
});

test('R24 a body answers the same and stores the same whether a worker or the request thread prepares it', async () => {
  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify(workshopLine({ 'order.id': `ORD-${i % 7}`, '@timestamp': new Date(Date.UTC(2026, 10, 20 + (i % 2), 10, 0, i)).toISOString() })));
  const body = bulkBody(lines.flatMap((line, i) => [`{"create":{"_id":"w:${i % 30}"}}`, i === 13 ? '{"broken' : line]));
  const answers: unknown[] = [];
  for (const workers of ['0', '2']) {
    const platform = await startTestPlatform({ LOUPE_INGEST_WORKERS: workers });
    try {
      const response = await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
      const { took: _took, ...answer } = (await response.json()) as Record<string, unknown>;
      // Sent twice: the second time every good line is already stored.
      const again = (await (await fetch(`${platform.url}/_bulk`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } })).json()) as { items: Array<Record<string, { status: number }>> };
      const stored = (await (await fetch(`${platform.url}/api/search?q=*&from=30d&limit=100&order=asc`)).json()) as { events: Array<Record<string, unknown>> };
      answers.push({ answer, again: again.items.map((item) => Object.values(item)[0]!.status), stored: stored.events.map((e) => [e._id, e._index, e['order.id']]) });
      const staging = existsSync(join(platform.config.dataDir, 'tmp')) ? readdirSync(join(platform.config.dataDir, 'tmp')).filter((file) => file.startsWith('staging-')) : [];
      assert.deepEqual(staging, [], 'no staging file is left behind');
    } finally {
      await platform.close();
    }
  }
  assert.deepEqual(answers[1], answers[0]);
  const first = answers[0] as { again: number[]; stored: unknown[] };
  assert.equal(first.stored.length, 29, '30 ids, one of them only ever sent broken');
  assert.deepEqual([...new Set(first.again)].sort(), [400, 409]);
});

test('R24 a worker that does not answer in time is stopped, its job fails with a 503 that says so, and the job\'s staging files go', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ingest-workers-'));
  const line = JSON.stringify(workshopLine());
  const body = bulkBody(Array.from({ length: 2_000 }, (_, i) => [`{"create":{"_id":"s:${i}"}}`, line]).flat());
  // A millisecond: not even enough to start the worker.
  const impatient = new IngestWorkers(1, { pipeline: {}, stagingDir: dir }, 1);
  // What the stopped job would have left half written, and a file of another writer.
  const halfWritten = `${stagingFilePrefix(impatient.stagingTag(1))}1.ndjson`;
  const another = `${stagingFilePrefix('t999')}1.ndjson`;
  for (const name of [halfWritten, another]) writeFileSync(join(dir, name), '{"id":"x"');
  try {
    await assert.rejects(impatient.prepare(job(body)), (error: unknown) => {
      assert.ok(error instanceof LoupeError);
      assert.equal(error.code, 'INGEST_WORKER_FAILED');
      assert.equal(error.status, 503);
      assert.match(error.message, /stopped \(no answer within 0.001 s\); nothing of this body was stored/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), [another]);
  } finally {
    await impatient.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
