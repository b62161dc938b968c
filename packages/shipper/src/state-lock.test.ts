import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestShipper } from './shipper.fixture.js';

test('R23 a second shipper on the same data directory is refused with the first one named; once it stops, the next one starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-state-lock-'));
  const env = { LOUPE_DATA_DIR: dir, LOUPE_URL: 'http://127.0.0.1:9' };
  try {
    const first = await startTestShipper(env);
    try {
      await assert.rejects(startTestShipper(env), new RegExp(`Another shipper \\(process ${process.pid}\\) is using ${dir}/shipper`));
    } finally {
      await first.shipper.stop();
    }
    assert.equal(existsSync(join(dir, 'shipper', 'lock')), false, 'released on stop');
    const second = await startTestShipper(env);
    await second.shipper.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R23 a lock left by a shipper that was killed is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-state-lock-'));
  try {
    // The id of a process that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    mkdirSync(join(dir, 'shipper'), { recursive: true });
    writeFileSync(join(dir, 'shipper', 'lock'), `${gone}\n`);
    const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: 'http://127.0.0.1:9' });
    await shipper.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R23 a lock held by a shipper killed moments ago, not yet reaped (a zombie), is taken over', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-state-lock-'));
  // `sleep 0.1` exits first; its parent, now `sleep 5`, never waits for it: a zombie for five seconds.
  const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => {
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
  const zombie = chunk.toString().trim();
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.match(readFileSync(`/proc/${zombie}/stat`, 'utf8'), /\) Z /, 'the process is a zombie');
  mkdirSync(join(dir, 'shipper'), { recursive: true });
  writeFileSync(join(dir, 'shipper', 'lock'), `${zombie}\n`);
  const { shipper } = await startTestShipper({ LOUPE_DATA_DIR: dir, LOUPE_URL: 'http://127.0.0.1:9' });
  await shipper.stop();
});
