import { LoupeError } from '@loupe/schema';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type OpenDatabaseOptions, type SharedDatabase } from './database.js';
import type { Driver } from './driver.js';
import { createLoggedDatabase } from './logged-database.js';
import { applyMigrations, sortedMigrations } from './migrate.js';
import { queuePolledTables } from './migrations.js';
import { createPgliteDriver } from './pglite-driver.js';
import { createPostgresDriver } from './postgres-driver.js';
import { isTransientDatabaseError } from './transient-errors.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens PostgreSQL at `url` (a pg pool), or PGlite when there is none, and applies the
 * migrations not applied yet before resolving. `log` logs the migrations' statements and what
 * no service's query caused (a lost idle connection); a service queries through
 * `withLog(itsLogger)`. Close it with `close()`.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<SharedDatabase> {
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
        statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
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
