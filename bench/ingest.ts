// `npm run bench -- ingest [events]`: events/s through POST /_bulk over HTTP into the platform
// (its own process), against PostgreSQL COPY into a table with a time index and a full-text
// index in the same run; then bytes on disk per event against the raw NDJSON.
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DuckDbStore } from '@loupe/platform';
import { BulkClient } from '@loupe/shipper';
import { machineLine, processCpuSeconds } from './baseline.js';
import { startPlatformProcess, storedEvents } from './platform-process.js';
import { workshopEvent } from './workshop-events.js';

// A million events: a run of 400,000 ended before DuckDB's first automatic checkpoint (its
// write-ahead log at 119 MB of the 128 MB threshold), so the compression work fell to the
// shutdown, outside the clock; a million include it.
const total = Number(process.argv[2] ?? 1_000_000);
const perRequest = 5_000;
const concurrency = Number(process.env.LOUPE_BENCH_CONCURRENCY ?? 3);
const start = Date.parse('2026-11-21T00:00:00Z');

/**
 * Both clients' payloads, built before either clock starts: Loupe's `_bulk` bodies, as the
 * shipper sends them (an `_id` per event from its file and offset, each body as bytes), and
 * COPY's rows as text. The events themselves are garbage once these are built, so the
 * benchmark's own heap does not make the garbage collector compete with the server for the
 * two cores during the runs.
 */
function payloads(): { rawBytes: number; bodies: Buffer[]; copyChunks: Buffer[] } {
  const events = Array.from({ length: total }, (_, i) => workshopEvent(i, start, 50));
  const lines = events.map((event) => JSON.stringify(event));
  const escape = (value: unknown) => String(value ?? '\\N').replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const bodies: Buffer[] = [];
  const copyChunks: Buffer[] = [];
  for (let offset = 0; offset < total; offset += perRequest) {
    const end = Math.min(total, offset + perRequest);
    bodies.push(Buffer.from(lines.slice(offset, end).map((line, i) => `{"create":{"_id":"bench:${offset + i}"}}\n${line}`).join('\n') + '\n'));
    let text = '';
    for (let i = offset; i < end; i++) {
      const event = events[i]!;
      text += `${escape(event['@timestamp'])}\t${escape(event['log.level'])}\t${escape(event['service.name'])}\t${escape(event.message)}\t${escape(lines[i])}\n`;
    }
    copyChunks.push(Buffer.from(text));
  }
  return { rawBytes: lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0), bodies, copyChunks };
}
const { rawBytes, bodies, copyChunks } = payloads();
/** A full collection before a clock starts (`npm run bench` exposes gc). */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true }).map(String).reduce((sum, file) => {
    const stat = statSync(join(dir, file));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
}

/** Moves every index of the stopped platform's store to the cold tier (R27) and measures the Parquet files. */
async function coldBytes(dataDir: string): Promise<number> {
  const store = await DuckDbStore.open({ path: join(dataDir, 'loupe.duckdb'), tmpDir: join(dataDir, 'tmp') });
  try {
    for (const { name } of await store.listIndices()) await store.moveToCold(name);
  } finally {
    await store.close();
  }
  return dirBytes(join(dataDir, 'cold'));
}

interface Run {
  eventsPerSecond: number;
  /** CPU time the server used per event (µs), when /proc tells. */
  cpuMicros?: number;
}

const cpuMicrosPerEvent = (before?: number, after?: number) => (before === undefined || after === undefined ? undefined : ((after - before) * 1e6) / total);

async function loupeIngest(): Promise<Run & { clientCpuMicros: number; bytesPerEvent: number; coldBytesPerEvent: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-ingest-'));
  const platform = await startPlatformProcess(dataDir);
  // Posted and each answer read by the shipper's own client.
  const client = new BulkClient(platform.url);
  collect();
  const cpuBefore = await processCpuSeconds(platform.child.pid!);
  const clientBefore = process.cpuUsage();
  const began = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const outcome = await client.post(bodies[next++]!, 'identity');
      if (!outcome.delivered || outcome.rejected > 0) throw new Error(`bulk failed: ${outcome.delivered ? outcome.firstRejection : outcome.reason}`);
    }
  }));
  const acknowledged = (performance.now() - began) / 1000;
  const stored = await storedEvents(platform.url);
  const seconds = (performance.now() - began) / 1000;
  if (stored !== total) throw new Error(`${stored} events stored, ${total} sent`);
  console.log(`  every event acknowledged after ${acknowledged.toFixed(2)} s, all searchable after ${seconds.toFixed(2)} s`);
  const cpuMicros = cpuMicrosPerEvent(cpuBefore, await processCpuSeconds(platform.child.pid!));
  const clientCpu = process.cpuUsage(clientBefore);
  client.close();
  await platform.stop();
  const bytes = statSync(join(dataDir, 'loupe.duckdb')).size;
  if (process.env.LOUPE_BENCH_KEEP_DATA === '1') copyFileSync(join(dataDir, 'loupe.duckdb'), join(dataDir, 'hot.duckdb'));
  const cold = await coldBytes(dataDir);
  // LOUPE_BENCH_KEEP_DATA=1 keeps the data directory, the hot file as hot.duckdb, to look into afterwards.
  if (process.env.LOUPE_BENCH_KEEP_DATA === '1') console.log(`  data kept in ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
  return { eventsPerSecond: total / seconds, cpuMicros, clientCpuMicros: (clientCpu.user + clientCpu.system) / total, bytesPerEvent: bytes / total, coldBytesPerEvent: cold / total };
}

async function postgresCopy(): Promise<Run | undefined> {
  const client = new pg.Client({ connectionString: process.env.LOUPE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  try {
    await client.connect();
  } catch (error) {
    console.log(`  PostgreSQL baseline skipped: ${(error as Error).message}`);
    return undefined;
  }
  try {
    await client.query('DROP TABLE IF EXISTS loupe_bench_logs');
    await client.query('CREATE TABLE loupe_bench_logs (ts timestamptz, level text, service text, message text, doc jsonb)');
    await client.query('CREATE INDEX ON loupe_bench_logs (ts)');
    await client.query(`CREATE INDEX ON loupe_bench_logs USING gin (to_tsvector('simple', message))`);
    const backend = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const cpuBefore = await processCpuSeconds(backend);
    collect();
    const began = performance.now();
    const rows = Readable.from(copyChunks);
    await pipeline(rows, client.query(copyFrom('COPY loupe_bench_logs FROM STDIN')));
    const seconds = (performance.now() - began) / 1000;
    const cpuMicros = cpuMicrosPerEvent(cpuBefore, await processCpuSeconds(backend));
    await client.query('DROP TABLE loupe_bench_logs');
    return { eventsPerSecond: total / seconds, cpuMicros };
  } finally {
    await client.end();
  }
}

console.log(`ingest benchmark — ${await machineLine()}`);
console.log(`  ${total.toLocaleString('en')} workshop events, ${(rawBytes / total).toFixed(0)} bytes each as NDJSON, ${perRequest} per _bulk request, ${concurrency} requests in flight`);
const loupe = await loupeIngest();
const baseline = await postgresCopy();
const cpu = (run: Run) => (run.cpuMicros === undefined ? '' : `, server CPU ${run.cpuMicros.toFixed(1)} µs/event`);
console.log(`  Loupe /_bulk over HTTP, end to end:        ${Math.round(loupe.eventsPerSecond).toLocaleString('en')} events/s${cpu(loupe)} (the sending client: ${loupe.clientCpuMicros.toFixed(1)} µs/event)`);
if (baseline) {
  console.log(`  PostgreSQL COPY (time + full-text index):  ${Math.round(baseline.eventsPerSecond).toLocaleString('en')} events/s${cpu(baseline)}`);
  console.log(`  → Loupe ${(loupe.eventsPerSecond / baseline.eventsPerSecond).toFixed(2)}× the baseline's events/s${loupe.cpuMicros && baseline.cpuMicros ? `, ${(baseline.cpuMicros / loupe.cpuMicros).toFixed(2)}× its CPU efficiency` : ''}`);
}
const rawPerEvent = rawBytes / total;
console.log(`  Bytes on disk per event, hot (DuckDB file): ${loupe.bytesPerEvent.toFixed(1)} (raw NDJSON ${rawPerEvent.toFixed(0)}) → ${(loupe.bytesPerEvent / rawPerEvent).toFixed(3)} of raw`);
console.log(`  Bytes on disk per event, cold (zstd Parquet): ${loupe.coldBytesPerEvent.toFixed(1)} → ${(loupe.coldBytesPerEvent / rawPerEvent).toFixed(3)} of raw`);
