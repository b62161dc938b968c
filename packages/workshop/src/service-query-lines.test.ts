import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryDestination } from '@loupe/log';
import { routingKeys } from './domain/index.js';
import { linesOf, logIn, quotedOrder, type Line } from './test-orders.fixture.js';
import { startTestWorkshop, type WorkshopEngines } from './workshop-test-setup.js';

/** The services' own tables: only the service whose code reads or writes them logs their R14 lines. */
const domainTables = new Set(['users', 'sessions', 'orders', 'order_status_history', 'models', 'production_jobs', 'price_quotes', 'operator_assignments']);
const dataStatements = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

function one(lines: MemoryDestination, action: string, where: Line): Line {
  const [line, ...more] = linesOf(lines, action, where);
  assert.ok(line, `a ${action} line with ${JSON.stringify(where)}`);
  assert.equal(more.length, 0, `one ${action} line with ${JSON.stringify(where)}`);
  return line;
}

/** The R14 lines of `table` in one service's log, each checked to carry that service's name. */
function queryLines(lines: MemoryDestination, service: string, table: string, where: Line = {}): Line[] {
  const found = linesOf(lines, 'db-query', { 'db.sql.table': table, ...where });
  assert.ok(found.length > 0, `${service} logged R14 lines for ${table}`);
  for (const line of found) assert.equal(line['service.name'], service, `${line['db.operation']} ${table} is logged as ${service}`);
  return found;
}

for (const engines of ['embedded', 'servers'] as WorkshopEngines[]) {
  describe(`R14 lines name the service that ran the query (${engines === 'embedded' ? 'PGlite + embedded queue' : 'PostgreSQL + RabbitMQ'})`, () => {
    test('an order placed, uploaded and priced: each service logs its own queries, in the trace of the request or message that caused them', async (t) => {
      const w = await startTestWorkshop(t, engines, { logLevel: 'debug' });
      if (!w) return;
      const staff = await logIn(w);
      const orderId = await quotedOrder(staff);

      // Shop: the order's first two moves are written in the customer's POST /orders and model upload.
      const placed = one(w.lines.shop, 'http-request', { 'http.request.method': 'POST', 'url.path': '/orders' });
      const upload = one(w.lines.shop, 'http-request', { 'http.request.method': 'POST', 'url.path': `/orders/${orderId}/model` });
      assert.equal(placed['service.name'], 'shop-api');
      const moves = queryLines(w.lines.shop, 'shop-api', 'order_status_history', { 'db.operation': 'INSERT', 'order.id': orderId });
      assert.deepEqual(moves.map((l) => l['trace.id']), [placed['trace.id'], upload['trace.id']]);
      assert.ok(queryLines(w.lines.shop, 'shop-api', 'sessions', { 'db.operation': 'SELECT' }).every((l) => l['log.level'] === 'debug'), 'session reads stay hot reads, at DEBUG');

      // File storage: the model is stored in the upload's trace.
      const stored = queryLines(w.lines.files, 'file-storage', 'models', { 'db.operation': 'INSERT', 'order.id': orderId });
      assert.deepEqual(stored.map((l) => l['trace.id']), [upload['trace.id']]);

      // MES: the calculation is stored while the hand-off message is consumed, in its trace.
      const handOff = one(w.lines.mes, 'message-consumed', { 'order.id': orderId, 'message.routing_key': routingKeys.toManufacturing });
      const priced = queryLines(w.lines.mes, 'mes-api', 'price_quotes', { 'order.id': orderId });
      assert.ok(priced.length >= 3, 'the calculation is created, moved and finished');
      for (const line of priced) assert.equal(line['trace.id'], handOff['trace.id'], `${line['db.operation']} price_quotes is in the hand-off's trace`);
      assert.equal(queryLines(w.lines.mes, 'mes-api', 'outbox', { 'order.id': orderId })[0]?.['db.operation'], 'INSERT', 'MES writes its order.priced to the outbox itself');

      // CRM: the price is applied while order.priced is consumed, in its trace.
      const answer = one(w.lines.crm, 'message-consumed', { 'order.id': orderId, 'message.routing_key': routingKeys.priced });
      const quoted = queryLines(w.lines.crm, 'crm-api', 'orders', { 'db.operation': 'UPDATE', 'order.id': orderId }).at(-1);
      assert.equal(quoted?.['trace.id'], answer['trace.id']);

      // What the services share (migrations, the queue's own tables) keeps the workshop's name; no service's query does.
      const shared = w.lines.infrastructure.events('db-query');
      assert.ok(shared.length > 0 && shared.every((l) => l['service.name'] === 'workshop'));
      const misplaced = shared.filter((l) => dataStatements.has(String(l['db.operation'])) && domainTables.has(String(l['db.sql.table'])));
      assert.deepEqual(misplaced.map((l) => l.message), [], 'no query on a service\'s table is logged as the workshop');
    });
  });
}
