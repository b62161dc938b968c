import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@loupe/schema';

const repository = fileURLToPath(new URL('../../', import.meta.url));

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
}

test('npm start stopped with SIGTERM, as kill or a service manager stops it, stops every component and frees their ports', { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-npm-start-'));
  const ports = { platform: await freePort(), shipper: await freePort(), shop: await freePort(), crm: await freePort(), mes: await freePort(), files: await freePort(), simulator: await freePort() };
  // Its own process group, so that whatever this test started can be stopped after it, whatever it found.
  const npm = spawn('npm', ['start'], {
    cwd: repository, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, LOUPE_DATA_DIR: dir, LOUPE_PLATFORM_PORT: String(ports.platform), LOUPE_SHIPPER_PORT: String(ports.shipper),
      LOUPE_SHOP_PORT: String(ports.shop), LOUPE_CRM_PORT: String(ports.crm), LOUPE_MES_PORT: String(ports.mes), LOUPE_FILES_PORT: String(ports.files),
      LOUPE_SIMULATOR_PORT: String(ports.simulator),
    },
  });
  let output = '';
  npm.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  npm.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  t.after(async () => {
    try {
      process.kill(-npm.pid!, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    } catch {
      // Nothing of the group is left: what the test wants.
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const deadline = Date.now() + 150_000;
  while (!output.includes('Ctrl-C stops everything')) {
    assert.ok(Date.now() < deadline && npm.exitCode === null, `npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const platform = `http://127.0.0.1:${ports.platform}/`;
  const shipper = `http://127.0.0.1:${ports.shipper}/status`;
  assert.ok(await answers(platform) && await answers(shipper));

  npm.kill('SIGTERM');
  await once(npm, 'exit');
  assert.match(output, /SIGTERM: stopping everything…/, 'it says what it stops');
  const stopDeadline = Date.now() + 30_000;
  while ((await answers(platform)) || (await answers(shipper))) {
    assert.ok(Date.now() < stopDeadline, `the platform or the shipper still answers 30 s after npm start was stopped:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});
