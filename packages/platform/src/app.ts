import Fastify, { type FastifyInstance } from 'fastify';
import { frameworkErrorOptions, loupeFastifyPlugin, type Logger } from '@loupe/log';
import { clusterUuidIn } from './cluster-uuid.js';
import type { PlatformConfig } from './config.js';
import { elasticsearchCompat } from './ingest/elasticsearch-compat.js';
import { ingestRoutes } from './ingest/ingest-routes.js';
import { Ingestor } from './ingest/ingestor.js';
import { searchRoutes } from './search/search-routes.js';
import type { LogStore } from './store/log-store.js';

export interface PlatformDeps {
  config: PlatformConfig;
  log: Logger;
  store: LogStore;
}

/** The platform's HTTP API: ingest (R24), search and journey (R28, R29). Does not listen. */
export async function buildPlatformApp({ config, log, store }: PlatformDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false, bodyLimit: config.limits.maxBodyBytes,
    // Path parameters up to 1,000 characters: order ids, trace ids, index names of up to 200.
    ...frameworkErrorOptions(log, 1_000),
  });
  const ingestor = new Ingestor(store, { layout: config.layout }, config.ingestWorkers);
  app.addHook('onClose', () => ingestor.close());
  await app.register(loupeFastifyPlugin, { log, quietPaths: ['/', '/_license', '/_xpack', '/_bulk'] });
  // The official Elasticsearch clients refuse a server that does not say it is Elasticsearch.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-elastic-product', 'Elasticsearch');
  });
  await app.register(elasticsearchCompat, { log, clusterUuid: clusterUuidIn(config.dataDir) });
  await app.register(ingestRoutes, { store, ingestor, limits: config.limits, log });
  await app.register(searchRoutes, { store });
  return app;
}
