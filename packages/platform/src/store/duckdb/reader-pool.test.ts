import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { ReaderPool } from './reader-pool.js';

/** A query that runs for minutes unless it is stopped. */
const RUNAWAY = 'SELECT sum(i) AS total FROM range(100000000000) t(i)';

test('R28 a read past the timeout is stopped and answered 503 SEARCH_TIMEOUT; the pool reads on', async (t) => {
  const instance = await DuckDBInstance.create(':memory:');
  const pool = await ReaderPool.open(instance, { size: 1, timeoutMs: 200 });
  t.after(() => {
    pool.close();
    instance.closeSync();
  });
  await assert.rejects(pool.read(RUNAWAY), (error: Error & { code?: string; status?: number }) => {
    assert.equal(error.code, 'SEARCH_TIMEOUT');
    assert.equal(error.status, 503);
    assert.match(error.message, /ran for more than 0\.2 s and was stopped: narrow its time range/);
    return true;
  });
  assert.deepEqual(await pool.read('SELECT 42 AS answer'), [{ answer: 42 }]);
});

test('R28 a heavy read does not hold up the others, and closing the pool stops it', async (t) => {
  const instance = await DuckDBInstance.create(':memory:');
  const pool = await ReaderPool.open(instance, { size: 2, timeoutMs: 600_000 });
  t.after(() => instance.closeSync());
  let heavyDone = false;
  const heavy = pool.read(RUNAWAY).finally(() => { heavyDone = true; });
  assert.deepEqual(await pool.read('SELECT $1::INTEGER AS n', [7]), [{ n: 7 }]);
  assert.equal(heavyDone, false, 'the light read answered while the heavy one ran');
  pool.close();
  await assert.rejects(heavy, /interrupt/i);
  await assert.rejects(pool.read('SELECT 1'), { code: 'STORE_CLOSING' });
});
