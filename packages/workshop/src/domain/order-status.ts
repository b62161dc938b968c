import { LoupeError } from '@loupe/schema';

/**
 * An order's life, as one table. `by` says who may make the step:
 * - `customer`  the customer, through the Shop API;
 * - `crm`       operators and managers through the CRM API (and the Shop asking CRM to hand an order on);
 * - `mes`       manufacturing: the price calculation and the production floor, reported over the queue.
 * `handOff` marks the two steps that send the order to manufacturing (`order.to-manufacturing`).
 *
 * | from              | to                | by            | meaning                                             |
 * |-------------------|-------------------|---------------|-----------------------------------------------------|
 * | NEW               | MODEL_UPLOADED    | customer, crm | a 3D model was uploaded and passed analysis          |
 * | MODEL_REJECTED    | MODEL_UPLOADED    | customer, crm | a corrected model was uploaded                       |
 * | MODEL_UPLOADED    | PRICE_CALCULATING | crm           | hand-off (pricing): MES analyses and prices it       |
 * | PRICE_CALCULATING | PRICE_QUOTED      | mes           | MES published a quote                                |
 * | PRICE_CALCULATING | MODEL_REJECTED    | mes           | MES could not price the model (open mesh, too heavy) |
 * | PRICE_QUOTED      | ACCEPTED          | customer      | the customer accepted the price                      |
 * | PRICE_QUOTED      | REJECTED          | customer      | the customer declined the price (final)              |
 * | ACCEPTED          | IN_PRODUCTION     | crm           | hand-off (production): queued on the MES floor       |
 * | IN_PRODUCTION     | PRINTED           | mes           | wax/resin printed and cast                           |
 * | PRINTED           | POLISHED          | mes           | cleaned up and polished                              |
 * | POLISHED          | QUALITY_CHECK     | mes           | at quality control                                   |
 * | QUALITY_CHECK     | READY_TO_SHIP     | mes           | passed quality control                               |
 * | QUALITY_CHECK     | IN_PRODUCTION     | mes           | failed quality control: made again                   |
 * | READY_TO_SHIP     | SHIPPED           | crm           | handed to the courier                                |
 * | SHIPPED           | DELIVERED         | crm           | the customer received it (final)                     |
 * | NEW, MODEL_UPLOADED, MODEL_REJECTED, PRICE_QUOTED | CANCELLED | customer, crm | cancelled before any metal is used |
 * | PRICE_CALCULATING, ACCEPTED | CANCELLED | crm   | cancelled by a manager before production (final)     |
 */
export const orderStatuses = [
  'NEW', 'MODEL_UPLOADED', 'MODEL_REJECTED', 'PRICE_CALCULATING', 'PRICE_QUOTED', 'ACCEPTED', 'REJECTED',
  'IN_PRODUCTION', 'PRINTED', 'POLISHED', 'QUALITY_CHECK', 'READY_TO_SHIP', 'SHIPPED', 'DELIVERED', 'CANCELLED',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type OrderActor = 'customer' | 'crm' | 'mes';
export type HandOffStage = 'pricing' | 'production';

export interface OrderTransition {
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly by: readonly OrderActor[];
  readonly handOff?: HandOffStage;
}

const step = (from: OrderStatus, to: OrderStatus, by: readonly OrderActor[], handOff?: HandOffStage): OrderTransition =>
  (handOff ? { from, to, by, handOff } : { from, to, by });
const early: readonly OrderStatus[] = ['NEW', 'MODEL_UPLOADED', 'MODEL_REJECTED', 'PRICE_QUOTED'];

export const orderTransitions: readonly OrderTransition[] = [
  step('NEW', 'MODEL_UPLOADED', ['customer', 'crm']),
  step('MODEL_REJECTED', 'MODEL_UPLOADED', ['customer', 'crm']),
  step('MODEL_UPLOADED', 'PRICE_CALCULATING', ['crm'], 'pricing'),
  step('PRICE_CALCULATING', 'PRICE_QUOTED', ['mes']),
  step('PRICE_CALCULATING', 'MODEL_REJECTED', ['mes']),
  step('PRICE_QUOTED', 'ACCEPTED', ['customer']),
  step('PRICE_QUOTED', 'REJECTED', ['customer']),
  step('ACCEPTED', 'IN_PRODUCTION', ['crm'], 'production'),
  step('IN_PRODUCTION', 'PRINTED', ['mes']),
  step('PRINTED', 'POLISHED', ['mes']),
  step('POLISHED', 'QUALITY_CHECK', ['mes']),
  step('QUALITY_CHECK', 'READY_TO_SHIP', ['mes']),
  step('QUALITY_CHECK', 'IN_PRODUCTION', ['mes']),
  step('READY_TO_SHIP', 'SHIPPED', ['crm']),
  step('SHIPPED', 'DELIVERED', ['crm']),
  ...early.map((from) => step(from, 'CANCELLED', ['customer', 'crm'])),
  step('PRICE_CALCULATING', 'CANCELLED', ['crm']),
  step('ACCEPTED', 'CANCELLED', ['crm']),
];

// Looked up on every move: index the table once by "FROM>TO".
const byPair = new Map(orderTransitions.map((t) => [`${t.from}>${t.to}`, t]));

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (orderStatuses as readonly string[]).includes(value);
}

/** The statuses an order in `from` may go to, optionally only those `actor` may choose. */
export function nextStatuses(from: OrderStatus, actor?: OrderActor): OrderStatus[] {
  return orderTransitions.filter((t) => t.from === from && (!actor || t.by.includes(actor))).map((t) => t.to);
}

export function isFinalStatus(status: OrderStatus): boolean {
  return nextStatuses(status).length === 0;
}

/** Whether some sequence of steps leads from `from` to `to` (a status is not its own successor). */
export function canReach(from: OrderStatus, to: OrderStatus): boolean {
  const seen = new Set<OrderStatus>();
  const next = [from];
  while (next.length > 0) {
    for (const status of nextStatuses(next.pop()!)) {
      if (status === to) return true;
      if (!seen.has(status)) {
        seen.add(status);
        next.push(status);
      }
    }
  }
  return false;
}

/** The hand-off step out of `from` (pricing or production), if there is one. */
export function handOffFrom(from: OrderStatus): OrderTransition | undefined {
  return orderTransitions.find((t) => t.from === from && t.handOff);
}

/**
 * The transition from `from` to `to` by `actor`, or a LoupeError: 409 ORDER_BAD_TRANSITION
 * when the machine has no such step, 403 ORDER_TRANSITION_FORBIDDEN when it is someone else's.
 */
export function checkTransition(orderId: string, from: OrderStatus, to: OrderStatus, actor: OrderActor): OrderTransition {
  const transition = byPair.get(`${from}>${to}`);
  if (!transition) {
    // Steps the caller cannot take are named with who takes them: a customer told "it can go
    // to IN_PRODUCTION" would try, and be refused again.
    const next = orderTransitions.filter((t) => t.from === from).map((t) => (t.by.includes(actor) ? t.to : `${t.to} (by ${t.by.join(' or ')})`));
    const hint = next.length > 0 ? `from ${from} it can go to ${next.join(', ')}` : `${from} is final`;
    throw new LoupeError('ORDER_BAD_TRANSITION', `Order ${orderId} cannot go from ${from} to ${to}; ${hint}`, 409);
  }
  if (!transition.by.includes(actor)) {
    throw new LoupeError(
      'ORDER_TRANSITION_FORBIDDEN',
      `Order ${orderId} goes from ${from} to ${to} only by ${transition.by.join(' or ')}, not by ${actor}`,
      403,
    );
  }
  return transition;
}

/** The price calculation's own statuses in MES (R9). */
export const pricingStatuses = ['QUEUED', 'ANALYSING', 'CALCULATING', 'QUOTED', 'FAILED'] as const;
export type PricingStatus = (typeof pricingStatuses)[number];

/** The statuses the production floor reports (the `mes` steps after the production hand-off). */
export const productionStatuses: readonly OrderStatus[] = ['IN_PRODUCTION', 'PRINTED', 'POLISHED', 'QUALITY_CHECK', 'READY_TO_SHIP'];
