import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import type { MessageQueue } from '../queue/index.js';
import { handOffFrom, orderTransitions, routingKeys, type ToManufacturingMessage } from '../domain/index.js';
import { changeOnce, moveLockedOrder, type Order, type StatusChange } from '../orders/index.js';

/** Where a hand-off moves an order: PRICE_CALCULATING or IN_PRODUCTION. */
const handOffTargets = orderTransitions.filter((step) => step.handOff).map((step) => step.to);

export interface HandOffDeps {
  db: Database;
  queue: MessageQueue;
  log: Logger;
}

/**
 * Hands an order to manufacturing: MODEL_UPLOADED → PRICE_CALCULATING (MES prices it) or
 * ACCEPTED → IN_PRODUCTION (MES makes it). The status change and the `order.to-manufacturing`
 * message commit together (the queue's outbox), so neither happens without the other.
 * With `requestKey`, a hand-off the same request already made is answered, not made again.
 */
export async function handOffOrder(
  { db, queue, log }: HandOffDeps, { orderId, actorId, note, requestKey }: { orderId: string; actorId: string; note?: string; requestKey?: string },
): Promise<{ order: Order; change?: StatusChange }> {
  return changeOnce(db, log, { orderId, to: handOffTargets, ...(requestKey && { requestKey }) }, (tx, order) => handOffLockedOrder(tx, { queue, log }, order, actorId, note, requestKey));
}

/**
 * The hand-off inside `tx`, of an order the caller read there `FOR UPDATE`: no other request
 * moves it between that read and this step. The caller logs R5 after commit.
 */
export async function handOffLockedOrder(
  tx: Database, { queue, log }: Omit<HandOffDeps, 'db'>, order: Order, actorId: string, note?: string, requestKey?: string,
): Promise<StatusChange & { messageId: string }> {
  const step = handOffFrom(order.status);
  if (!step?.handOff || !order.model) {
    throw new LoupeError(
      'ORDER_BAD_TRANSITION',
      `Order ${order.id} cannot go from ${order.status} to manufacturing; orders are handed on from MODEL_UPLOADED (pricing) and ACCEPTED (production)`,
      409,
    );
  }
  const change = await moveLockedOrder(tx, order, {
    to: step.to, actor: 'crm', actorId, note: note ?? `handed to manufacturing for ${step.handOff}`, ...(requestKey && { requestKey }),
  });
  const body: ToManufacturingMessage = {
    stage: step.handOff, orderId: order.id, customerId: order.customerId, product: order.product, metal: order.metal, scale: order.scale,
    modelFileId: order.model.fileId, ...(order.ringSizeMm !== undefined && { ringSizeMm: order.ringSizeMm }),
  };
  const messageId = await queue.publish(tx, routingKeys.toManufacturing, { orderId: order.id, body, publisher: log });
  return { ...change, messageId };
}
