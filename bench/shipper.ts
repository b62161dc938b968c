// `npm run bench -- shipper [lines]`: workshop lines per second shipped from a log file, by
// the shipper, into a minimal `_bulk` receiver that only acknowledges (the shipper's own
// rate) and end to end into `loupe run platform` in its own process; against reading the
// same file with no processing at all in the same run (the physical limit).
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, MemoryDestination } from '@loupe/log';
import { loadShipperConfig, startShipper } from '@loupe/shipper';
import { machineLine, processCpuSeconds } from './baseline.js';
import { startAckOnlyReceiver } from './ack-only-receiver.js';
import { startPlatformProcess, storedEvents } from './platform-process.js';
import { workshopEvent } from './workshop-events.js';

const total = Number(process.argv[2] ?? 1_000_000);

/** Writes `count` workshop JSON lines, as the services write them, to `<dataDir>/logs/bench/bench.log`. */
function writeLogFile(dataDir: string, count: number): string {
  const dir = join(dataDir, 'logs', 'bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench.log');
  const fd = openSync(path, 'w');
  const start = Date.now() - count;
  for (let from = 0; from < count; from += 10_000) {
    let chunk = '';
    for (let i = from; i < Math.min(count, from + 10_000); i++) chunk += `${JSON.stringify(workshopEvent(i, start, 1))}\n`;
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return path;
}

/** Reading the whole file in 4 MiB reads (and, when asked, finding every newline), nothing else. Best of three. */
function readSeconds(path: string, findLines: boolean): number {
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  let best = Infinity;
  let lines = 0;
  for (let round = 0; round < 3; round++) {
    const began = performance.now();
    const fd = openSync(path, 'r');
    for (let position = 0, bytes = 1; bytes > 0; position += bytes) {
      bytes = readSync(fd, buffer, 0, buffer.length, position);
      if (!findLines) continue;
      const view = buffer.subarray(0, bytes);
      for (let at = view.indexOf(10); at !== -1; at = view.indexOf(10, at + 1)) lines++;
    }
    closeSync(fd);
    best = Math.min(best, (performance.now() - began) / 1000);
  }
  if (findLines && lines !== 3 * total) throw new Error(`found ${lines / 3} lines, not ${total}`);
  return best;
}

/** A full collection before a clock starts (`npm run bench` exposes gc): the file's events are garbage by then, and must not be collected during a run. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** Seconds from the shipper's start until it has shipped `expected` events, and, with `untilStored`, until they are all stored and searchable. */
async function shipSeconds(dataDir: string, url: string, expected: number, env: Record<string, string>, untilStored?: () => Promise<number>): Promise<number> {
  rmSync(join(dataDir, 'shipper'), { recursive: true, force: true });
  const config = loadShipperConfig({ LOUPE_DATA_DIR: dataDir, LOUPE_URL: url, LOUPE_SHIPPER_PORT: '0', LOUPE_SHIPPER_POLL_MS: '10', LOUPE_SHIPPER_METRICS_MS: '600000', ...env });
  collect();
  const began = performance.now();
  const shipper = await startShipper(config, createLogger({ service: 'loupe-shipper', destination: new MemoryDestination() }));
  while (shipper.status().counters.eventsShipped < expected) await new Promise((resolve) => setTimeout(resolve, 5));
  const stored = await untilStored?.();
  if (stored !== undefined && stored !== expected) throw new Error(`${stored} events stored, ${expected} shipped`);
  const seconds = (performance.now() - began) / 1000;
  await shipper.stop();
  return seconds;
}

const rate = (lines: number, seconds: number) => `${Math.round(lines / seconds).toLocaleString('en')} lines/s`;

console.log(`shipper benchmark — ${await machineLine()}`);
const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-shipper-'));
try {
  const path = writeLogFile(dataDir, total);
  const bytes = statSync(path).size;
  console.log(`  ${total.toLocaleString('en')} workshop events, ${(bytes / total).toFixed(0)} bytes each, one ${(bytes / 2 ** 20).toFixed(0)} MiB file (in the page cache)`);
  const raw = total / readSeconds(path, false);
  const split = total / readSeconds(path, true);
  console.log(`  raw read, 4 MiB reads, no processing (baseline):        ${rate(total, total / raw)} (${(bytes / (total / raw) / 2 ** 20).toFixed(0)} MiB/s)`);
  console.log(`  raw read + finding each newline, nothing else:           ${rate(total, total / split)}`);

  const receiver = await startAckOnlyReceiver();
  for (const compression of ['none', 'gzip'] as const) {
    const before = await receiver.events();
    const seconds = await shipSeconds(dataDir, receiver.url, total, { LOUPE_SHIPPER_COMPRESSION: compression });
    const received = (await receiver.events()) - before;
    if (received !== total) throw new Error(`the receiver got ${received} events, not ${total}`);
    const label = compression === 'gzip' ? 'gzip level 1 (remote default)' : 'no compression (loopback default)';
    console.log(`  shipper → acknowledging receiver, ${label.padEnd(33)} ${rate(total, seconds).padEnd(17)} → ${(total / seconds / raw).toFixed(3)} of the raw read, ${(total / seconds / split).toFixed(3)} of read + newlines`);
  }
  await receiver.stop();

  // End to end: the same stream in a fresh data directory, all of it, so the figure is the
  // steady rate rather than the platform's warm-up (its first seconds run unoptimised code).
  const endToEndDir = join(dataDir, 'end-to-end');
  const endToEndTotal = total;
  mkdirSync(join(endToEndDir, 'logs', 'bench'), { recursive: true });
  copyFileSync(path, join(endToEndDir, 'logs', 'bench', 'bench.log'));
  const platform = await startPlatformProcess(join(endToEndDir, 'platform'));
  const platformBefore = await processCpuSeconds(platform.child.pid!);
  const shipperBefore = process.cpuUsage();
  const seconds = await shipSeconds(endToEndDir, platform.url, endToEndTotal, {}, () => storedEvents(platform.url));
  const platformAfter = await processCpuSeconds(platform.child.pid!);
  const shipperCpu = process.cpuUsage(shipperBefore);
  await platform.stop();
  const perLine = (cpuSeconds: number) => `${((cpuSeconds * 1e6) / endToEndTotal).toFixed(1)} µs/line`;
  const platformCpu = platformBefore === undefined || platformAfter === undefined ? '' : `platform CPU ${perLine(platformAfter - platformBefore)}, `;
  console.log(`  shipper → loupe run platform, end to end (${endToEndTotal.toLocaleString('en')} lines, until searchable): ${rate(endToEndTotal, seconds)} (bounded by the platform's ingest: npm run bench -- ingest)`);
  console.log(`    ${platformCpu}the shipper's CPU ${perLine((shipperCpu.user + shipperCpu.system) / 1e6)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
