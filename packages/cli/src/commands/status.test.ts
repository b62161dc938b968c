import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { ShipperStatus } from '@loupe/shipper';
import { freePort, loupe, platform, post } from './cli.fixture.js';

const shipperStatus: ShipperStatus = {
  platformUrl: 'http://127.0.0.1:9280', platformReachable: true,
  counters: { eventsShipped: 12_345, eventsRejected: 2, batchesShipped: 40, retries: 3, batchesBuffered: 0, eventsSetAside: 0, bytesSent: 4_000_000 },
  buffer: { bytes: 0, segments: 0, maxBytes: 256 * 1024 * 1024, dir: '/data/shipper/buffer' }, inFlightBatches: 0, readingPaused: false,
  lag: { bytes: 2048, seconds: 1 },
  files: [{ path: '/data/logs/shop-api.log', fileId: 'a', parser: 'json', size: 10, offset: 10, read: 10, lagBytes: 0, lagSeconds: 0, live: true }],
  unreadable: ['/data/logs/secret/secret.log'],
};

test('loupe status: the platform\'s indices, events, days and dead letters, and the local shipper\'s progress', async (t) => {
  const url = await platform(t);
  await post(url, [
    { '@timestamp': '2026-12-06T10:00:00Z', 'service.name': 'shop-api', message: 'one' },
    { '@timestamp': '2026-12-07T10:00:00Z', 'service.name': 'mes-api', message: 'two' },
  ]);
  await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"index":{}}\n{"broken":\n' });
  const shipper = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(shipperStatus)));
  shipper.listen(0, '127.0.0.1');
  await once(shipper, 'listening');
  t.after(() => shipper.close());
  const port = (shipper.address() as { port: number }).port;

  const answer = await loupe(['status'], { LOUPE_URL: url, LOUPE_SHIPPER_PORT: String(port) });
  assert.equal(answer.code, 0, answer.stderr);
  assert.equal(answer.stdout, [
    `Platform  ${url}`,
    '  indices       2 (2 hot, 0 cold), 2 events, days 2026-12-06 to 2026-12-07',
    "  dead letters  1 event that could not be read (loupe search '*' --indices 'dead-letter-*')",
    `Shipper   http://127.0.0.1:${port}`,
    '  platform      reachable (http://127.0.0.1:9280)',
    '  shipped       12,345 events (2 dead-lettered), 3 retries since start',
    '  lag           2,048 bytes, 1 s; 1 file followed',
    '  disk buffer   0 bytes of 256.0 MiB',
    '  unreadable    1 file it may not open, not shipped: /data/logs/secret/secret.log (check their permissions)',
    '',
  ].join('\n'));

  const alone = await loupe(['status'], { LOUPE_URL: url, LOUPE_SHIPPER_PORT: String(await freePort()) });
  assert.match(alone.stdout, /\nShipper {3}http:\/\/127\.0\.0\.1:\d+: not running here \(LOUPE_SHIPPER_PORT says where\)\n$/);
  // The platform down: said so, the shipper still shown, exit 1.
  const down = await loupe(['status'], { LOUPE_URL: `http://127.0.0.1:${await freePort()}`, LOUPE_SHIPPER_PORT: String(port) });
  assert.equal(down.code, 1);
  assert.match(down.stdout, /^Platform {2}http:\/\/127\.0\.0\.1:\d+: cannot reach the Loupe platform at .* \(ECONNREFUSED\); start it with `loupe run platform` or set LOUPE_URL\nShipper {3}http:\/\/127\.0\.0\.1:\d+\n {2}platform {6}reachable/);
  const json = JSON.parse((await loupe(['status', '--json'], { LOUPE_URL: url, LOUPE_SHIPPER_PORT: String(port) })).stdout) as { platform: { indices: unknown[] }; shipper: ShipperStatus };
  assert.equal(json.platform.indices.length, 3);
  assert.equal(json.shipper.counters.eventsShipped, 12_345);
});
