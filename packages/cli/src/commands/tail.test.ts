import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { cli, freePort, loupe, platform, post } from './cli.fixture.js';

const line = (service: string, message: string) => ({ '@timestamp': new Date().toISOString(), 'log.level': 'info', 'service.name': service, message });

test('R28 loupe tail prints the latest matches, then new ones as they arrive, as NDJSON', async (t) => {
  const url = await platform(t);
  await post(url, [line('mes-api', 'before the tail'), line('shop-api', 'not a match')]);
  const child = spawn(process.execPath, [cli, 'tail', 'service.name:mes-api'], { env: { PATH: process.env.PATH, LOUPE_URL: url } });
  // Registered after the platform's: hooks run in order, and the platform's close waits for this stream.
  const exited = new Promise((resolve) => child.on('close', resolve));
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  const printed = async (count: number) => {
    const deadline = Date.now() + 20_000;
    while (stdout.split('\n').filter(Boolean).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return stdout.split('\n').filter(Boolean).map((text) => JSON.parse(text) as Record<string, unknown>);
  };
  assert.deepEqual((await printed(1)).map((e) => e.message), ['before the tail']);
  await post(url, [line('mes-api', 'after the tail started'), line('crm-api', 'not a match either')]);
  const events = await printed(2);
  assert.deepEqual(events.map((e) => e.message), ['before the tail', 'after the tail started']);
  assert.equal(events[1]!['service.name'], 'mes-api');
  child.kill();
  await exited;
});

test('loupe tail: a query the platform refuses exits 1 with its message, and no platform says how to start one', async (t) => {
  const url = await platform(t);
  const run = (env: Record<string, string>) => loupe(['tail', 'log.level:(error'], env);
  const refused = await run({ LOUPE_URL: url });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^loupe: KQL_SYNTAX: .*column/m);
  // Something else at LOUPE_URL that answers 200, but no event stream.
  const other = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
  other.listen(0, '127.0.0.1');
  await once(other, 'listening');
  t.after(() => other.close());
  const wrong = await run({ LOUPE_URL: `http://127.0.0.1:${(other.address() as { port: number }).port}` });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /answered \/api\/tail with something that is not the Loupe platform's event stream: is LOUPE_URL the platform's address\?/);
  const port = await freePort();
  const nobody = await run({ LOUPE_URL: `http://127.0.0.1:${port}` });
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, new RegExp(`cannot reach the Loupe platform at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); start it with \`loupe run platform\` or set LOUPE_URL`));
});
