import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { freePort } from '@loupe/schema';
import { createLogger, MemoryDestination, type Logger } from '@loupe/log';
import { buildPlatformApp, DuckDbStore, loadPlatformConfig } from '@loupe/platform';
import { loadShipperConfig } from './config.js';
import { startShipper, type RunningShipper } from './shipper.js';

export { freePort };

const cli = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));


/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `loupe run <component>` in its own process, as in production; resolves once its banner is out. */
export class ComponentProcess {
  private output = '';
  private constructor(readonly child: ChildProcess) {}

  static async start(component: 'platform' | 'shipper', env: Record<string, string>): Promise<ComponentProcess> {
    const child = spawn(process.execPath, [cli, 'run', component], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = new ComponentProcess(child);
    const keep = (chunk: Buffer) => {
      started.output = (started.output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const banner = component === 'platform' ? 'listening on' : 'Loupe shipper:';
    await waitFor(`loupe run ${component} to start`, () => {
      if (child.exitCode !== null) throw new Error(`loupe run ${component} exited with ${child.exitCode}: ${started.output}`);
      return started.output.includes(banner) ? true : undefined;
    }, 30_000);
    return started;
  }

  get log(): string {
    return this.output;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await once(this.child, 'exit');
  }
}

/** The platform in this process, on a data directory that outlives it, so it can be closed and opened again. */
export class PlatformInProcess {
  private constructor(readonly url: string, private readonly app: FastifyInstance, private readonly store: DuckDbStore) {}

  static async start(dataDir: string, port = 0): Promise<PlatformInProcess> {
    mkdirSync(dataDir, { recursive: true });
    const config = loadPlatformConfig({ LOUPE_DATA_DIR: dataDir, LOUPE_PLATFORM_PORT: String(port) });
    const store = await DuckDbStore.open({ path: join(dataDir, 'loupe.duckdb'), tmpDir: join(dataDir, 'tmp'), threads: 2 });
    const app = await buildPlatformApp({ config, store, log: createLogger({ service: 'loupe-platform', destination: new MemoryDestination() }) });
    const url = await app.listen({ host: '127.0.0.1', port });
    return new PlatformInProcess(url, app, store);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.store.close();
  }
}

/** A shipper in this process with quick polling, its own log lines kept in memory. */
export async function startTestShipper(env: Record<string, string>): Promise<{ shipper: RunningShipper; lines: MemoryDestination; log: Logger }> {
  const lines = new MemoryDestination();
  const log = createLogger({ service: 'loupe-shipper', destination: lines });
  const config = loadShipperConfig({
    LOUPE_SHIPPER_PORT: '0', LOUPE_SHIPPER_POLL_MS: '20', LOUPE_SHIPPER_SCAN_MS: '50', LOUPE_SHIPPER_BATCH_WAIT_MS: '50',
    LOUPE_SHIPPER_MULTILINE_WAIT_MS: '200', LOUPE_SHIPPER_CLOSE_INACTIVE_MS: '300', LOUPE_SHIPPER_RETRY_MAX_MS: '500',
    ...env,
  });
  return { shipper: await startShipper(config, log), lines, log };
}

/** Resolves once the shipper has every file read to its end, acknowledged, and nothing buffered or in flight. */
export function shipperIdle(shipper: RunningShipper, timeoutMs = 60_000): Promise<true> {
  return waitFor('the shipper to have shipped everything', () => {
    const status = shipper.status();
    const done = status.buffer.segments === 0 && status.inFlightBatches === 0 && status.files.every((file) => file.offset >= file.size);
    return done ? true : undefined;
  }, timeoutMs);
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Events stored in indices whose name starts with `prefix`, as `/api/indices` counts them. */
export async function storedCount(platformUrl: string, prefix: string): Promise<number> {
  const { indices } = await getJson<{ indices: Array<{ name: string; events: number }> }>(`${platformUrl}/api/indices`);
  return indices.filter((index) => index.name.startsWith(prefix)).reduce((sum, index) => sum + index.events, 0);
}

export async function indexNames(platformUrl: string): Promise<string[]> {
  const { indices } = await getJson<{ indices: Array<{ name: string }> }>(`${platformUrl}/api/indices`);
  return indices.map((index) => index.name);
}

/** Every stored event a KQL query matches (oldest first), read page by page through `/api/search`. */
export async function searchAll(platformUrl: string, query: string, indices = 'logs-*'): Promise<Array<Record<string, unknown>>> {
  const events: Array<Record<string, unknown>> = [];
  let after: string | undefined;
  do {
    const params = new URLSearchParams({ q: query, limit: '10000', order: 'asc', from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', indices });
    if (after) params.set('after', after);
    const page = await getJson<{ events: Array<Record<string, unknown>>; next?: string }>(`${platformUrl}/api/search?${params}`);
    events.push(...page.events);
    after = page.next;
  } while (after);
  return events;
}
