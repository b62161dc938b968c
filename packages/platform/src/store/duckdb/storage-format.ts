import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The storage format a new database file is written in. v1.2.0 is the first that can keep a
 * column zstd-compressed, which is what the `attrs` JSON (a third of an event's bytes) needs:
 * FSST, the default for strings, left it at 35 bytes per event and took more CPU at ingest
 * than zstd does. Not the newest format: its dictionary-of-FSST strings take less disk, but
 * filtering them (an order id, a trace id) took 1.6–1.8× as long.
 */
export const STORAGE_COMPATIBILITY_VERSION = 'v1.2.0';

/**
 * Whether the open database can store zstd columns. A file created by an older Loupe keeps
 * its format, and DuckDB quietly stores a zstd column uncompressed there, so this is asked
 * rather than assumed.
 */
export async function supportsZstdColumns(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    `SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()`,
  );
  const version = String(reader.getRows()[0]?.[0] ?? '');
  const match = /^v(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || (major === 1 && minor >= 2);
}
