import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cli, platform, post } from './cli.fixture.js';

/** `loupe ARGS` against the platform at `url`, as a person types it. */
function loupe(url: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, LOUPE_URL: url } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();

test('R28 loupe search --all prints every match, page after page, newest first; --text a line per event', async (t) => {
  const url = await platform(t);
  const events = Array.from({ length: 2500 }, (_, i) => ({ '@timestamp': at(i), 'log.level': 'info', 'service.name': 'mes-api', message: `event ${i}` }));
  assert.equal((await post(url, events)).status, 200);
  await post(url, [{ '@timestamp': at(3000), 'log.level': 'warn', 'service.name': 'shop-api', message: 'not a match' }]);

  const all = await loupe(url, ['search', 'service.name:mes-api', '--all', '--from', '1h']);
  assert.equal(all.code, 0, all.stderr);
  const messages = all.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { message: string }).message);
  assert.equal(messages.length, 2500);
  assert.equal(new Set(messages).size, 2500);
  assert.deepEqual(messages.slice(0, 2), ['event 2499', 'event 2498']);
  assert.equal(messages.at(-1), 'event 0');

  const text = await loupe(url, ['search', 'service.name:mes-api', '--text', '--limit', '2', '--from', '1h']);
  assert.match(text.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}mes-api {7}info {2}event 2499\n\S+ {2}mes-api {7}info {2}event 2498\n$/);

  const both = await loupe(url, ['search', '*', '--all', '--limit', '5']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^loupe search: --all prints every match; leave out --limit\nUsage: /);
});
