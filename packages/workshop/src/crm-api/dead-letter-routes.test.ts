import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient, type ApiError } from '../simulator/api-client.js';
import { waitFor } from '../testing/index.js';
import { startTestWorkshop, testStaff } from '../workshop-test-setup.js';

interface DeadLetter { id: string; orderId?: string; routingKey: string; attempts: number; reason?: string; payload?: string }

test('R12 managers list the dead letters of the workshop\'s queues and send them back; operators may not', async (t) => {
  const w = await startTestWorkshop(t, 'embedded');
  if (!w) return;
  // A hand-off MES can never take: it lacks everything but the order id and a customer's phone.
  const id = await w.queue.publish(w.db, 'order.to-manufacturing', { orderId: 'ORD-9001', body: { orderId: 'ORD-9001', phone: '+7 912 345-67-89' } });
  await waitFor(async () => (await w.queue.deadLetters('mes-api')).length === 1, { what: 'the hand-off dead-lettered' });

  const crm = new ApiClient(w.urls.crm);
  assert.equal((await crm.login(testStaff.operator.login, testStaff.operator.password)).status, 200);
  const forbidden = await crm.call<ApiError>('GET', '/dead-letters');
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.error.code, 'AUTH_FORBIDDEN');

  assert.equal((await crm.login(testStaff.manager.login, testStaff.manager.password)).status, 200);
  const listed = await crm.call<{ queues: { queue: string; messages: DeadLetter[] }[] }>('GET', '/dead-letters');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.queues.map((q) => [q.queue, q.messages.length]), [['crm-api', 0], ['mes-api', 1]]);
  const [dead] = listed.body.queues[1]!.messages;
  assert.equal(dead?.id, id);
  assert.equal(dead?.orderId, 'ORD-9001');
  assert.equal(dead?.routingKey, 'order.to-manufacturing');
  assert.match(String(dead?.reason), /^Cannot be processed \(attempt 1\): /);
  assert.ok(dead?.payload?.includes('ORD-9001') && !dead.payload.includes('345-67-89'), `the payload is shown masked: ${dead?.payload}`);

  const unknown = await crm.call<ApiError>('POST', '/dead-letters/replay', { json: { queue: 'billing' } });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /queue must be equal to one of the allowed values/);

  const replay = await crm.call<{ queue: string; replayed: DeadLetter[] }>('POST', '/dead-letters/replay', { json: { queue: 'mes-api', messageIds: [id] } });
  assert.equal(replay.status, 200);
  assert.deepEqual(replay.body.replayed.map((message) => [message.id, message.attempts]), [[id, 1]]);
  const line = await waitFor(() => w.lines.crm.records().find((record) => record['message.id'] === id && String(record.message).includes('sent back from the dead-letter queue')));
  assert.equal(line['log.level'], 'info');
  assert.equal(line['order.id'], 'ORD-9001');
  assert.equal(line['message.queue'], 'mes-api');
  assert.match(String(line['user.id']), /^OPR-/);
  // Still malformed: MES refuses it again, and it is back in the dead-letter queue after one more delivery.
  await waitFor(() => w.lines.mes.events('message-dead-lettered').length === 2, { what: 'the second dead letter' });
  assert.equal((await w.queue.deadLetters('mes-api'))[0]?.attempt, 1);
});
