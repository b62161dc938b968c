import type { FastifyInstance } from 'fastify';
import type { Logger, RetryOptions } from '@loupe/log';
import type { Database } from '../db/index.js';
import type { MessageQueue } from '../queue/index.js';
import {
  defaultPricingConfig, LoginFailureWindow, routingKeys, type LoginFailureWindowOptions, type PasswordHashOptions, type PricingConfig,
} from '../domain/index.js';
import { loginRoutes } from '../accounts/index.js';
import { createServiceApp } from '../http/index.js';
import { jobRoutes } from './job-routes.js';
import type { PriceCalculationDeps } from './price-calculation.js';
import { takeHandOff } from './take-hand-off.js';

export interface MesConfig {
  fileStorageUrl: string;
  pricing?: PricingConfig;
  fileStorageRetry?: RetryOptions;
  sessionTtlMs?: number;
  passwordHashing?: PasswordHashOptions;
  loginFailures?: LoginFailureWindowOptions;
  /** The queue MES consumes hand-offs from (default `mes-api`). */
  queueName?: string;
  adminToken?: string;
  trustProxy?: boolean;
}

export interface MesDeps {
  config: MesConfig;
  log: Logger;
  db: Database;
  queue: MessageQueue;
}

/**
 * The MES API: prices orders handed on by CRM and runs the production floor. Consumes
 * `order.to-manufacturing` from when the app is ready until it closes. Does not listen.
 */
export async function buildMesApp({ config, log, db, queue }: MesDeps): Promise<FastifyInstance> {
  const app = await createServiceApp({
    service: log.service, log, title: 'Loupe MES API', adminToken: config.adminToken, trustProxy: config.trustProxy,
    description: 'Manufacturing: prices handed-on orders from their 3D model, and lets operators take jobs and report production.',
  });
  await app.register(loginRoutes, {
    db, log, roles: ['operator', 'manager'], failures: new LoginFailureWindow(config.loginFailures), sessionTtlMs: config.sessionTtlMs, passwordHashing: config.passwordHashing,
  });
  await app.register(jobRoutes, { db, queue, log });

  const deps: PriceCalculationDeps = {
    db, queue, log, fileStorageUrl: config.fileStorageUrl, pricing: config.pricing ?? defaultPricingConfig,
    ...(config.fileStorageRetry && { fileStorageRetry: config.fileStorageRetry }),
  };
  let consumer: { stop(): Promise<void> | void } | undefined;
  app.addHook('onReady', async () => {
    const queueName = config.queueName ?? 'mes-api';
    consumer = await queue.consume(queueName, [routingKeys.toManufacturing], takeHandOff(deps, queueName), { log: deps.log });
  });
  app.addHook('onClose', async () => { await consumer?.stop(); });
  return app;
}
