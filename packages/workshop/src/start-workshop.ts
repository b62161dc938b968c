import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createLogger, startHeartbeat, type Logger, type RetryOptions } from '@loupe/log';
import { httpAddress, listenError, type LogLevel } from '@loupe/schema';
import { portSettings, type WorkshopConfig, type WorkshopPorts } from './config.js';
import { domainMigrations, openDatabase, workshopMigrations, type Database, type SharedDatabase } from './db/index.js';
import { openQueue, pruneHandledMessages, type MessageQueue } from './queue/index.js';
import { defaultPricingConfig, type PasswordHashOptions, type PricingConfig } from './domain/index.js';
import { buildFileStorageApp, modelsDirIn } from './file-storage/index.js';
import { buildMesApp } from './mes-api/index.js';
import { buildCrmApp, ensureStaffAccount, type StaffAccount } from './crm-api/index.js';
import { buildShopApp } from './shop-api/index.js';

export const workshopServices = { shop: 'shop-api', crm: 'crm-api', mes: 'mes-api', files: 'file-storage' } as const;
export type WorkshopService = keyof typeof workshopServices;
/**
 * The logger of what the services share: the queue, and the database's own work (migrations,
 * pruning `handled_messages`, the outbox relay, the embedded queue's polling, a lost idle
 * connection). A service's queries are logged by that service (R14, R15).
 */
export const infrastructureService = 'workshop';

/** Where a logger writes instead of files (tests, embedding): a pino destination. */
type Destination = NonNullable<Parameters<typeof createLogger>[0]['destination']>;

export interface StartWorkshopOptions {
  /** Models, PGlite's files (without `databaseUrl`) and, by default, logs. */
  dataDir: string;
  databaseUrl?: string;
  /** A PostgreSQL schema of its own (tests on a shared server). */
  databaseSchema?: string;
  amqpUrl?: string;
  /**
   * The embedded queue's own connection to the same PostgreSQL (without `amqpUrl`): the
   * simulator routes it through a proxy it can cut for broker-outage while the APIs keep
   * theirs. Default: the queue shares the APIs' pool.
   */
  queueDatabaseUrl?: string;
  /** Prefix of the exchange and queue names (tests on a shared broker). */
  queuePrefix?: string;
  /** 0 = any free port; defaults 0 too, so two workshops never collide unless asked to. */
  ports?: Partial<WorkshopPorts>;
  host?: string;
  /** Log files go to `<logDir>/<service>/<service>.log` (default `<dataDir>/logs`). */
  logDir?: string;
  logLevel?: LogLevel;
  /** Copy every line to standard output too (default false: the shipper reads the files). */
  stdout?: boolean;
  /** Write a service's lines here instead of files. */
  destinations?: Partial<Record<WorkshopService | 'infrastructure', Destination>>;
  pricing?: PricingConfig;
  maxModelBytes?: number;
  /** Longest a statement on PostgreSQL may run (default 5 s; 0 = no limit). */
  statementTimeoutMs?: number;
  /** Staff accounts created at start when missing. */
  staff?: StaffAccount[];
  passwordHashing?: PasswordHashOptions;
  /** The Shop's bearer token towards CRM; random when absent. */
  internalToken?: string;
  adminToken?: string;
  heartbeatIntervalMs?: number;
  /** Retries of MES's calls to file storage (R2 / R3). */
  fileStorageRetry?: RetryOptions;
  /** How long the Shop waits for each attempt of its calls to CRM (default 10 s). */
  crmCallTimeoutMs?: number;
}

export interface Workshop {
  urls: Record<WorkshopService, string>;
  logs: Record<WorkshopService | 'infrastructure', Logger>;
  /** The database as the shared infrastructure uses it: its queries are logged as `workshop`. */
  db: Database;
  queue: MessageQueue;
  /** Closes the APIs (the Shop first), then the queue and the database, and flushes the logs. */
  stop(): Promise<void>;
}

/**
 * The options `startWorkshop` needs from the environment's config: servers, ports, prices,
 * tokens, and with a staff password the accounts `manager@workshop` and `operator@workshop`.
 */
export function workshopOptionsFrom(config: WorkshopConfig): StartWorkshopOptions {
  const staff: StaffAccount[] = config.staffPassword
    ? [
        { login: 'manager@workshop', password: config.staffPassword, name: 'Workshop manager', role: 'manager' },
        { login: 'operator@workshop', password: config.staffPassword, name: 'Workshop operator', role: 'operator' },
      ]
    : [];
  return {
    dataDir: config.dataDir, host: config.host, ports: config.ports, logLevel: config.logLevel, pricing: config.pricing,
    maxModelBytes: config.maxModelBytes, statementTimeoutMs: config.statementTimeoutMs, staff,
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }), ...(config.amqpUrl && { amqpUrl: config.amqpUrl }),
    ...(config.adminToken && { adminToken: config.adminToken }), ...(config.internalToken && { internalToken: config.internalToken }),
  };
}

function serviceLogger(options: StartWorkshopOptions, key: WorkshopService | 'infrastructure', service: string): Logger {
  const destination = options.destinations?.[key];
  const logDir = options.logDir ?? join(options.dataDir, 'logs');
  return createLogger({
    service,
    level: options.logLevel ?? 'info',
    ...(destination ? { destination } : { stdout: options.stdout ?? false, file: { dir: join(logDir, service) } }),
  });
}

/** Forgets old handled-message records now and every six hours (the consumers' redelivery guard); returns the stop. */
function pruneRegularly(db: Database, log: Logger): () => void {
  const prune = () => pruneHandledMessages(db).catch((error: unknown) => {
    log.warn(`Pruning old handled-message records failed; it is tried again in six hours: ${(error as Error).message}`);
  });
  void prune();
  const timer = setInterval(() => void prune(), 6 * 3_600_000).unref();
  return () => clearInterval(timer);
}

/**
 * Runs the whole workshop in this process: one database and one queue shared by the four
 * APIs, each API with its own logger and heartbeat (R19) and its own view of the database,
 * which logs its queries (R14) with that logger over the same connections. Services start in
 * dependency order (file storage, MES, CRM, Shop), each told the others' real addresses.
 */
export async function startWorkshop(options: StartWorkshopOptions): Promise<Workshop> {
  await mkdir(options.dataDir, { recursive: true });
  const logs = {
    infrastructure: serviceLogger(options, 'infrastructure', infrastructureService),
    files: serviceLogger(options, 'files', workshopServices.files),
    mes: serviceLogger(options, 'mes', workshopServices.mes),
    crm: serviceLogger(options, 'crm', workshopServices.crm),
    shop: serviceLogger(options, 'shop', workshopServices.shop),
  };
  const apps: FastifyInstance[] = [];
  /** Stops the heartbeats and the regular pruning. */
  const timers: (() => void)[] = [];
  let db: SharedDatabase | undefined;
  let queueDb: Database | undefined;
  let queue: MessageQueue | undefined;
  const stop = async () => {
    for (const app of apps.reverse()) await app.close();
    for (const stopTimer of timers) stopTimer();
    await queue?.close();
    await queueDb?.close();
    await db?.close();
    await Promise.all(Object.values(logs).map((log) => log.close()));
  };

  try {
    // Migrations at start-up run as the shared infrastructure, so they log as `workshop`.
    db = await openDatabase({
      log: logs.infrastructure,
      migrations: [...workshopMigrations, ...domainMigrations],
      hotReadTables: ['sessions'],
      ...(options.statementTimeoutMs !== undefined && { statementTimeoutMs: options.statementTimeoutMs }),
      ...(options.databaseUrl ? { url: options.databaseUrl } : { dataDir: join(options.dataDir, 'pglite') }),
      ...(options.databaseSchema && { schema: options.databaseSchema }),
    });
    if (options.queueDatabaseUrl && options.databaseUrl && !options.amqpUrl) {
      queueDb = await openDatabase({
        log: logs.infrastructure, url: options.queueDatabaseUrl, migrations: workshopMigrations,
        ...(options.databaseSchema && { schema: options.databaseSchema }),
      });
    }
    // The outbox relay and the embedded queue poll as the shared infrastructure (`workshop`);
    // a service's `publish` writes the outbox in that service's own transaction.
    queue = await openQueue({
      db: queueDb ?? db, log: logs.infrastructure, ...(options.amqpUrl && { url: options.amqpUrl }), ...(options.queuePrefix && { prefix: options.queuePrefix }),
    });
    const views = {
      files: db.withLog(logs.files), mes: db.withLog(logs.mes), crm: db.withLog(logs.crm), shop: db.withLog(logs.shop),
    };
    for (const account of options.staff ?? []) await ensureStaffAccount(views.crm, logs.crm, account, options.passwordHashing);

    const host = options.host ?? '127.0.0.1';
    const listen = async (key: WorkshopService, app: FastifyInstance) => {
      apps.push(app);
      const wanted = options.ports?.[key] ?? 0;
      try {
        await app.listen({ host, port: wanted });
      } catch (error) {
        throw listenError(error, { what: `${workshopServices[key]} port`, address: `${host}:${wanted}`, likely: 'another workshop, or another program', setting: portSettings[key] });
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      return httpAddress(host, port);
    };
    const common = {
      passwordHashing: options.passwordHashing, adminToken: options.adminToken, maxModelBytes: options.maxModelBytes,
    };
    const internalToken = options.internalToken ?? randomBytes(24).toString('base64url');
    const files = await listen('files', await buildFileStorageApp({
      config: { modelsDir: modelsDirIn(options.dataDir), maxModelBytes: options.maxModelBytes, adminToken: options.adminToken }, log: logs.files, db: views.files,
    }));
    const mes = await listen('mes', await buildMesApp({
      config: { ...common, fileStorageUrl: files, pricing: options.pricing ?? defaultPricingConfig, ...(options.fileStorageRetry && { fileStorageRetry: options.fileStorageRetry }) },
      log: logs.mes, db: views.mes, queue,
    }));
    const crm = await listen('crm', await buildCrmApp({ config: { ...common, fileStorageUrl: files, internalToken }, log: logs.crm, db: views.crm, queue }));
    const shop = await listen('shop', await buildShopApp({
      config: { ...common, fileStorageUrl: files, crmUrl: crm, internalToken, ...(options.crmCallTimeoutMs !== undefined && { crmCallTimeoutMs: options.crmCallTimeoutMs }) },
      log: logs.shop, db: views.shop,
    }));

    for (const key of ['files', 'mes', 'crm', 'shop', 'infrastructure'] as const) {
      timers.push(startHeartbeat(logs[key], options.heartbeatIntervalMs ? { intervalMs: options.heartbeatIntervalMs } : {}));
    }
    // Pruning is nobody's request: it logs as `workshop`.
    timers.push(pruneRegularly(db, logs.infrastructure));
    return { urls: { shop, crm, mes, files }, logs, db, queue, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
