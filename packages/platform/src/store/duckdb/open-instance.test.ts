import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from './duckdb-store.js';

const open = (dir: string) => DuckDbStore.open({ path: join(dir, 'loupe.duckdb'), tmpDir: join(dir, 'tmp'), threads: 1 });

test('R26 a data directory another process holds is refused at start with who holds it and what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-locked-'));
  // Another process opens the file and keeps it, as a platform already running there would.
  const holder = spawn(process.execPath, ['--input-type=module', '-e', `
    import { DuckDBInstance } from '@duckdb/node-api';
    await DuckDBInstance.create(${JSON.stringify(join(dir, 'loupe.duckdb'))});
    console.log('open');
    setInterval(() => {}, 1000);
  `], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await once(holder.stdout!, 'data');
    await assert.rejects(open(dir), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'STORE_LOCKED');
      assert.match(error.message, new RegExp(`in use by process ${holder.pid}\\b.*already running.*LOUPE_DATA_DIR`));
      return true;
    });
  } finally {
    holder.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('R26 a loupe.duckdb that is not a database is refused at start, named, with what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-foreign-'));
  writeFileSync(join(dir, 'loupe.duckdb'), 'these are not the bytes of a database\n'.repeat(200));
  try {
    await assert.rejects(open(dir), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'STORE_NOT_A_DATABASE');
      assert.match(error.message, /loupe\.duckdb exists but is not a Loupe database.*move it away/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
