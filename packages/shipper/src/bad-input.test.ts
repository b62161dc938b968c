import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { freePort, PlatformInProcess, searchAll, shipperIdle, startTestShipper, storedCount, waitFor } from './shipper.fixture.js';
import type { RunningShipper } from './shipper.js';

function jsonLine(service: string, sequence: number, message = `${service} line ${sequence}`): string {
  return `${JSON.stringify({ '@timestamp': new Date().toISOString(), 'log.level': 'info', 'service.name': service, message, 'event.sequence': sequence })}\n`;
}

/**
 * A platform and a shipper on the workshop's log folder of a data directory (a fresh one
 * unless given); `front` puts something between them, given the platform's address.
 */
async function setUp(t: TestContext, env: Record<string, string> = {}, options: { dir?: string; front?: (platformUrl: string) => Promise<string> } = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'loupe-bad-input-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  const url = options.front ? await options.front(platform.url) : platform.url;
  const { shipper, lines } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: url, ...env });
  t.after(async () => {
    await shipper.stop();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const logFile = (service: string) => {
    mkdirSync(join(dir, 'logs', service), { recursive: true });
    return join(dir, 'logs', service, `${service}.log`);
  };
  return { platform, shipper, lines, logFile };
}

/**
 * A proxy to the platform that notes the size of each `_bulk` body it passes on (in
 * `bodySizes`, uncompressed), and refuses as too large (413) any of more than `maxEvents` events.
 */
async function bulkProxy(t: TestContext, platformUrl: string, { maxEvents = Infinity, bodySizes = [] as number[] }): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      bodySizes.push(body.length);
      if (body.toString().split('\n').filter(Boolean).length / 2 > maxEvents) {
        response.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"code":"INGEST_BODY_TOO_LARGE","message":"send smaller batches"}}');
        return;
      }
      const answer = await fetch(`${platformUrl}${request.url}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('R23 a binary garbage line among JSON lines is stored as plain text tagged _parse_failure, and the lines around it are stored', async (t) => {
  const { platform, logFile } = await setUp(t);
  const garbage = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x7b, 0x22, 0x9c, 0x0b, 0x41, 0x42, 0xc3, 0x28, 0x7f]);
  writeFileSync(logFile('garbled'), Buffer.concat([Buffer.from(jsonLine('garbled', 0)), garbage, Buffer.from('\n'), Buffer.from(jsonLine('garbled', 2))]));
  await waitFor('3 events', async () => ((await storedCount(platform.url, 'logs-garbled-')) >= 3 ? true : undefined));
  const events = await searchAll(platform.url, 'service.name:garbled');
  assert.deepEqual(events.map((event) => event['event.sequence'] ?? 'garbage').sort(), [0, 2, 'garbage']);
  const failed = events.find((event) => event['event.sequence'] === undefined)!;
  assert.deepEqual(failed.tags, ['_parse_failure']);
  assert.match(String(failed['error.message']), /not JSON/);
  assert.match(String(failed.message), /AB/);
});

test('R23 a line that is not UTF-8 is read as Latin-1, as older programs write it: café stays café, not caf\ufffd', async (t) => {
  const { platform, logFile } = await setUp(t);
  writeFileSync(logFile('latin'), Buffer.concat([Buffer.from(jsonLine('latin', 0)), Buffer.from('caf\xe9 ouvert \xe0 9h\n', 'latin1'), Buffer.from('déjà UTF-8\n')]));
  await waitFor('3 events', async () => ((await storedCount(platform.url, 'logs-latin-')) >= 3 ? true : undefined));
  const messages = (await searchAll(platform.url, 'service.name:latin')).map((event) => String(event.message)).sort();
  assert.deepEqual(messages, ['café ouvert à 9h', 'déjà UTF-8', 'latin line 0']);
});

test('R23 a UTF-16 file is named in a warning saying to convert it, rather than shipped garbled in silence', async (t) => {
  const { logFile, lines } = await setUp(t);
  writeFileSync(logFile('wide'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('2026-12-07 10:00:00 INFO hello\n', 'utf16le')]));
  await waitFor('the warning', async () => (lines.records().some((line) => /wide\.log starts with a UTF-16 byte-order mark: .*iconv -f UTF-16 -t UTF-8/.test(String(line.message))) ? true : undefined));
});

test('R23 a 2 MB line is stored truncated with a marker, and the line after it is stored whole', async (t) => {
  const { platform, logFile } = await setUp(t);
  const long = jsonLine('long', 1, `start-of-long-line ${'x'.repeat(2_000_000)}`);
  writeFileSync(logFile('long'), jsonLine('long', 0) + long + jsonLine('long', 2));
  await waitFor('3 events', async () => ((await storedCount(platform.url, 'logs-long-')) >= 3 ? true : undefined));
  const events = await searchAll(platform.url, 'service.name:long');
  assert.equal(events.length, 3);
  const truncated = events.find((event) => Array.isArray(event.tags) && event.tags.includes('_truncated'))!;
  assert.ok(truncated, 'one event is tagged _truncated');
  assert.match(String(truncated.message), /start-of-long-line x{1000}/);
  assert.match(String(truncated.message), /truncated/);
  assert.deepEqual(events.filter((event) => event !== truncated).map((event) => event['event.sequence']).sort(), [0, 2]);
});

test('R23 an empty file ships nothing until a line is appended, which is then stored', async (t) => {
  const { platform, shipper, logFile } = await setUp(t);
  const path = logFile('empty');
  writeFileSync(path, '');
  await waitFor('the shipper to open the empty file', () => (shipper.status().files.some((file) => file.path === path) ? true : undefined));
  await shipperIdle(shipper);
  assert.equal(await storedCount(platform.url, 'logs-empty-'), 0);
  appendFileSync(path, jsonLine('empty', 0));
  await waitFor('the appended line', async () => ((await storedCount(platform.url, 'logs-empty-')) >= 1 ? true : undefined));
  assert.deepEqual((await searchAll(platform.url, 'service.name:empty')).map((event) => event.message), ['empty line 0']);
});

test('R23 a file deleted while it is being read is read to its end through the open descriptor', { timeout: 120_000 }, async (t) => {
  // Small batches, one at a time: reading trails the platform, so the file is still being read when it is deleted.
  const { platform, shipper, lines, logFile } = await setUp(t, { LOUPE_SHIPPER_BATCH_BYTES: '32768', LOUPE_SHIPPER_IN_FLIGHT: '1' });
  const path = logFile('deleted');
  const total = 30_000;
  let text = '';
  for (let sequence = 0; sequence < total; sequence++) text += jsonLine('deleted', sequence);
  writeFileSync(path, text);
  const midway = await waitFor('the shipper to be part-way through the file', () => {
    const file = shipper.status().files.find((candidate) => candidate.path === path);
    return file && file.offset > 0 ? file : undefined;
  });
  unlinkSync(path);
  assert.ok(midway.offset < midway.size, `the file was already shipped (${midway.offset} of ${midway.size} bytes) when it was deleted`);
  await waitFor('every line of the deleted file', async () => ((await storedCount(platform.url, 'logs-deleted-')) >= total ? true : undefined), 90_000);
  const events = await searchAll(platform.url, 'service.name:deleted');
  assert.equal(new Set(events.map((event) => event['event.sequence'])).size, total);
  assert.equal(events.length, total);
  await waitFor('the deleted file to be closed', () => (shipper.status().files.some((file) => file.path === path) ? undefined : true));
  assert.ok(!lines.records().some((line) => line['log.level'] === 'warn' || line['log.level'] === 'error'), 'no warning about lost lines');
});

test('R23 a NUL-filled hole before a line (a writer that kept its offset after copy-truncate) is skipped: the line after it is stored as itself', async (t) => {
  const { platform, logFile } = await setUp(t);
  const path = logFile('holed');
  writeFileSync(path, jsonLine('holed', 0));
  truncateSync(path, 200_000);
  appendFileSync(path, jsonLine('holed', 1));
  await waitFor('2 events', async () => ((await storedCount(platform.url, 'logs-holed-')) >= 2 ? true : undefined));
  const events = await searchAll(platform.url, 'service.name:holed');
  assert.deepEqual(events.map((event) => [event['event.sequence'], event.message, event.tags]).sort(), [[0, 'holed line 0', undefined], [1, 'holed line 1', undefined]]);
});

test('R23 a damaged disk buffer segment (not gzip, or unreadable) is set aside with an error naming it; the segments behind it and new lines are stored', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bad-input-'));
  const buffer = join(dir, 'shipper', 'buffer');
  mkdirSync(buffer, { recursive: true });
  const good = (id: string) => `{"create":{"_id":"${id}"}}\n${jsonLine('buffered', Number(id.slice(-1)))}`;
  writeFileSync(join(buffer, '000000000001-1.ndjson.gz'), gzipSync(good('seg:1')));
  writeFileSync(join(buffer, '000000000002-5.ndjson.gz'), Buffer.from('not gzip at all, a disk error'));
  mkdirSync(join(buffer, '000000000003-2.ndjson.gz'));
  writeFileSync(join(buffer, '000000000004-1.ndjson.gz'), gzipSync(good('seg:4')));
  const { platform, shipper, lines, logFile } = await setUp(t, {}, { dir });
  writeFileSync(logFile('fresh'), jsonLine('fresh', 0));

  await waitFor('the good segments and the new line', async () => ((await storedCount(platform.url, 'logs-buffered-')) >= 2 && (await storedCount(platform.url, 'logs-fresh-')) >= 1 ? true : undefined));
  assert.deepEqual((await searchAll(platform.url, 'service.name:buffered')).map((event) => event['event.sequence']).sort(), [1, 4]);
  await shipperIdle(shipper);
  const status = (await (await fetch(shipper.statusUrl)).json()) as { counters: { eventsSetAside: number }; buffer: { segments: number } };
  assert.deepEqual([status.counters.eventsSetAside, status.buffer.segments], [7, 0]);
  const errors = lines.records().filter((line) => line['log.level'] === 'error');
  assert.deepEqual(errors.map((line) => line['shipper.buffer.segment']).sort(), [join(buffer, '000000000002-5.ndjson.gz'), join(buffer, '000000000003-2.ndjson.gz')]);
  assert.match(String(errors.find((line) => line['shipper.buffer.events'] === 5)!.message), /is not valid gzip .*: its 5 events cannot be sent and are not in the store; it is kept as .*000000000002-5\.ndjson\.gz\.corrupt/);
  assert.match(String(errors.find((line) => line['shipper.buffer.events'] === 2)!.message), /cannot be read \(EISDIR\)/);
  assert.ok(existsSync(join(buffer, '000000000002-5.ndjson.gz.corrupt')));
});

test('R23 a batch the platform refuses as too large (413) is sent in halves, each line stored once', async (t) => {
  // A platform that takes at most 40 events a request, as one with a small LOUPE_MAX_BODY_BYTES would.
  const { platform, lines, logFile } = await setUp(t, {}, { front: (platformUrl) => bulkProxy(t, platformUrl, { maxEvents: 40 }) });
  let text = '';
  for (let sequence = 0; sequence < 300; sequence++) text += jsonLine('halved', sequence);
  writeFileSync(logFile('halved'), text);
  await waitFor('300 events', async () => ((await storedCount(platform.url, 'logs-halved-')) >= 300 ? true : undefined));
  const events = await searchAll(platform.url, 'service.name:halved');
  assert.equal(new Set(events.map((event) => event['event.sequence'])).size, 300);
  assert.equal(events.length, 300);
  assert.ok(lines.records().some((line) => line['call.status_code'] === 413), 'the 413 was seen and logged');
});

test('R23 while the platform is away the status says so with the last error and its time; once it is back, every line is stored and the status says it is reachable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bad-input-'));
  const port = await freePort();
  const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: `http://127.0.0.1:${port}` });
  const later: { platform?: PlatformInProcess } = {};
  t.after(async () => {
    await shipper.stop();
    await later.platform?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(join(dir, 'logs', 'away'), { recursive: true });
  writeFileSync(join(dir, 'logs', 'away', 'away.log'), jsonLine('away', 1) + jsonLine('away', 2));
  const down = await waitFor('the shipper to find the platform away', () => (shipper.status().lastError !== undefined ? shipper.status() : undefined));
  assert.equal(down.platformReachable, false);
  assert.match(down.lastError!, /ECONNREFUSED|connect/i);
  assert.ok(Math.abs(Date.parse(down.lastErrorAt!) - Date.now()) < 60_000, `lastErrorAt ${down.lastErrorAt} is a recent ISO time`);
  const platform = later.platform = await PlatformInProcess.start(join(dir, 'platform'), port);
  await waitFor('2 events', async () => ((await storedCount(platform.url, 'logs-away-')) >= 2 ? true : undefined));
  await waitFor('the status to say reachable', () => (shipper.status().platformReachable ? true : undefined));
  // Retries went on until the platform came: the record is the last of them, kept after recovery.
  const after = shipper.status();
  assert.ok(after.lastError !== undefined && after.lastErrorAt! >= down.lastErrorAt!, 'the last error stays on record');
});

test('R23 short plain-text lines, which grow many times over as JSON documents, make batches near LOUPE_SHIPPER_BATCH_BYTES, and each is stored once', async (t) => {
  const bodySizes: number[] = [];
  const batchBytes = 65_536;
  const { platform, logFile } = await setUp(t, { LOUPE_SHIPPER_BATCH_BYTES: String(batchBytes) }, { front: (platformUrl) => bulkProxy(t, platformUrl, { bodySizes }) });
  // 20,000 two-byte lines: 40 KB read, ~3 MB of batches.
  writeFileSync(logFile('terse'), 'x\n'.repeat(20_000));
  await waitFor('20,000 events', async () => ((await storedCount(platform.url, 'logs-terse-')) >= 20_000 ? true : undefined));
  assert.equal(await storedCount(platform.url, 'logs-terse-'), 20_000);
  assert.ok(bodySizes.length >= 20, `${bodySizes.length} batches`);
  // A batch is sealed once it reaches its size, so it can pass it by a read's worth.
  assert.ok(Math.max(...bodySizes) < 3 * batchBytes, `the largest batch was ${Math.max(...bodySizes)} bytes`);
});

test('R23 a file the shipper read stays known while one run is started with other LOUPE_SHIPPER_PATHS: the next run with the right ones does not ship it again', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bad-input-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  t.after(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'in', 'orders.log');
  mkdirSync(join(dir, 'in'));
  // Under 1 KiB when first seen, as a new log file is: its ids come from the registry entry alone.
  writeFileSync(path, [0, 1, 2].map((sequence) => jsonLine('orders', sequence)).join(''));
  const run = async (paths: string, until: (shipper: RunningShipper) => Promise<unknown>) => {
    const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: platform.url, LOUPE_SHIPPER_PATHS: paths });
    try {
      await until(shipper);
    } finally {
      await shipper.stop();
    }
  };
  await run(`json:${join(dir, 'in', '*.log')}`, () => waitFor('3 events', async () => ((await storedCount(platform.url, 'logs-orders-')) >= 3 ? true : undefined)));
  await run(`json:${join(dir, 'elsewhere', '*.log')}`, async (shipper) => {
    await waitFor('the file no glob names to be read to its end and closed', () => (shipper.status().files.some((file) => file.path === path) ? undefined : true));
    // Some scans after that, where a file out of every glob's sight used to be forgotten.
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  appendFileSync(path, jsonLine('orders', 3));
  await run(`json:${join(dir, 'in', '*.log')}`, async (shipper) => {
    await waitFor('the appended line', async () => ((await storedCount(platform.url, 'logs-orders-')) >= 4 ? true : undefined));
    await shipperIdle(shipper);
  });
  const events = await searchAll(platform.url, 'service.name:orders');
  assert.deepEqual(events.map((event) => event['event.sequence']).sort(), [0, 1, 2, 3]);
});
