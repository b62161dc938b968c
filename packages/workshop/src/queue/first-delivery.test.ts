import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainMigrations, openDatabase, workshopMigrations } from '../db/index.js';
import { createTestLog, testDatabaseTarget } from '../testing/index.js';
import { HANDLED_MESSAGE_DAYS, isFirstDelivery, pruneHandledMessages } from './first-delivery.js';

for (const engine of ['pglite', 'postgres'] as const) {
  test(`R11 on ${engine}: a message is handled once per consumer, and records older than ${HANDLED_MESSAGE_DAYS} days are forgotten`, async (t) => {
    const target = await testDatabaseTarget(t, engine);
    if (!target) return;
    const db = await openDatabase({ ...target, log: createTestLog().log, migrations: [...workshopMigrations, ...domainMigrations] });
    t.after(() => db.close());
    const message = { id: 'MSG-1', orderId: 'ORD-1' };
    assert.equal(await isFirstDelivery(db, 'crm-manufacturing', message), true);
    assert.equal(await isFirstDelivery(db, 'crm-manufacturing', message), false, 'a redelivery');
    assert.equal(await isFirstDelivery(db, 'mes-pricing', message), true, 'another consumer handles it too');
    await db.query(`INSERT INTO handled_messages (consumer, message_id, handled_at) VALUES ('crm-manufacturing', 'MSG-OLD', now() - interval '${HANDLED_MESSAGE_DAYS + 1} days')`);
    assert.equal(await pruneHandledMessages(db), 1);
    const left = await db.query<{ message_id: string }>('SELECT message_id FROM handled_messages ORDER BY consumer, message_id');
    assert.deepEqual(left.rows.map((row) => row.message_id), ['MSG-1', 'MSG-1']);
  });
}
