import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import type { OrderStatus } from '../domain/index.js';
import { checkSameChange, logRepeatedChange } from '../http/index.js';
import { changeMadeBy, requireOrder, type HistoryEntry, type Order, type StatusChange } from './order-store.js';

export interface ChangeOnce {
  orderId: string;
  /** Only this customer's order (Shop): another's is 404, with or without a key. */
  customerId?: string;
  /** The request's Idempotency-Key: when a change of the order was made under it, nothing is made again. */
  requestKey?: string;
  /** The statuses this request moves the order to: a key that made a move to another is 422 IDEMPOTENCY_KEY_REUSED. */
  to: readonly OrderStatus[];
}

/**
 * The change `requestKey` made to the order, if it made one, checked to be the same request:
 * a key used for another change (another step of the order) is 422 IDEMPOTENCY_KEY_REUSED.
 */
export async function earlierChange(db: Database, order: Order, requestKey: string | undefined, to: readonly OrderStatus[]): Promise<HistoryEntry | undefined> {
  if (requestKey === undefined) return undefined;
  const earlier = await changeMadeBy(db, order.id, requestKey);
  if (earlier) checkSameChange(requestKey, order.id, earlier, to);
  return earlier;
}

/**
 * Makes a status change of an order in one transaction, under the order's row lock, unless
 * the same request (`requestKey`) made it already: then the order is answered as it is now.
 * `make` changes the order (passing `requestKey` on to `moveLockedOrder`) and returns the change,
 * logged here after commit (R5); a repeat is logged at INFO instead, with the change it had made.
 */
export async function changeOnce(
  db: Database, log: Logger, { orderId, customerId, requestKey, to }: ChangeOnce, make: (tx: Database, order: Order) => Promise<StatusChange>,
): Promise<{ order: Order; change?: StatusChange }> {
  type Outcome = { order: Order; change: StatusChange } | { order: Order; earlier: HistoryEntry; requestKey: string };
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const current = await requireOrder(tx, orderId, { forUpdate: true, ...(customerId && { customerId }) });
    const earlier = await earlierChange(tx, current, requestKey, to);
    if (earlier && requestKey !== undefined) return { order: current, earlier, requestKey };
    const change = await make(tx, current);
    // Read back before commit, so the answer never needs the database once the change is made.
    return { order: await requireOrder(tx, current.id), change };
  });
  if ('change' in outcome) {
    const { change } = outcome;
    log.orderStatusChanged({ orderId: change.orderId, customerId: change.customerId, from: change.from, to: change.to });
    return outcome;
  }
  logRepeatedChange(log, { orderId: outcome.order.id, customerId: outcome.order.customerId, status: outcome.order.status }, outcome.earlier, outcome.requestKey);
  return { order: outcome.order };
}
