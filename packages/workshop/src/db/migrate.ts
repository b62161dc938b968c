import { createHash } from 'node:crypto';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database, Migration } from './database.js';

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

// Several services may start at once on one database: they take turns, per schema.
const LOCK_MIGRATIONS = `SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':loupe-migrations'))`;

/** The SHA-256 of a migration's text; line endings do not count, so a checkout on Windows matches. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replaceAll('\r\n', '\n').trim()).digest('hex');
}

/** The migrations in version order; refuses a version that is not a whole number from 1, or one used twice. */
export function sortedMigrations(migrations: readonly Migration[]): Migration[] {
  const seen = new Map<number, Migration>();
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new LoupeError('DB_MIGRATION_INVALID', `Migration "${migration.name}" has version ${migration.version}: use a whole number from 1`, 500);
    }
    const twin = seen.get(migration.version);
    if (twin) {
      throw new LoupeError('DB_MIGRATION_INVALID', `Migrations "${twin.name}" and "${migration.name}" both have version ${migration.version}: give each its own`, 500);
    }
    seen.set(migration.version, migration);
  }
  return [...seen.values()].sort((a, b) => a.version - b.version);
}

function checkUnchanged(migration: Migration, appliedChecksum: string): void {
  const checksum = migrationChecksum(migration.sql);
  if (checksum === appliedChecksum) return;
  throw new LoupeError(
    'DB_MIGRATION_CHANGED',
    `Migration ${migration.version} "${migration.name}" was changed after it was applied (checksum ${appliedChecksum.slice(0, 12)}… in the database, ` +
      `${checksum.slice(0, 12)}… in the code): restore its text and put the change in a new migration`,
    500,
  );
}

/**
 * Applies the migrations not applied yet, in version order, each in its own transaction
 * with its row in `schema_migrations`; checks that applied ones were not edited since.
 * Returns the versions applied now.
 */
export async function applyMigrations(db: Database, migrations: readonly Migration[], log: Logger): Promise<number[]> {
  const ordered = sortedMigrations(migrations);
  await db.transaction(async (tx) => {
    await tx.query(LOCK_MIGRATIONS);
    await tx.query(CREATE_MIGRATIONS_TABLE);
  });
  const { rows } = await db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
  const applied = new Map(rows.map((row) => [row.version, row.checksum]));
  const appliedNow: number[] = [];
  for (const migration of ordered) {
    const known = applied.get(migration.version);
    if (known !== undefined) {
      checkUnchanged(migration, known);
      continue;
    }
    const ran = await db.transaction(async (tx) => {
      await tx.query(LOCK_MIGRATIONS);
      // Another process may have applied it while this one waited for the lock.
      const again = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [migration.version]);
      if (again.rows[0]) {
        checkUnchanged(migration, again.rows[0].checksum);
        return false;
      }
      // A migration may rewrite a large table: the services' statement timeout does not apply.
      await tx.query('SET LOCAL statement_timeout = 0');
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migrationChecksum(migration.sql)]);
      return true;
    });
    if (ran) {
      appliedNow.push(migration.version);
      log.info(`Applied database migration ${migration.version} ${migration.name}`);
    }
  }
  return appliedNow;
}
