import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformInProcess, searchAll, shipperIdle, startTestShipper, storedCount, waitFor } from './shipper.fixture.js';

function jsonLine(service: string, sequence: number, message = `${service} line ${sequence}`): string {
  return `${JSON.stringify({ '@timestamp': new Date().toISOString(), 'log.level': 'info', 'service.name': service, message, 'event.sequence': sequence })}\n`;
}

/** A platform and a shipper on the workshop's log folder of a fresh data directory. */
async function setUp(t: TestContext, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bad-input-'));
  const platform = await PlatformInProcess.start(join(dir, 'platform'));
  const { shipper, lines } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: platform.url, ...env });
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
