import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, loupe, takenPort } from './cli.fixture.js';

test('loupe --version prints the version, and loupe help COMMAND prints that command\'s usage', async () => {
  const version = await loupe(['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.match(version.stdout, /^loupe \d+\.\d+\.\d+\n$/);
  const help = await loupe(['help', 'search']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: loupe search 'service\.name:mes-api/);
  const unknown = await loupe(['help', 'serach']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^loupe help: unknown command "serach"/);
});

test('npx loupe works on a fresh clone: npm links a bin that is in the repository, not in dist/, and it runs the command', async () => {
  const manifestUrl = new URL('../../package.json', import.meta.url);
  const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8')) as { bin: { loupe: string } };
  // `npm install` links bins before its `prepare` step builds dist/, and skips a bin whose file is missing.
  assert.doesNotMatch(manifest.bin.loupe, /(^|\/)dist\//);
  const bin = fileURLToPath(new URL(manifest.bin.loupe, manifestUrl));
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [bin, '--version'], { timeout: 60_000 }, (error, out) => (error ? reject(error) : resolve(out)));
  });
  assert.match(stdout, /^loupe \d+\.\d+\.\d+\n$/);
});

test('a mistyped option or a second order id is a usage error: exit 2, what was wrong and the usage, no stack trace', async () => {
  const search = await loupe(['search', 'log.level:error', '--form', '1h']);
  assert.equal(search.code, 2);
  assert.match(search.stderr, /^loupe search: Unknown option '--form'.*\nUsage: loupe search /s);
  const missing = await loupe(['search', '*', '--limit']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^loupe search: Option '--limit <value>' argument missing\nUsage: /);
  const journey = await loupe(['journey', 'ORD-1', 'ORD-2']);
  assert.equal(journey.code, 2);
  assert.match(journey.stderr, /^loupe journey: one order at a time, not "ORD-2" too\nUsage: loupe journey ORDER_ID/);
  const run = await loupe(['run', 'shipper', '--port=1']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^loupe run shipper: unexpected argument "--port=1"; a component takes its settings from the environment/);
  for (const answer of [search, missing, journey, run]) assert.doesNotMatch(answer.stderr, /\n\s+at /);
});

test('a LOUPE_URL that is not an http address is named as the problem, not reported as an unreachable platform', async () => {
  for (const url of ['localhost:9280', 'ftp://logs.workshop']) {
    const answer = await loupe(['search', '*'], { LOUPE_URL: url });
    assert.equal(answer.code, 1);
    assert.equal(answer.stderr, `loupe: LOUPE_URL="${url}" is not an http:// or https:// address: set it to the platform's, e.g. http://127.0.0.1:9280\n`);
  }
});

test('loupe search piped into a reader that stops early (| head) ends quietly', async (t) => {
  const events = Array.from({ length: 5_000 }, (_, i) => ({ '@timestamp': '2026-11-21T08:00:00.000Z', message: `event ${i} ${'x'.repeat(200)}` }));
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events })));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const child = spawn(process.execPath, [cli, 'search', '*'], { env: { PATH: process.env.PATH, LOUPE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = await once(child, 'exit') as [number | null];
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

test('loupe run shipper whose status port is taken exits 1 saying so, instead of hanging or printing a Node error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-usage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await takenPort(t);
  const answer = await loupe(['run', 'shipper'], { LOUPE_DATA_DIR: dir, LOUPE_SHIPPER_PORT: String(port) });
  assert.equal(answer.code, 1);
  assert.match(answer.stderr, new RegExp(`^loupe: The shipper's status port 127\\.0\\.0\\.1:${port} is in use \\(another shipper on the same machine\\?\\): stop it, or set LOUPE_SHIPPER_PORT`));
});

test('loupe search that matches nothing prints nothing on stdout and says so on stderr, with the fields no event holds, exit 0', async (t) => {
  const server = createServer((request, response) => {
    const absent = request.url!.includes('levl') ? [{ field: 'levl', similar: [] }, { field: 'odrer.id', similar: ['order.id'] }] : [];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events: [], ...(absent.length > 0 && { absentFields: absent }) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const env = { LOUPE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  const answer = await loupe(['search', 'levl:error and odrer.id:ORD-1', '--from', '1h'], env);
  assert.equal(answer.code, 0);
  assert.equal(answer.stdout, '');
  assert.equal(answer.stderr, [
    'loupe search: no events match in the last 1h',
    "loupe search: no event in that range has the field levl (loupe fields lists the fields events have)",
    'loupe search: no event in that range has the field odrer.id; did you mean order.id?',
    '',
  ].join('\n'));
  assert.equal((await loupe(['search', '*', '--from', '2026-11-20T00:00:00Z', '--to', '2026-11-21T00:00:00Z'], env)).stderr, 'loupe search: no events match in 2026-11-20T00:00:00Z to 2026-11-21T00:00:00Z\n');
});

test('loupe search reaches a platform on an IPv6 LOUPE_PLATFORM_HOST (the address in brackets)', async (t) => {
  const server = createServer((request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events: [{ message: request.url }] })));
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => resolve(true));
  });
  if (!listening) return t.skip('this machine has no IPv6 loopback');
  t.after(() => server.close());
  const answer = await loupe(['search', 'order.id:ORD-1'], { LOUPE_PLATFORM_HOST: '::1', LOUPE_PLATFORM_PORT: String((server.address() as AddressInfo).port) });
  assert.equal(answer.code, 0, answer.stderr);
  assert.match(answer.stdout, /"message":"\/api\/search\?q=order\.id%3AORD-1/);
});

test('loupe journey of an order with no events exits 1 saying so, and suggests the ORD- prefix for a bare number (R29)', async (t) => {
  const empty = { traceIds: [], services: [], events: [], statuses: [], truncated: false };
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(empty)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const env = { LOUPE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  const bare = await loupe(['journey', '1001'], env);
  assert.equal(bare.code, 1);
  assert.equal(bare.stderr, 'loupe journey: no events for order 1001 in any retained index; order ids look like ORD-1001: try loupe journey ORD-1001\n');
  const named = await loupe(['journey', 'ORD-1001'], env);
  assert.equal(named.stderr, 'loupe journey: no events for order ORD-1001 in any retained index\n');
});

test('a LOUPE_URL server that answers JSON of another shape is named as not the platform: exit 1, no JavaScript error', async (t) => {
  let answer = '';
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const env = { LOUPE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  for (const [body, args] of [
    ['null', ['search', '*']], ['{"events":"notalist"}', ['search', '*', '--text']], ['{"events":["x"]}', ['search', '*']],
    ['{}', ['journey', 'ORD-1']], ['{"indices":{}}', ['top', 'service.name']], ['[]', ['fields']], ['{"buckets":1}', ['histogram']],
  ] as const) {
    answer = body;
    const result = await loupe([...args], env);
    assert.equal(result.code, 1, `${args[0]} ${body}`);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /with JSON that is not the Loupe platform's \(no list of "\w+"\): is LOUPE_URL the platform's address\?\n$/, result.stderr);
  }
});
