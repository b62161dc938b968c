import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, freePort, takenPort } from './cli.fixture.js';
import { accessNotice } from './start.js';

test('R23 loupe start runs the shipper between the workshop and the platform: the workshop\'s log lines reach the store, and Ctrl-C stops everything', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-start-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ports = { platform: await freePort(), shipper: await freePort(), shop: await freePort(), crm: await freePort(), mes: await freePort(), files: await freePort(), simulator: await freePort() };
  const child = spawn(process.execPath, [cli, 'start'], {
    env: {
      ...process.env, LOUPE_DATA_DIR: dir, LOUPE_PLATFORM_PORT: String(ports.platform), LOUPE_SHIPPER_PORT: String(ports.shipper),
      LOUPE_SHOP_PORT: String(ports.shop), LOUPE_CRM_PORT: String(ports.crm), LOUPE_MES_PORT: String(ports.mes), LOUPE_FILES_PORT: String(ports.files),
      LOUPE_SIMULATOR_PORT: String(ports.simulator),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });

  const deadline = Date.now() + 120_000;
  let services: string[] = [];
  while (!['crm-api', 'mes-api'].every((service) => services.includes(service))) {
    assert.ok(Date.now() < deadline, `no workshop events reached the platform; output:\n${output}`);
    assert.equal(child.exitCode, null, `loupe start exited:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answer = await fetch(`http://127.0.0.1:${ports.platform}/api/top-values?field=service.name&from=now-1h`).then((response) => response.json() as Promise<{ values?: Array<{ value: string }> }>, () => ({ values: [] }));
    services = (answer.values ?? []).map((entry) => entry.value);
  }
  assert.match(output, /Loupe shipper: .* → http:\/\/127\.0\.0\.1:\d+; status on http:\/\/127\.0\.0\.1:\d+\/status/);
  const status = await (await fetch(`http://127.0.0.1:${ports.shipper}/status`)).json() as { files: Array<{ path: string; parser: string }> };
  assert.ok(status.files.some((file) => file.path === join(dir, 'logs', 'crm-api', 'crm-api.log') && file.parser === 'json'), JSON.stringify(status.files));

  child.kill('SIGINT');
  const [code] = await once(child, 'exit') as [number | null];
  assert.equal(code, 0, output);
  await assert.rejects(fetch(`http://127.0.0.1:${ports.shipper}/status`), 'the shipper stopped with the rest');
});

test('loupe start says the logs are open to the network when LOUPE_PLATFORM_HOST is not a loopback address, instead of claiming 127.0.0.1 only', () => {
  assert.equal(accessNotice('127.0.0.1'), 'No sign-in yet: the platform listens on 127.0.0.1 only until access control lands.');
  assert.equal(accessNotice('0.0.0.0'), 'No sign-in yet, and the platform listens on 0.0.0.0 (LOUPE_PLATFORM_HOST): anyone who can reach it reads every log.');
});

test('loupe start whose workshop cannot start (its port taken) stops the platform it had started and exits 1, instead of hanging with it', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-start-'));
  const taken = await takenPort(t);
  const ports = { platform: await freePort(), shipper: await freePort(), shop: await freePort(), crm: await freePort(), mes: await freePort(), simulator: await freePort() };
  const child = spawn(process.execPath, [cli, 'start'], {
    env: {
      ...process.env, LOUPE_DATA_DIR: dir, LOUPE_PLATFORM_PORT: String(ports.platform), LOUPE_SHIPPER_PORT: String(ports.shipper),
      LOUPE_SHOP_PORT: String(ports.shop), LOUPE_CRM_PORT: String(ports.crm), LOUPE_MES_PORT: String(ports.mes),
      LOUPE_FILES_PORT: String(taken), LOUPE_SIMULATOR_PORT: String(ports.simulator),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const [code] = await Promise.race([exited, new Promise<[string]>((resolve) => setTimeout(() => resolve(['still running after 90 s']), 90_000))]);
  assert.equal(code, 1, output);
  assert.match(output, /Loupe platform listening on /);
  assert.match(output, /loupe: loupe run workshop exited with code 1\n/);
  await assert.rejects(fetch(`http://127.0.0.1:${ports.platform}/`), 'the platform was stopped with the start');
});
