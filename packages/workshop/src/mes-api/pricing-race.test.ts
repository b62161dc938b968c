import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainMigrations, openDatabase, workshopMigrations } from '../db/index.js';
import { openQueue, type QueueMessage } from '../queue/index.js';
import { defaultPricingConfig, routingKeys, type PricedMessage, type ToManufacturingMessage } from '../domain/index.js';
import { buildFileStorageApp } from '../file-storage/index.js';
import { ApiClient } from '../simulator/api-client.js';
import { goodRing, linesOf } from '../test-orders.fixture.js';
import { createTestLog, testDatabaseTarget, waitFor, type TestEngine } from '../testing/index.js';
import { takeHandOff } from './take-hand-off.js';

/** MES's hand-off handler on a database of the test's own, beside a real file storage holding one ring, and CRM's queue. */
async function pricingSetup(t: TestContext, engine: TestEngine) {
  const target = await testDatabaseTarget(t, engine);
  if (!target) return undefined;
  const { log: infraLog } = createTestLog({ service: 'workshop', level: 'info' });
  const db = await openDatabase({ ...target, log: infraLog, migrations: [...workshopMigrations, ...domainMigrations] });
  const queue = await openQueue({ db, log: infraLog, pollIntervalMs: 20 });
  const modelsDir = await mkdtemp(join(tmpdir(), 'loupe-models-'));
  const { log: filesLog } = createTestLog({ service: 'file-storage', level: 'info' });
  const files = await buildFileStorageApp({ config: { modelsDir }, log: filesLog, db: db.withLog(filesLog) });
  await files.listen({ host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await files.close();
    await queue.close();
    await db.close();
    await rm(modelsDir, { recursive: true, force: true });
  });
  const fileStorageUrl = `http://127.0.0.1:${(files.server.address() as { port: number }).port}`;
  const stored = await new ApiClient(fileStorageUrl).call<{ fileId: string }>('POST', '/models?orderId=ORD-7', { raw: goodRing() });
  assert.equal(stored.status, 201);

  const answers: QueueMessage[] = [];
  await queue.consume('crm-api', [routingKeys.priced], async (message) => {
    answers.push(message);
  });
  const { log, lines } = createTestLog({ service: 'mes-api', level: 'info' });
  const handle = takeHandOff({ db: db.withLog(log), queue, log, fileStorageUrl, pricing: defaultPricingConfig }, 'mes-api');
  const body: ToManufacturingMessage = { stage: 'pricing', orderId: 'ORD-7', customerId: 'CUS-7', product: 'ring', metal: 'gold-750', scale: 1, modelFileId: stored.body.fileId };
  const handOff: QueueMessage = { id: 'MSG-PRICING-7', routingKey: routingKeys.toManufacturing, orderId: 'ORD-7', body, attempt: 1, waits: 0, headers: {} };
  /** Resolves once every message published so far was delivered to CRM's queue and acknowledged. */
  const allDelivered = () => waitFor(async () => {
    const { rows } = await db.query<{ waiting: number }>('SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM queue_messages) AS waiting');
    return rows[0]?.waiting === 0;
  }, { what: 'the outbox and the queue to empty' });
  return { db, lines, answers, handle, handOff, allDelivered };
}

for (const engine of ['pglite', 'postgres'] as const) {
  test(`two deliveries of one pricing hand-off at once publish one order.priced and store one price (${engine})`, async (t) => {
    const setup = await pricingSetup(t, engine);
    if (!setup) return;
    const { db, lines, answers, handle, handOff, allDelivered } = setup;

    // As when the relay publishes a message again, or a broker redelivers it while its first delivery still runs.
    await Promise.all([handle(handOff), handle({ ...handOff })]);
    await waitFor(() => answers.length > 0, { what: 'order.priced to reach CRM' });
    await allDelivered();

    const priced = answers.map((message) => message.body as PricedMessage);
    assert.deepEqual(priced.map((message) => [message.orderId, message.outcome]), [['ORD-7', 'quoted']], 'CRM receives one answer');
    assert.equal(linesOf(lines, 'message-published', { 'message.routing_key': routingKeys.priced }).length, 1, 'MES logs one R11 publish');
    const { rows } = await db.query<{ status: string; total: string }>('SELECT status, total FROM price_quotes WHERE order_id = $1', ['ORD-7']);
    assert.equal(rows.length, 1, 'one calculation stored');
    assert.equal(rows[0]?.status, 'QUOTED');
    assert.equal(Number(rows[0]?.total), priced[0]?.outcome === 'quoted' ? priced[0].quote.total : NaN, 'the price stored is the price CRM received');
    const finished = linesOf(lines, 'price-calculation-finished', { 'order.id': 'ORD-7' });
    assert.deepEqual(finished.map((line) => line['pricing.status']), ['QUOTED'], 'one R8 finish');
    const steps = linesOf(lines, 'price-calculation-status-changed', { 'order.id': 'ORD-7' }).map((line) => line['pricing.status']);
    assert.equal(steps.at(-1), 'QUOTED', `the last R9 step is the result: ${steps.join(', ')}`);
    const second = lines.records().filter((line) => line['message.id'] === handOff.id && String(line.message).includes('priced by another delivery'));
    assert.equal(second.length, 1, 'the second delivery says why it publishes nothing');
    const job = await db.query<{ status: string }>('SELECT status FROM production_jobs WHERE order_id = $1', ['ORD-7']);
    assert.deepEqual(job.rows, [{ status: 'PRICE_QUOTED' }]);

    await handle({ ...handOff, attempt: 2 });
    await allDelivered();
    assert.equal(answers.length, 1, 'a later redelivery publishes nothing either');
  });
}
