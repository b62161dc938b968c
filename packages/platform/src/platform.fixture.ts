import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createLogger, MemoryDestination } from '@loupe/log';
import { buildPlatformApp } from './app.js';
import { loadPlatformConfig, type PlatformConfig } from './config.js';
import { DuckDbStore } from './store/duckdb/duckdb-store.js';

export interface TestPlatform {
  app: FastifyInstance;
  url: string;
  store: DuckDbStore;
  config: PlatformConfig;
  platformLog: MemoryDestination;
  close(): Promise<void>;
}

/** A real platform (DuckDB file in a temp directory, HTTP on a free port) for tests. */
export async function startTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-platform-'));
  const config = loadPlatformConfig({ LOUPE_DATA_DIR: dataDir, LOUPE_PLATFORM_PORT: '0', ...env });
  const platformLog = new MemoryDestination();
  const store = await DuckDbStore.open({ path: join(dataDir, 'loupe.duckdb'), tmpDir: join(dataDir, 'tmp'), threads: 2 });
  const app = await buildPlatformApp({ config, log: createLogger({ service: 'loupe-platform', destination: platformLog }), store });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app, url, store, config, platformLog,
    async close() {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A workshop-like ECS line. */
export function workshopLine(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@timestamp': new Date().toISOString(),
    'log.level': 'info',
    'service.name': 'mes-api',
    message: 'Order ORD-1042 status changed from NEW to PRICE_CALCULATING',
    'event.action': 'order-status-changed',
    'order.id': 'ORD-1042',
    'customer.id': 'CUS-7',
    'order.previous_status': 'NEW',
    'order.status': 'PRICE_CALCULATING',
    'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736',
    ...overrides,
  };
}
