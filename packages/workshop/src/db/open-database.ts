import { LoupeError } from '@loupe/schema';
import { withRetry } from '@loupe/log';
import type { Database, OpenDatabaseOptions } from './database.js';
import type { Driver } from './driver.js';
import { createLoggedDatabase } from './logged-database.js';
import { applyMigrations, sortedMigrations } from './migrate.js';
import { queuePolledTables } from './migrations.js';
import { createPgliteDriver } from './pglite-driver.js';
import { createPostgresDriver, describeEndpoint } from './postgres-driver.js';
import { isTransientDatabaseError } from './transient-errors.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens PostgreSQL at `url` (a pg pool), or PGlite when there is none, and applies the
 * migrations not applied yet before resolving. Close it with `close()`.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { log, url, schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new LoupeError('DB_BAD_SCHEMA', `Schema "${schema}" is not usable: use 1–63 lower-case letters, digits and "_", not starting with a digit`, 500);
  }
  sortedMigrations(options.migrations);
  const retry = {
    attempts: options.retry?.attempts ?? 5,
    baseDelayMs: options.retry?.baseDelayMs ?? 200,
    maxDelayMs: options.retry?.maxDelayMs ?? 2_000,
    retryable: isTransientDatabaseError,
  };
  const driver: Driver = url
    ? createPostgresDriver({
        url,
        log,
        schema,
        maxConnections: options.maxConnections ?? 10,
        retryConnect: (connect) => withRetry(log, { target: 'db', method: 'BEGIN', endpoint: describeEndpoint(url) }, connect, retry),
      })
    : await createPgliteDriver({ dataDir: options.dataDir, schema });
  const db = createLoggedDatabase(driver, { log, retry, hotReadTables: [...(options.hotReadTables ?? []), ...queuePolledTables] });
  try {
    if (url && schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await applyMigrations(db, options.migrations, log);
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
