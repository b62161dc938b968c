import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, MemoryDestination } from '@loupe/log';
import { buildPlatformApp, DuckDbStore, loadPlatformConfig } from '@loupe/platform';

export { freePort, takenPort } from '@loupe/schema';

/** The compiled `loupe` entry point, for tests that run the command as a user would. */
export const cli = fileURLToPath(new URL('../main.js', import.meta.url));

/** `loupe ARGS` in its own process with only the given settings, as a person types it. */
export function loupe(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** A platform in this process, on a port of its own. */
export async function platform(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-cli-'));
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

export const post = (url: string, events: Array<Record<string, unknown>>) =>
  fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: events.map((e) => `{"index":{}}\n${JSON.stringify(e)}\n`).join('') });

