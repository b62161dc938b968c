import Fastify, { type FastifyInstance } from 'fastify';
import { loupeFastifyPlugin, type Logger } from '@loupe/log';
import type { ShipperStatus } from './shipper-metrics.js';

/** `GET /status`: the shipper's counters, disk buffer and per-file lag as JSON. Does not listen. */
export async function buildStatusApp(options: { log: Logger; status: () => ShipperStatus }): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(loupeFastifyPlugin, { log: options.log, quietPaths: ['/status'] });
  app.get('/status', async () => options.status());
  return app;
}
