/**
 * The workshop's database: PostgreSQL through a `pg` pool, or PGlite when no URL is
 * configured. Every statement is logged (R14; hot reads at DEBUG; R15 on failure); a
 * statement outside a transaction that meets a connection failure is sent again with
 * backoff (R2, R3 when the attempts run out). Versioned migrations run at open, each once,
 * in its own transaction; editing an applied one is refused (DB_MIGRATION_CHANGED). Each
 * service gets a view (`withLog`) that shares the connections and logs with its logger.
 */
export type { Database, DatabaseRetryOptions, Migration, OpenDatabaseOptions, QueryContext, QueryResult, SharedDatabase } from './database.js';
export { DEFAULT_STATEMENT_TIMEOUT_MS } from './database.js';
export { openDatabase } from './open-database.js';
export { applyMigrations, migrationChecksum } from './migrate.js';
export { workshopMigrations, queuePolledTables } from './migrations.js';
export { domainMigrations } from './domain-migrations.js';
export { isStatementTimeout, isTransientDatabaseError } from './transient-errors.js';
export { wasLoggedByDatabase } from './logged-database.js';
