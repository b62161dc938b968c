import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { createTestLog, testDatabaseTarget, type TestEngine } from '../testing/index.js';
import { openDatabase, workshopMigrations, type Database, type Migration } from './index.js';

const ordersTable: Migration = {
  version: 100,
  name: 'orders',
  sql: `CREATE TABLE orders (id text PRIMARY KEY, status text NOT NULL, quote jsonb);
        CREATE TABLE order_notes (order_id text NOT NULL REFERENCES orders (id), note text NOT NULL)`,
};
const customersTable: Migration = { version: 101, name: 'customers', sql: 'CREATE TABLE customers (id text PRIMARY KEY)' };

async function openTestDatabase(t: TestContext, engine: TestEngine, level: 'debug' | 'info' = 'debug') {
  const target = await testDatabaseTarget(t, engine);
  if (!target) return undefined;
  const { log, lines } = createTestLog({ level });
  const db = await openDatabase({ ...target, log, migrations: [...workshopMigrations, ordersTable], hotReadTables: ['orders'] });
  t.after(() => db.close());
  lines.clear();
  return { db, lines };
}

async function orderIds(db: Database): Promise<string[]> {
  return (await db.query<{ id: string }>('SELECT id FROM orders ORDER BY id')).rows.map((row) => row.id);
}

for (const engine of ['pglite', 'postgres'] as const) {
  describe(`database on ${engine}`, () => {
    test('two migrations with one version are refused before anything runs', async (t) => {
      const target = await testDatabaseTarget(t, engine);
      if (!target) return;
      const { log } = createTestLog();
      await assert.rejects(openDatabase({ ...target, log, migrations: [ordersTable, { ...customersTable, version: 100 }] }), {
        code: 'DB_MIGRATION_INVALID',
        message: 'Migrations "orders" and "customers" both have version 100: give each its own',
      });
    });

    test('R14: each query logs its type, table, order id, duration and outcome; hot reads at DEBUG', async (t) => {
      const opened = await openTestDatabase(t, engine);
      if (!opened) return;
      const { db, lines } = opened;
      const inserted = await db.query(`INSERT INTO orders (id, status) VALUES ($1, 'NEW'), ('ORD-8', 'NEW')`, ['ORD-7'], { orderId: 'ORD-7' });
      assert.equal(inserted.rowCount, 2);
      const updated = await db.query(`UPDATE orders SET status = 'PRICED' WHERE id = $1`, ['ORD-7'], { orderId: 'ORD-7' });
      assert.equal(updated.rowCount, 1);
      assert.deepEqual(await orderIds(db), ['ORD-7', 'ORD-8']);

      const [insert, update, select] = lines.events('db-query');
      assert.equal(insert?.['log.level'], 'info');
      assert.equal(insert?.['db.operation'], 'INSERT');
      assert.equal(insert?.['db.sql.table'], 'orders');
      assert.equal(insert?.['order.id'], 'ORD-7');
      assert.equal(insert?.['event.outcome'], 'success');
      assert.ok(typeof insert?.['event.duration'] === 'number' && insert['event.duration'] > 0);
      assert.equal(insert?.message, 'INSERT orders success');
      assert.equal(update?.['db.operation'], 'UPDATE');
      assert.equal(select?.['db.operation'], 'SELECT');
      assert.equal(select?.['log.level'], 'debug', 'orders is a hot read table here');
      assert.equal(select?.['order.id'], undefined);
    });

    test('R15: a failing query logs the error code and is rethrown at once, without retries', async (t) => {
      const opened = await openTestDatabase(t, engine);
      if (!opened) return;
      const { db, lines } = opened;
      await assert.rejects(db.query('SELECT * FROM no_such_table WHERE id = $1', ['ORD-9'], { orderId: 'ORD-9' }), { code: '42P01' });
      const [error] = lines.events('db-error');
      assert.equal(error?.['log.level'], 'error');
      assert.equal(error?.['db.operation'], 'SELECT');
      assert.equal(error?.['db.sql.table'], 'no_such_table');
      assert.equal(error?.['order.id'], 'ORD-9');
      assert.equal(error?.['error.code'], '42P01');
      assert.match(String(error?.['error.message']), /no_such_table/);
      assert.equal(lines.events('call-retried').length, 0);
      assert.equal(lines.events('call-failed').length, 0);
    });

    test('a service\'s view logs its statements with the service\'s logger over the same connection; closing the view is refused', async (t) => {
      const target = await testDatabaseTarget(t, engine);
      if (!target) return;
      const { log, lines } = createTestLog({ service: 'workshop' });
      const db = await openDatabase({ ...target, log, migrations: [...workshopMigrations, ordersTable], hotReadTables: ['orders'], maxConnections: 1 });
      t.after(() => db.close());
      const { log: shopLog, lines: shopLines } = createTestLog({ service: 'shop-api' });
      const shop = db.withLog(shopLog);
      lines.clear();
      await shop.transaction((tx) => tx.query(`INSERT INTO orders (id, status) VALUES ('ORD-1', 'NEW')`, [], { orderId: 'ORD-1' }));
      assert.deepEqual(await orderIds(shop), ['ORD-1']);

      const [insert, select] = shopLines.events('db-query');
      assert.deepEqual([insert?.['service.name'], insert?.['db.operation'], insert?.['order.id']], ['shop-api', 'INSERT', 'ORD-1']);
      assert.deepEqual([select?.['service.name'], select?.['log.level']], ['shop-api', 'debug'], 'the view keeps the hot read tables');
      assert.deepEqual(lines.events('db-query'), [], 'nothing the Shop ran is logged as the workshop');
      const backend = async (on: Database) => (await on.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      assert.equal(await backend(shop), await backend(db), 'a pool of one connection serves both: the view opened none');
      await assert.rejects(shop.close(), { code: 'DB_CLOSE_VIEW' });
      assert.deepEqual(await orderIds(db), ['ORD-1'], 'the database stays open');
    });

    test('a transaction commits on success and rolls back, rethrowing, when its function throws', async (t) => {
      const opened = await openTestDatabase(t, engine);
      if (!opened) return;
      const { db, lines } = opened;
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO orders (id, status) VALUES ('ORD-1', 'NEW')`, [], { orderId: 'ORD-1' });
        await tx.query(`INSERT INTO order_notes VALUES ('ORD-1', 'ring size 17')`, [], { orderId: 'ORD-1' });
      });
      const failure = new Error('price service said no');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO orders (id, status) VALUES ('ORD-2', 'NEW')`);
          throw failure;
        }),
        failure,
      );
      assert.deepEqual(await orderIds(db), ['ORD-1']);
      const tables = lines.events('db-query').map((line) => `${line['db.operation']} ${line['db.sql.table']} ${line['order.id'] ?? '-'}`);
      assert.deepEqual(tables.slice(0, 3), ['INSERT orders ORD-1', 'INSERT order_notes ORD-1', 'INSERT orders -']);
    });

    test('a nested transaction is a savepoint: its rollback keeps the outer work', async (t) => {
      const opened = await openTestDatabase(t, engine);
      if (!opened) return;
      const { db } = opened;
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO orders (id, status) VALUES ('ORD-1', 'NEW')`);
        await assert.rejects(
          tx.transaction(async (inner) => {
            await inner.query(`INSERT INTO orders (id, status) VALUES ('ORD-2', 'NEW')`);
            await inner.query(`INSERT INTO orders (id, status) VALUES ('ORD-2', 'NEW')`);
          }),
          { code: '23505' },
        );
        await tx.query(`INSERT INTO orders (id, status) VALUES ('ORD-3', 'NEW')`);
      });
      assert.deepEqual(await orderIds(db), ['ORD-1', 'ORD-3']);
    });

    test('counts, bigint ids, json and times come back as the same JavaScript values on both engines', async (t) => {
      const opened = await openTestDatabase(t, engine, 'info');
      if (!opened) return;
      const { db } = opened;
      await db.query(`INSERT INTO orders (id, status, quote) VALUES ('ORD-1', 'PRICED', $1::text::jsonb)`, [JSON.stringify({ total: 120.5, lines: ['gold'] })]);
      const { rows } = await db.query(`SELECT count(*) AS count, 9007199254740991::int8 AS big, (SELECT quote FROM orders LIMIT 1) AS quote, now() AS at FROM orders`);
      assert.equal(rows[0]?.count, 1);
      assert.equal(rows[0]?.big, Number.MAX_SAFE_INTEGER);
      assert.deepEqual(rows[0]?.quote, { total: 120.5, lines: ['gold'] });
      assert.ok(rows[0]?.at instanceof Date);
    });

    test('several statements without parameters run as one script, answering with the last', async (t) => {
      const opened = await openTestDatabase(t, engine, 'info');
      if (!opened) return;
      const { db } = opened;
      const result = await db.query(`INSERT INTO orders (id, status) VALUES ('ORD-1', 'NEW'); SELECT id, status FROM orders`);
      assert.deepEqual(result.rows, [{ id: 'ORD-1', status: 'NEW' }]);
    });

    test('migrations are applied once in version order, and reopening applies only the new ones', async (t) => {
      const target = await testDatabaseTarget(t, engine, { persistent: true });
      if (!target) return;
      const { log, lines } = createTestLog();
      const first = await openDatabase({ ...target, log, migrations: [ordersTable, ...workshopMigrations] });
      await first.query(`INSERT INTO orders (id, status) VALUES ('ORD-1', 'NEW')`);
      const applied = await first.query('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.deepEqual(applied.rows, [
        { version: 1, name: 'outbox' },
        { version: 2, name: 'embedded-queue' },
        { version: 3, name: 'outbox-per-order' },
        { version: 100, name: 'orders' },
      ]);
      await first.close();

      lines.clear();
      const second = await openDatabase({ ...target, log, migrations: [...workshopMigrations, ordersTable, customersTable] });
      t.after(() => second.close());
      const created = lines.events('db-query')
        .filter((line) => line['db.operation'] === 'CREATE' && line['db.sql.table'] !== '-')
        .map((line) => line['db.sql.table']);
      assert.deepEqual(created, ['schema_migrations', 'customers'], 'only the new migration ran (the bookkeeping table is checked each time)');
      assert.deepEqual(await orderIds(second), ['ORD-1'], 'the data written before survived');
      const versions = await second.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(versions.rows.map((row) => row.version), [1, 2, 3, 100, 101]);

      lines.clear();
      const third = await openDatabase({ ...target, log, migrations: [...workshopMigrations, ordersTable, customersTable] });
      t.after(() => third.close());
      assert.deepEqual(lines.lines.filter((line) => line.includes('Applied database migration')), [], 'reopening unchanged is a no-op');
    });

    test('a migration edited after it was applied stops the opening with a clear error', async (t) => {
      const target = await testDatabaseTarget(t, engine, { persistent: true });
      if (!target) return;
      const { log } = createTestLog();
      await (await openDatabase({ ...target, log, migrations: [ordersTable] })).close();
      const edited = { ...ordersTable, sql: ordersTable.sql.replace('status text NOT NULL', 'status text') };
      await assert.rejects(openDatabase({ ...target, log, migrations: [edited] }), {
        code: 'DB_MIGRATION_CHANGED',
        message: /^Migration 100 "orders" was changed after it was applied .*put the change in a new migration$/,
      });
    });
  });
}
