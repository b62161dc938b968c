import { ApiClient } from './api-client.js';
import type { Random } from './random.js';

export interface StaffLogin {
  login: string;
  password: string;
}

export interface ShiftContext {
  crmUrl: string;
  mesUrl: string;
  manager: StaffLogin;
  operator: StaffLogin;
  random: Random;
  count: (what: string) => void;
  /** Statuses staff leave alone while the "orders stuck" incident is on. */
  ignored: () => ReadonlySet<string>;
}

interface OrderList { orders?: { id: string; status: string; statusChangedAt: string }[] }
interface JobList { jobs?: { orderId: string; status: string; operatorId?: string }[] }

const nextOnTheFloor: Record<string, string> = { IN_PRODUCTION: 'PRINTED', PRINTED: 'POLISHED', POLISHED: 'QUALITY_CHECK', QUALITY_CHECK: 'READY_TO_SHIP' };

async function ensureLoggedIn(client: ApiClient, staff: StaffLogin, random: Random, count: (what: string) => void): Promise<boolean> {
  if (client.token) return true;
  // Staff mistype too, at the start of a shift.
  if (random.chance(0.1)) {
    await client.login(staff.login, `${staff.password}x`);
    count('staff-wrong-password');
  }
  return (await client.login(staff.login, staff.password)).status === 200;
}

async function listOrders(crm: ApiClient, status: string): Promise<NonNullable<OrderList['orders']>> {
  const response = await crm.call<OrderList>('GET', `/orders?status=${status}&limit=20`);
  if (response.status === 401) crm.token = undefined;
  return response.body.orders ?? [];
}

/** A CRM manager's round: hand accepted orders to production, retry stuck hand-offs, ship and deliver. */
async function managerRound(context: ShiftContext, crm: ApiClient): Promise<void> {
  const skip = context.ignored();
  const staleMs = 60_000;
  if (!skip.has('ACCEPTED')) {
    for (const order of await listOrders(crm, 'ACCEPTED')) context.count(`hand-off-${(await crm.call('POST', `/orders/${order.id}/hand-off`, { json: {} })).status}`);
  }
  if (!skip.has('MODEL_UPLOADED')) {
    for (const order of await listOrders(crm, 'MODEL_UPLOADED')) {
      if (Date.now() - Date.parse(order.statusChangedAt) > staleMs) await crm.call('POST', `/orders/${order.id}/hand-off`, { json: { note: 'the Shop could not reach CRM' } });
    }
  }
  if (!skip.has('READY_TO_SHIP')) {
    for (const order of await listOrders(crm, 'READY_TO_SHIP')) {
      const tracking = `СДЭК ${context.random.int(1_000_000_000, 9_999_999_999)}`;
      context.count(`shipped-${(await crm.call('POST', `/orders/${order.id}/status`, { json: { status: 'SHIPPED', note: tracking } })).status}`);
    }
  }
  for (const order of await listOrders(crm, 'SHIPPED')) {
    if (context.random.chance(0.3)) await crm.call('POST', `/orders/${order.id}/status`, { json: { status: 'DELIVERED' } });
  }
}

/** An MES operator's round: take waiting jobs and move each one step along; one piece in ten fails quality control. */
async function operatorRound(context: ShiftContext, mes: ApiClient): Promise<void> {
  const response = await mes.call<JobList>('GET', '/jobs?status=IN_PRODUCTION&status=PRINTED&status=POLISHED&status=QUALITY_CHECK');
  if (response.status === 401) mes.token = undefined;
  for (const job of response.body.jobs ?? []) {
    if (context.ignored().has(job.status)) continue;
    if (!job.operatorId) context.count(`assigned-${(await mes.call('POST', `/jobs/${job.orderId}/assign`, { json: {} })).status}`);
    const failedCheck = job.status === 'QUALITY_CHECK' && context.random.chance(0.1);
    const next = failedCheck ? 'IN_PRODUCTION' : nextOnTheFloor[job.status]!;
    context.count(`floor-${next}-${(await mes.call('POST', `/jobs/${job.orderId}/status`, { json: { status: next } })).status}`);
  }
}

/** One round of the staff's work; the caller repeats it through the simulated day. */
export function staffShift(context: ShiftContext): () => Promise<void> {
  const crm = new ApiClient(context.crmUrl);
  const mes = new ApiClient(context.mesUrl);
  return async () => {
    if (await ensureLoggedIn(crm, context.manager, context.random, context.count)) await managerRound(context, crm);
    if (await ensureLoggedIn(mes, context.operator, context.random, context.count)) await operatorRound(context, mes);
  };
}
