import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { requireServer } from './serverProbes.js';

export type TestEngine = 'pglite' | 'postgres';

/** Where a test's database lives: pass these to `openDatabase` (with `log` and `migrations`). */
export interface TestDatabaseTarget {
  engine: TestEngine;
  url?: string;
  schema?: string;
  dataDir?: string;
}

/** Removes a test's schema from the shared server; a server that went away is not an error. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A database of the test's own, removed when the test ends: a fresh schema on the test
 * PostgreSQL (so parallel runs never meet), or PGlite — in memory, or in a temporary
 * directory when `persistent` (to reopen it). Undefined when the server test was skipped.
 */
export async function testDatabaseTarget(t: TestContext, engine: TestEngine, options: { persistent?: boolean } = {}): Promise<TestDatabaseTarget | undefined> {
  if (engine === 'postgres') {
    const url = await requireServer(t, 'postgres');
    if (!url) return undefined;
    const schema = `test_${randomBytes(6).toString('hex')}`;
    t.after(() => dropSchema(url, schema));
    return { engine, url, schema };
  }
  if (!options.persistent) return { engine };
  const dataDir = await mkdtemp(join(tmpdir(), 'loupe-pglite-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  return { engine, dataDir };
}
