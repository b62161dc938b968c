import Fastify, { type FastifyInstance } from 'fastify';
import { frameworkErrorOptions, loupeFastifyPlugin, type Logger } from '@loupe/log';
import { describeRoutes } from './openapi.js';
import { buildValidator } from './body-validator.js';
import { answerDatabaseOutages, refuseEncodedBodies, refuseNulCharacters } from './refuse-bad-requests.js';
import { logOrderFailures } from './log-order-failures.js';

export interface ServiceAppOptions {
  /** `service.name`, also answered by `GET /health`. */
  service: string;
  log: Logger;
  /** The OpenAPI title and description. */
  title: string;
  description: string;
  /** Largest JSON body accepted (default 64 KiB: orders and logins are small; uploads have their own limit). */
  bodyLimitBytes?: number;
  /** Mounts `GET|PUT /admin/log-level` (R18) for this bearer token. */
  adminToken?: string;
  /** Take the client address from X-Forwarded-For (behind a proxy). Default false. */
  trustProxy?: boolean;
}

/**
 * The Fastify instance every workshop API starts from: Loupe's logging plugin (R1, R17,
 * R21), an OpenAPI description at `GET /openapi.json`, `GET /health`, and the APIs' error
 * body for what Fastify and Node refuse before a route runs (`frameworkErrorOptions`), for
 * NUL characters and for a lost database (see refuse-bad-requests.ts), and a line with its
 * `order.id` for a failed change to an order (log-order-failures.ts). The caller registers
 * its routes on it; nothing listens.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false, bodyLimit: options.bodyLimitBytes ?? 64 * 1024, trustProxy: options.trustProxy ?? false,
    // A field the schema does not know is refused (400), not dropped: `{"reason": …}` for `note` must not vanish unseen.
    ajv: { customOptions: { removeAdditional: false } },
    // A JSON body's values are not converted to the schema's types (see body-validator.ts).
    schemaController: { compilersFactory: { buildValidator } },
    ...frameworkErrorOptions(options.log),
  });
  await app.register(loupeFastifyPlugin, { log: options.log, quietPaths: ['/health'], ...(options.adminToken && { adminToken: options.adminToken }) });
  app.addHook('onRequest', refuseEncodedBodies);
  app.addHook('preValidation', refuseNulCharacters);
  // No route takes plain text: a text/plain body is refused as 415 naming what the route takes, not read as a string that fails its schema.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRoute', answerDatabaseOutages);
  app.addHook('onError', logOrderFailures(options.log));
  describeRoutes(app, { title: options.title, description: options.description });
  const started = Date.now();
  app.get('/health', {
    schema: {
      summary: 'Liveness: the process answers',
      tags: ['health'],
      response: {
        200: {
          type: 'object',
          properties: { status: { type: 'string' }, service: { type: 'string' }, uptimeSeconds: { type: 'integer' } },
        },
      },
    },
  }, async () => ({ status: 'ok', service: options.service, uptimeSeconds: Math.round((Date.now() - started) / 1000) }));
  return app;
}

/** A route hook letting a POST without a body through validation as `{}` (bodies of only optional fields). */
export async function emptyBodyAsObject(request: { body: unknown }): Promise<void> {
  request.body ??= {};
}
