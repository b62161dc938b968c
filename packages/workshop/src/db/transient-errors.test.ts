import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireServer } from '../testing/index.js';
import { isTransientDatabaseError } from './transient-errors.js';

test('R15 a database closed to connections (SQLSTATE 55000) is unavailable for now, so the APIs answer 503 rather than 500', async (t) => {
  const url = await requireServer(t, 'postgres');
  if (!url) return;
  const name = `loupe_closed_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  t.after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });
  await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  const closed = new URL(url);
  closed.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: closed.toString() });
  const error = (await client.connect().then(() => undefined, (failure: unknown) => failure)) as { code?: string; message?: string };
  assert.equal(error.code, '55000');
  assert.match(String(error.message), /is not currently accepting connections/);
  assert.equal(isTransientDatabaseError(error), true);
  // Other 55000 errors are faults of the statement, not of the connection.
  assert.equal(isTransientDatabaseError({ code: '55000', message: 'cannot drop the currently open database' }), false);
});
