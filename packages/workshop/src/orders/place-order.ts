import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { createOrderUnlessKeyed, orderPlacedBy, type NewOrder, type Order } from './order-store.js';

/** Whether the order placed earlier is the one `order` asks for: same customer and the same piece. */
function samePiece(placed: Order, order: NewOrder): boolean {
  return placed.customerId === order.customerId && placed.product === order.product && placed.metal === order.metal
    && placed.ringSizeMm === order.ringSizeMm && placed.scale === (order.scale ?? 1) && placed.comment === order.comment;
}

/**
 * Places an order (R4). With the request's Idempotency-Key, an order its creator already
 * placed under that key is answered instead, as it is now (an INFO line, no second order);
 * a key that placed an order for another piece is 422 IDEMPOTENCY_KEY_REUSED.
 */
export async function placeOrder(db: Database, log: Logger, order: NewOrder, requestKey?: string): Promise<Order> {
  const created = await createOrderUnlessKeyed(db, { ...order, ...(requestKey !== undefined && { requestKey }) });
  if (created) {
    log.orderCreated({ orderId: created.id, customerId: created.customerId, status: created.status });
    return created;
  }
  // Not created: the key is taken, and the order that took it has committed.
  const placed = requestKey === undefined ? undefined : await orderPlacedBy(db, order.createdBy, requestKey);
  if (!placed) throw new Error(`An order under Idempotency-Key ${requestKey} was neither placed nor found`);
  if (!samePiece(placed, order)) {
    throw new LoupeError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key ${requestKey} placed order ${placed.id} (a ${placed.metal} ${placed.product}) at ${placed.createdAt}; send a new key with a new request`,
      422,
    );
  }
  log.info(
    `Order ${placed.id} was already placed at ${placed.createdAt} by this request (Idempotency-Key ${requestKey}); answered with the order as it is now, ${placed.status}`,
    { 'order.id': placed.id, 'customer.id': placed.customerId },
  );
  return placed;
}
