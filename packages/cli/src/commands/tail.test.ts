import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, MemoryDestination } from '@loupe/log';
import { buildPlatformApp, DuckDbStore, loadPlatformConfig } from '@loupe/platform';
import { cli, freePort } from './cli.fixture.js';

/** A platform in this process, on a port of its own. */
async function platform(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-tail-'));
  const store = await DuckDbStore.open({ path: join(dataDir, 'loupe.duckdb'), tmpDir: join(dataDir, 'tmp'), threads: 1 });
  const app = await buildPlatformApp({ config: loadPlatformConfig({ LOUPE_DATA_DIR: dataDir }), log: createLogger({ service: 'loupe-platform', destination: new MemoryDestination() }), store });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await app.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return url;
}

const post = (url: string, events: Array<Record<string, unknown>>) =>
  fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: events.map((e) => `{"index":{}}\n${JSON.stringify(e)}\n`).join('') });

const line = (service: string, message: string) => ({ '@timestamp': new Date().toISOString(), 'log.level': 'info', 'service.name': service, message });

test('R28 loupe tail prints the latest matches, then new ones as they arrive, as NDJSON; search --text prints a line per event for people', async (t) => {
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

  // --text: a line for people per event, as loupe journey prints them.
  const text = await new Promise<string>((resolve) => {
    let out = '';
    const search = spawn(process.execPath, [cli, 'search', 'service.name:mes-api', '--text', '--from', '1h'], { env: { PATH: process.env.PATH, LOUPE_URL: url } });
    search.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    search.on('close', () => resolve(out));
  });
  assert.match(text, /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}mes-api {7}info {2}after the tail started\n\S+ {2}mes-api {7}info {2}before the tail\n$/);
});

test('loupe tail: a query the platform refuses exits 1 with its message, and no platform says how to start one', async (t) => {
  const url = await platform(t);
  const run = (env: Record<string, string>) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, 'tail', 'log.level:(error'], { env: { PATH: process.env.PATH, ...env } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const refused = await run({ LOUPE_URL: url });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^loupe: KQL_SYNTAX: .*column/m);
  const port = await freePort();
  const nobody = await run({ LOUPE_URL: `http://127.0.0.1:${port}` });
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, new RegExp(`cannot reach the Loupe platform at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); start it with \`loupe run platform\` or set LOUPE_URL`));
});
