import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createLogger, startHeartbeat, type Logger } from '@loupe/log';
import { buildPlatformApp } from './app.js';
import type { PlatformConfig } from './config.js';
import { DuckDbStore } from './store/duckdb/duckdb-store.js';
import { listenError } from '@loupe/schema';

export interface RunningPlatform {
  app: FastifyInstance;
  url: string;
  store: DuckDbStore;
  log: Logger;
  stop(): Promise<void>;
}

/** Opens the store under the data directory and starts the HTTP API. */
export async function startPlatform(config: PlatformConfig, log?: Logger): Promise<RunningPlatform> {
  mkdirSync(config.dataDir, { recursive: true });
  const logger = log ?? createLogger({ service: 'loupe-platform', file: { dir: join(config.dataDir, 'logs', 'loupe-platform') } });
  const store = await DuckDbStore.open({
    path: join(config.dataDir, 'loupe.duckdb'),
    tmpDir: join(config.dataDir, 'tmp'),
    loadIntervalMs: config.loadIntervalMs,
    loadWhenIdle: config.loadWhenIdle,
    readers: config.readers,
    onLoadError: (error) => logger.error(`Loading acknowledged events into the store failed; they are kept on disk and tried again: ${(error as Error).message}`, { 'error.type': (error as Error).name }),
  });
  const app = await buildPlatformApp({ config, log: logger, store });
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await store.close();
    throw listenError(error, { what: "platform's port", address: `${config.host}:${config.port}`, likely: 'another Loupe platform, or another program', setting: 'LOUPE_PLATFORM_PORT' });
  }
  const stopHeartbeat = startHeartbeat(logger);
  return {
    app, url, store, log: logger,
    async stop() {
      stopHeartbeat();
      await app.close();
      await store.close();
    },
  };
}
