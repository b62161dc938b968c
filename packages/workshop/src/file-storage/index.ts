import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { acceptUploads, createServiceApp } from '../http/index.js';
import { createModelAnalyser, type AnalyseStlOptions } from './model/index.js';
import { ModelStore } from './model-store.js';
import { modelRoutes } from './model-routes.js';

export interface FileStorageConfig {
  /** Where model files are kept. */
  modelsDir: string;
  /** Largest upload accepted (413 MODEL_FILE_TOO_LARGE above). Default 50 MiB: a 1M-facet binary STL. */
  maxModelBytes?: number;
  analysis?: AnalyseStlOptions;
  adminToken?: string;
}

export interface FileStorageDeps {
  config: FileStorageConfig;
  log: Logger;
  db: Database;
}

export const defaultMaxModelBytes = 50 * 2 ** 20;

/** The file-storage service: keeps 3D models and analyses them (R7). Does not listen. */
export async function buildFileStorageApp({ config, log, db }: FileStorageDeps): Promise<FastifyInstance> {
  const maxModelBytes = config.maxModelBytes ?? defaultMaxModelBytes;
  const app = await createServiceApp({
    service: log.service, log, title: 'Loupe file storage', adminToken: config.adminToken,
    description: 'Keeps customers\' 3D models (STL) and analyses them: triangles, volume, surface, closed or not.',
  });
  await acceptUploads(app, maxModelBytes);
  // One analyser per service: it reuses its working memory from one model to the next.
  const analyser = createModelAnalyser({ maxBytes: maxModelBytes, ...config.analysis });
  await app.register(modelRoutes, { log, store: new ModelStore(db, config.modelsDir), analyser, maxModelBytes });
  return app;
}

export function modelsDirIn(dataDir: string): string {
  return join(dataDir, 'models');
}

export { ModelStore, newModelId, type StoredModelRecord } from './model-store.js';
export * from './model/index.js';
