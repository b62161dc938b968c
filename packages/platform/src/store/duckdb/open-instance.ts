import { DuckDBInstance } from '@duckdb/node-api';
import { LoupeError } from '@loupe/schema';

/**
 * Opens the database file, saying in Loupe's words why it cannot be: another process holds
 * it (a platform already running on the same data directory), or the file is not a database.
 */
export async function openInstance(path: string, config: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path, config);
  } catch (error) {
    const message = (error as Error).message;
    const holder = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
    if (holder) {
      throw new LoupeError('STORE_LOCKED', `${path} is in use by process ${holder[2]} (${holder[1]}), probably a Loupe platform already running on this data directory: stop it, or give this one another LOUPE_DATA_DIR`, 500);
    }
    if (/not a valid DuckDB database file/.test(message)) {
      throw new LoupeError('STORE_NOT_A_DATABASE', `${path} exists but is not a Loupe database (DuckDB cannot read it): move it away to start with an empty store, or point LOUPE_DATA_DIR at the right directory`, 500);
    }
    throw error;
  }
}
