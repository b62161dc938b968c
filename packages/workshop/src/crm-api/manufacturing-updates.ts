import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { isFirstDelivery, MessageNotReady, type MessageQueue, type QueueMessage } from '../queue/index.js';
import { canReach, readPriced, readProductionStatus, routingKeys, type OrderStatus } from '../domain/index.js';
import { moveLockedOrder, requireOrder, type Move } from '../orders/index.js';

export interface ManufacturingUpdatesDeps {
  db: Database;
  queue: MessageQueue;
  log: Logger;
  /** The CRM's queue (default `crm-api`). */
  queueName?: string;
}

/**
 * Applies a move reported by MES when the order is where MES saw it, once per message: a
 * message delivered again is acknowledged without a change, even when the order came back to
 * where MES first saw it (round quality control, or a new model after a rejection). Otherwise:
 * an order not there yet (an earlier report is still on its way) throws `MessageNotReady`,
 * so this one waits and is delivered again later; an order past it (a cancelled order) is
 * acknowledged without a change.
 */
async function applyMove(deps: ManufacturingUpdatesDeps, message: QueueMessage, expected: OrderStatus, move: Move, canBeEarly = true): Promise<void> {
  const change = await deps.db.transaction(async (tx) => {
    if (!(await isFirstDelivery(tx, consumerOf(deps), message))) return { duplicate: true as const };
    const order = await requireOrder(tx, move.orderId, { forUpdate: true });
    if (order.status === expected) return moveLockedOrder(tx, order, move);
    if (canBeEarly && order.status !== move.to && canReach(order.status, expected)) {
      throw new MessageNotReady('ORDER_NOT_READY', `Order ${order.id} is ${order.status}, not yet ${expected}: MES's move to ${move.to} waits for the earlier one`);
    }
    return { skipped: order.status };
  });
  if ('duplicate' in change) {
    deps.log.info(`Message ${message.id} was handled before: MES's move of order ${move.orderId} to ${move.to} is not applied again`, {
      'order.id': move.orderId, 'message.id': message.id,
    });
    return;
  }
  if ('skipped' in change) {
    deps.log.info(`Order ${move.orderId} is ${change.skipped}, not ${expected}: MES's move to ${move.to} is not applied`, {
      'order.id': move.orderId, 'order.status': change.skipped,
    });
    return;
  }
  deps.log.orderStatusChanged(change);
}

function applyPriced(deps: ManufacturingUpdatesDeps, message: QueueMessage): Promise<void> {
  const priced = readPriced(message.body);
  const base = { orderId: priced.orderId, actor: 'mes' as const, actorId: 'mes-api' };
  // A price answers the hand-off committed with PRICE_CALCULATING, so it is never early: an
  // order elsewhere was cancelled, or got a new model after this answer was first applied.
  if (priced.outcome === 'quoted') {
    return applyMove(deps, message, 'PRICE_CALCULATING', { ...base, to: 'PRICE_QUOTED', changes: { quote: priced.quote }, note: `quoted ${priced.quote.total} ${priced.quote.currency}` }, false);
  }
  return applyMove(deps, message, 'PRICE_CALCULATING', { ...base, to: 'MODEL_REJECTED', changes: { rejectionReason: priced.reason }, note: priced.code }, false);
}

function applyProductionStatus(deps: ManufacturingUpdatesDeps, message: QueueMessage): Promise<void> {
  const report = readProductionStatus(message.body);
  return applyMove(deps, message, report.from, {
    orderId: report.orderId, to: report.to, actor: 'mes', actorId: report.operatorId, ...(report.note && { note: report.note }),
  });
}

const consumerOf = (deps: ManufacturingUpdatesDeps): string => deps.queueName ?? 'crm-api';

const handlers: Record<string, (deps: ManufacturingUpdatesDeps, message: QueueMessage) => Promise<void>> = {
  [routingKeys.priced]: applyPriced,
  [routingKeys.productionStatus]: applyProductionStatus,
};

/**
 * Consumes MES's `order.priced` and `order.production-status` and moves the orders (R5), one
 * message at a time: reports on one order must be applied in the order MES made them.
 */
export async function consumeManufacturingUpdates(deps: ManufacturingUpdatesDeps): Promise<{ stop(): Promise<void> }> {
  const consumer = await deps.queue.consume(consumerOf(deps), Object.keys(handlers), (message) => handlers[message.routingKey]!(deps, message), { prefetch: 1, log: deps.log });
  return { stop: async () => { await consumer.stop(); } };
}
