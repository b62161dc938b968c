import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import type { QueryResult } from './database.js';
import { quoteIdentifier, type Driver, type RunSql } from './driver.js';

export interface PgliteDriverOptions {
  /** Data directory; absent → in memory. */
  dataDir?: string;
  schema?: string;
}

function toResult(result: Results | undefined): QueryResult<unknown> {
  if (!result) return { rows: [], rowCount: 0 };
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

// As pg does, a statement without parameters goes through the simple protocol, where
// several statements may be sent at once (migrations); one with parameters is prepared.
function runner(target: PGlite | Transaction): RunSql {
  return async (sql, params) =>
    params && params.length > 0 ? toResult(await target.query(sql, params)) : toResult((await target.exec(sql)).at(-1));
}

// A new cluster costs an initdb, seconds of CPU. Once a process opened an in-memory
// database (tests, demos), its later new databases start from a copy of that one's files,
// taken before anything was written to it; a process using one data directory keeps none.
let freshCluster: Promise<File | Blob> | undefined;

async function openInMemory(): Promise<PGlite> {
  const template = freshCluster;
  if (template) return new PGlite({ loadDataDir: await template });
  const db = new PGlite();
  await db.waitReady;
  freshCluster = db.dumpDataDir('none');
  freshCluster.catch(() => {
    freshCluster = undefined;
  });
  await freshCluster;
  return db;
}

async function openDirectory(dataDir: string): Promise<PGlite> {
  const template = freshCluster;
  if (template && !existsSync(join(dataDir, 'PG_VERSION'))) return new PGlite(dataDir, { loadDataDir: await template });
  return new PGlite(dataDir);
}

/**
 * PGlite, PostgreSQL compiled to WebAssembly, in this process. It has one connection:
 * a transaction holds it, and other queries wait until the transaction ends.
 */
export async function createPgliteDriver(options: PgliteDriverOptions): Promise<Driver> {
  const db = options.dataDir ? await openDirectory(options.dataDir) : await openInMemory();
  await db.waitReady;
  if (options.schema) {
    const schema = quoteIdentifier(options.schema);
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  }
  return {
    kind: 'pglite',
    endpoint: options.dataDir ? `pglite:${options.dataDir}` : 'pglite:memory',
    run: runner(db),
    transaction: (fn) => db.transaction((tx) => fn(runner(tx))),
    close: () => db.close(),
  };
}
