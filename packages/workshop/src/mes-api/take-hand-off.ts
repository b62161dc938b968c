import { isFirstDelivery, type QueueMessage } from '../queue/index.js';
import { readToManufacturing } from '../domain/index.js';
import { upsertJob } from './job-store.js';
import { priceOrder, type PriceCalculationDeps } from './price-calculation.js';

/**
 * MES's handler of `order.to-manufacturing` on queue `consumer`. A hand-off for pricing is
 * priced (once per message: see `priceOrder`); one for production becomes a job waiting for
 * an operator, once, so a redelivery cannot undo the floor's progress.
 */
export function takeHandOff(deps: PriceCalculationDeps, consumer: string): (message: QueueMessage) => Promise<void> {
  return async (message) => {
    const order = readToManufacturing(message.body);
    if (order.stage === 'pricing') return priceOrder(deps, { consumer, message, order });
    await deps.db.transaction(async (tx) => {
      if (await isFirstDelivery(tx, consumer, message)) await upsertJob(tx, order, 'IN_PRODUCTION');
    });
  };
}
