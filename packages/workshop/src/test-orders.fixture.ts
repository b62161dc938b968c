import assert from 'node:assert/strict';
import type { MemoryDestination } from '@loupe/log';
import { ringMesh, toBinaryStl } from './file-storage/model/index.js';
import { ApiClient, modelForm } from './simulator/api-client.js';
import { waitFor } from './testing/index.js';
import { testStaff, type TestWorkshop } from './workshop-test-setup.js';

/** Orders placed, priced and made through the real APIs, for tests that race or redeliver on top of them. */

export interface OrderBody {
  id: string;
  status: string;
  customerId: string;
  rejectionReason?: string;
  quote?: { total: number };
  history?: { from: string | null; to: string; actor: string; note: string | null }[];
}

export type Line = Record<string, unknown>;

export function linesOf(lines: MemoryDestination, action: string, where: Line = {}): Line[] {
  return lines.events(action).filter((line) => Object.entries(where).every(([key, value]) => line[key] === value));
}

/** The R5 lines of one order's move to `status`, in one service's log. */
export function statusLines(lines: MemoryDestination, orderId: string, status: string): Line[] {
  return linesOf(lines, 'order-status-changed', { 'order.id': orderId, 'order.status': status });
}

export const goodRing = (): Uint8Array => toBinaryStl(ringMesh({ segments: 32, sides: 12 }));

/** A ring with a hole in its surface: stored, but MES cannot price it. */
export function holedRing(): Uint8Array {
  const ring = ringMesh({ segments: 32, sides: 12 });
  return toBinaryStl(ring.subarray(0, ring.length - 9 * 4));
}

export interface Staff {
  shop: ApiClient;
  crm: ApiClient;
  manager: ApiClient;
  operator: ApiClient;
  customerId: string;
}

/** A registered, logged-in customer, a CRM manager and an MES operator (also logged in to MES as manager). */
export async function logIn(w: TestWorkshop, email = 'irina@example.ru'): Promise<Staff> {
  const shop = new ApiClient(w.urls.shop);
  const registered = await shop.call<{ customerId: string }>('POST', '/customers', { json: { email, password: 'password-1234', name: 'Ирина' } });
  assert.equal(registered.status, 201);
  assert.equal((await shop.login(email, 'password-1234')).status, 200);
  const crm = new ApiClient(w.urls.crm);
  assert.equal((await crm.login(testStaff.manager.login, testStaff.manager.password)).status, 200);
  const manager = new ApiClient(w.urls.mes);
  assert.equal((await manager.login(testStaff.manager.login, testStaff.manager.password)).status, 200);
  const operator = new ApiClient(w.urls.mes);
  assert.equal((await operator.login(testStaff.operator.login, testStaff.operator.password)).status, 200);
  return { shop, crm, manager, operator, customerId: registered.body.customerId };
}

export async function orderReaches(client: ApiClient, orderId: string, status: string): Promise<OrderBody> {
  return waitFor(async () => {
    const { body } = await client.call<OrderBody>('GET', `/orders/${orderId}`);
    return body.status === status ? body : undefined;
  }, { timeoutMs: 20_000, what: `order ${orderId} to reach ${status}` });
}

export async function newOrder(staff: Staff): Promise<string> {
  const created = await staff.shop.call<OrderBody>('POST', '/orders', { json: { product: 'ring', metal: 'silver-925', ringSizeMm: 17 } });
  assert.equal(created.status, 201);
  return created.body.id;
}

/** A new order with a model the customer uploaded, priced by MES: PRICE_QUOTED. */
export async function quotedOrder(staff: Staff): Promise<string> {
  const orderId = await newOrder(staff);
  const uploaded = await staff.shop.call<OrderBody>('POST', `/orders/${orderId}/model`, { form: modelForm(goodRing()) });
  assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  await orderReaches(staff.shop, orderId, 'PRICE_QUOTED');
  return orderId;
}

/** A quoted order the customer accepted and CRM handed to production; MES has its job. */
export async function orderInProduction(staff: Staff): Promise<string> {
  const orderId = await quotedOrder(staff);
  assert.equal((await staff.shop.call('POST', `/orders/${orderId}/accept`)).status, 200);
  assert.equal((await staff.crm.call('POST', `/orders/${orderId}/hand-off`, { json: {} })).status, 200);
  await waitFor(async () => (await staff.operator.call<{ status?: string }>('GET', `/jobs/${orderId}`)).body.status === 'IN_PRODUCTION', { what: 'MES to receive the job' });
  return orderId;
}

/** A message as its publisher logged it (R11), to publish again with the same id as a relay would after a crash. */
export function publishedMessage(lines: MemoryDestination, orderId: string, routingKey: string, index = -1): { id: string; body: unknown } {
  const published = linesOf(lines, 'message-published', { 'order.id': orderId, 'message.routing_key': routingKey });
  const line = published.at(index);
  assert.ok(line, `${routingKey} for ${orderId} was published`);
  return { id: String(line['message.id']), body: JSON.parse(String(line['message.payload'])) };
}

/** Waits until `service` consumed message `id` `times` times (R11). */
export async function consumedTimes(lines: MemoryDestination, id: string, times: number): Promise<void> {
  await waitFor(() => linesOf(lines, 'message-consumed', { 'message.id': id }).length >= times, { timeoutMs: 20_000, what: `message ${id} consumed ${times} times` });
}
