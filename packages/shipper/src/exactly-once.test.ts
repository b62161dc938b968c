import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFile } from '@loupe/log';
import { ComponentProcess, freePort, indexNames, storedCount, waitFor } from './shipper.fixture.js';

const LINES = 200_000;
const LINES_PER_ROUND = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function line(sequence: number): string {
  return `${JSON.stringify({ '@timestamp': new Date().toISOString(), 'log.level': 'info', 'service.name': 'exactly-once', message: `line ${sequence} of ${LINES}`, 'event.sequence': sequence })}\n`;
}

test('R23 200,000 lines written while the shipper is SIGKILLed and restarted and the platform is killed and restarted are each stored exactly once', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-exactly-once-'));
  const platformPort = await freePort();
  const platformUrl = `http://127.0.0.1:${platformPort}`;
  const shipperPort = await freePort();
  const platformEnv = { LOUPE_DATA_DIR: join(dir, 'platform'), LOUPE_PLATFORM_PORT: String(platformPort) };
  // The shipper's defaults: the workshop's log folder under its data directory, JSON lines.
  const shipperEnv = {
    LOUPE_DATA_DIR: dir, LOUPE_URL: platformUrl, LOUPE_SHIPPER_PORT: String(shipperPort), LOUPE_SHIPPER_POLL_MS: '50', LOUPE_SHIPPER_SCAN_MS: '100',
    LOUPE_SHIPPER_BATCH_WAIT_MS: '200', LOUPE_SHIPPER_RETRY_MAX_MS: '1000',
  };
  let platform = await ComponentProcess.start('platform', platformEnv);
  let shipper = await ComponentProcess.start('shipper', shipperEnv);
  t.after(async () => {
    await shipper.kill('SIGKILL');
    await platform.kill('SIGKILL');
    if (process.env.KEEP_TEST_DIR) console.log(dir);
    else rmSync(dir, { recursive: true, force: true });
  });
  // The workshop's own writer: renames to .1, .2, … at 2 MiB, so rotations happen throughout.
  const file = new RotatingFile({ path: join(dir, 'logs', 'exactly-once', 'exactly-once.log'), maxSizeBytes: 2 * 1024 * 1024, maxFiles: 1000 });

  const crashes: string[] = [];
  const writer = (async () => {
    for (let sequence = 0; sequence < LINES;) {
      let chunk = '';
      for (const end = sequence + LINES_PER_ROUND; sequence < end; sequence++) chunk += line(sequence);
      file.append(Buffer.from(chunk));
      await sleep(60);
    }
    file.close();
  })();
  const killShipper = async () => {
    await shipper.kill('SIGKILL');
    crashes.push('shipper SIGKILL');
    shipper = await ComponentProcess.start('shipper', shipperEnv);
  };
  const stopPlatform = async (signal: NodeJS.Signals) => {
    await platform.kill(signal);
    crashes.push(`platform ${signal}`);
    // Down long enough for the shipper to fill its disk buffer and for files to rotate meanwhile.
    await sleep(1_500);
    platform = await ComponentProcess.start('platform', platformEnv);
  };
  // The platform hangs with requests on their way (SIGSTOP), then both die: those batches are
  // neither stored nor in the shipper's memory any more, and must be read again from the files.
  const killBoth = async () => {
    platform.child.kill('SIGSTOP');
    await sleep(1_000);
    await Promise.all([shipper.kill('SIGKILL'), platform.kill('SIGKILL')]);
    crashes.push('platform SIGSTOP, both SIGKILL');
    platform = await ComponentProcess.start('platform', platformEnv);
    shipper = await ComponentProcess.start('shipper', shipperEnv);
  };
  const chaos = (async () => {
    for (const step of [killBoth, killShipper, () => stopPlatform('SIGKILL'), killShipper, () => stopPlatform('SIGTERM'), killBoth, killShipper]) {
      await sleep(1_500);
      await step();
    }
  })();
  await Promise.all([writer, chaos]);

  let stored = 0;
  await waitFor('every line in the store', async () => {
    stored = await storedCount(platformUrl, 'logs-exactly-once-');
    return stored >= LINES ? true : undefined;
  }, 120_000).catch(async (error: Error) => {
    const status = await fetch(`http://127.0.0.1:${shipperPort}/status`).then((response) => response.text(), (e: Error) => e.message);
    throw new Error(`${error.message}: ${stored} stored after ${crashes.join(', ')}\nshipper status: ${status}\nshipper log: ${shipper.log.slice(-3000)}`);
  });
  await waitFor('the shipper to have nothing left to send', async () => {
    const status = (await (await fetch(`http://127.0.0.1:${shipperPort}/status`)).json()) as { lag: { bytes: number }; buffer: { segments: number }; inFlightBatches: number };
    return status.lag.bytes === 0 && status.buffer.segments === 0 && status.inFlightBatches === 0 ? true : undefined;
  });

  assert.equal(await storedCount(platformUrl, 'logs-exactly-once-'), LINES);
  const params = new URLSearchParams({ field: 'event.sequence', q: 'service.name:exactly-once', limit: '1', from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' });
  const top = (await (await fetch(`${platformUrl}/api/top-values?${params}`)).json()) as { values: Array<{ value: unknown; count: number }> };
  assert.equal(top.values[0]?.count, 1, `sequence ${String(top.values[0]?.value)} is stored ${top.values[0]?.count} times`);
  assert.deepEqual((await indexNames(platformUrl)).filter((name) => name.startsWith('dead-letter')), []);
});
