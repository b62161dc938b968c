import type { FastifyInstance } from 'fastify';
import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import type { MessageQueue } from '../queue/index.js';
import { LoginFailureWindow, type LoginFailureWindowOptions, type PasswordHashOptions } from '../domain/index.js';
import { loginRoutes } from '../accounts/index.js';
import { acceptUploads, createServiceApp } from '../http/index.js';
import { defaultMaxModelBytes } from '../file-storage/index.js';
import { consumeManufacturingUpdates } from './manufacturing-updates.js';
import { crmOrderRoutes } from './order-routes.js';
import { staffRoutes } from './staff-routes.js';
import { deadLetterRoutes } from './dead-letter-routes.js';

export interface CrmConfig {
  fileStorageUrl: string;
  /** Other workshop services (the Shop) call with this bearer token. */
  internalToken: string;
  maxModelBytes?: number;
  sessionTtlMs?: number;
  passwordHashing?: PasswordHashOptions;
  loginFailures?: LoginFailureWindowOptions;
  /** The queue CRM consumes MES's updates from (default `crm-api`). */
  queueName?: string;
  /** The queues whose dead letters managers see and send back (default CRM's and `mes-api`). */
  deadLetterQueues?: readonly string[];
  adminToken?: string;
  trustProxy?: boolean;
}

export interface CrmDeps {
  config: CrmConfig;
  log: Logger;
  db: Database;
  queue: MessageQueue;
}

/**
 * The CRM API operators and managers use. Consumes MES's updates from when the app is ready
 * until it closes. Does not listen.
 */
export async function buildCrmApp({ config, log, db, queue }: CrmDeps): Promise<FastifyInstance> {
  const maxModelBytes = config.maxModelBytes ?? defaultMaxModelBytes;
  const app = await createServiceApp({
    service: log.service, log, title: 'Loupe CRM API', adminToken: config.adminToken, trustProxy: config.trustProxy,
    description: 'Operators and managers follow every order, move it through its statuses and hand it to manufacturing.',
  });
  await acceptUploads(app, maxModelBytes);
  await app.register(loginRoutes, {
    db, log, roles: ['operator', 'manager'], failures: new LoginFailureWindow(config.loginFailures), sessionTtlMs: config.sessionTtlMs, passwordHashing: config.passwordHashing,
  });
  await app.register(staffRoutes, { db, log, passwordHashing: config.passwordHashing });
  await app.register(deadLetterRoutes, { db, queue, log, queues: config.deadLetterQueues ?? [config.queueName ?? 'crm-api', 'mes-api'] });
  await app.register(crmOrderRoutes, { db, queue, log, fileStorageUrl: config.fileStorageUrl, maxModelBytes, internalToken: config.internalToken });

  let updates: { stop(): Promise<void> } | undefined;
  app.addHook('onReady', async () => {
    updates = await consumeManufacturingUpdates({ db, queue, log, ...(config.queueName && { queueName: config.queueName }) });
  });
  app.addHook('onClose', async () => updates?.stop());
  return app;
}

export { ensureStaffAccount, type StaffAccount } from './staff-routes.js';
export { handOffOrder } from './hand-off.js';
