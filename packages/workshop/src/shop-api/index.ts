import type { FastifyInstance } from 'fastify';
import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { LoginFailureWindow, type LoginFailureWindowOptions, type PasswordHashOptions } from '../domain/index.js';
import { loginRoutes } from '../accounts/index.js';
import { acceptUploads, createServiceApp } from '../http/index.js';
import { defaultMaxModelBytes } from '../file-storage/index.js';
import { customerRoutes } from './customer-routes.js';
import { shopOrderRoutes } from './order-routes.js';

export interface ShopConfig {
  fileStorageUrl: string;
  crmUrl: string;
  /** Sent to CRM as the bearer token of service calls. */
  internalToken: string;
  /** How long each attempt of a call to CRM may take (default 10 s). */
  crmCallTimeoutMs?: number;
  /** Largest model upload (default 50 MiB, as file storage). */
  maxModelBytes?: number;
  sessionTtlMs?: number;
  passwordHashing?: PasswordHashOptions;
  loginFailures?: LoginFailureWindowOptions;
  adminToken?: string;
  trustProxy?: boolean;
}

export interface ShopDeps {
  config: ShopConfig;
  log: Logger;
  db: Database;
}

/** The Shop API customers use: register, log in, order, upload a model, accept the price. Does not listen. */
export async function buildShopApp({ config, log, db }: ShopDeps): Promise<FastifyInstance> {
  const maxModelBytes = config.maxModelBytes ?? defaultMaxModelBytes;
  const app = await createServiceApp({
    service: log.service, log, title: 'Loupe Shop API', adminToken: config.adminToken, trustProxy: config.trustProxy,
    description: 'Customers register, log in, order a 3D-printed ring or pendant, upload its model and accept the quoted price.',
  });
  await acceptUploads(app, maxModelBytes);
  await app.register(customerRoutes, { db, log, passwordHashing: config.passwordHashing });
  await app.register(loginRoutes, {
    db, log, roles: ['customer'], failures: new LoginFailureWindow(config.loginFailures), sessionTtlMs: config.sessionTtlMs, passwordHashing: config.passwordHashing,
  });
  await app.register(shopOrderRoutes, {
    db, log, fileStorageUrl: config.fileStorageUrl, crm: { crmUrl: config.crmUrl, internalToken: config.internalToken, ...(config.crmCallTimeoutMs !== undefined && { timeoutMs: config.crmCallTimeoutMs }) },
    maxModelBytes,
  });
  return app;
}
