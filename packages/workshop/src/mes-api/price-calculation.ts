import type { Logger, RetryOptions } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import type { MessageQueue } from '../queue/index.js';
import { calculateQuote, routingKeys, type PricedMessage, type PricingConfig, type PricingStatus, type ToManufacturingMessage } from '../domain/index.js';
import { callService } from '../http/index.js';
import type { ModelAnalysis } from '../file-storage/index.js';
import { calculationFor, findCalculation, setJobStatus, updateCalculation, upsertJob } from './job-store.js';

export interface PriceCalculationDeps {
  db: Database;
  queue: MessageQueue;
  log: Logger;
  fileStorageUrl: string;
  pricing: PricingConfig;
  /** Retries of the call to file storage (R2 / R3). */
  fileStorageRetry?: RetryOptions;
}

/**
 * Prices an order handed on by CRM: QUEUED → ANALYSING (file storage analyses the model) →
 * CALCULATING → QUOTED, or FAILED when the model cannot be priced (R9 for each step, R8 at
 * start and finish). The result goes back to CRM as `order.priced` in the same transaction
 * that records it. When file storage cannot be reached the calculation goes back to QUEUED
 * and the error reaches the queue, which delivers the message again later.
 */
export async function priceOrder(deps: PriceCalculationDeps, messageId: string, order: ToManufacturingMessage): Promise<void> {
  const { db, log } = deps;
  const { orderId, customerId } = order;
  const calculation = await db.transaction(async (tx) => {
    // The job is (re)set only by a hand-off seen for the first time: a redelivery must not pull
    // a quoted or produced job back to PRICE_CALCULATING.
    const known = await findCalculation(tx, orderId, messageId);
    if (known) return { ...known, created: false };
    await upsertJob(tx, order, 'PRICE_CALCULATING');
    return calculationFor(tx, orderId, messageId);
  });
  // Delivered again after it was finished: its result was published with it.
  if (calculation.status === 'QUOTED' || calculation.status === 'FAILED') return;
  if (calculation.created) log.priceCalculationStatusChanged({ orderId, from: 'NONE', to: 'QUEUED' });

  let status: PricingStatus = calculation.status;
  const moveTo = async (to: PricingStatus, fields: Record<string, unknown> = {}) => {
    await updateCalculation(db, calculation.id, orderId, { status: to, ...fields });
    log.priceCalculationStatusChanged({ orderId, from: status, to });
    status = to;
  };
  log.priceCalculationStarted({ orderId, customerId });
  const started = process.hrtime.bigint();
  const finished = (result: 'QUOTED' | 'FAILED', polygonCount: number, cost?: { total: number; currency: string }) =>
    log.priceCalculationFinished({
      orderId, customerId, polygonCount, durationNs: Number(process.hrtime.bigint() - started), status: result,
      ...(cost && { cost: cost.total, currency: cost.currency }),
    });

  const fail = async (code: string, reason: string, polygonCount: number) => {
    const body: PricedMessage = { orderId, customerId, outcome: 'failed', code, reason };
    await db.transaction(async (tx) => {
      await updateCalculation(tx, calculation.id, orderId, { status: 'FAILED', failure_code: code, failure_reason: reason, finished_at: new Date() });
      await setJobStatus(tx, orderId, 'MODEL_REJECTED');
      await deps.queue.publish(tx, routingKeys.priced, { orderId, body, publisher: deps.log });
    });
    log.priceCalculationStatusChanged({ orderId, from: status, to: 'FAILED' });
    finished('FAILED', polygonCount);
    // R8 has no field for why; support needs it next to the order, not only in the message to CRM.
    // ERROR, as the records ask for errors of price calculation.
    log.error(`Price calculation for order ${orderId} failed: ${reason}`, {
      'event.action': 'price-calculation-failed', 'event.outcome': 'failure', 'order.id': orderId, 'customer.id': customerId,
      'pricing.status': 'FAILED', 'error.code': code, 'error.message': reason,
    });
  };

  if (status !== 'ANALYSING') await moveTo('ANALYSING');
  let analysis: ModelAnalysis;
  try {
    ({ analysis } = await callService<{ analysis: ModelAnalysis }>(log, {
      target: 'file-storage', method: 'POST', baseUrl: deps.fileStorageUrl, path: `/models/${order.modelFileId}/analyse`, timeoutMs: 60_000,
    }, deps.fileStorageRetry));
  } catch (error) {
    if (error instanceof LoupeError && error.status < 500) return fail(error.code, error.message, 0);
    await moveTo('QUEUED');
    throw error;
  }

  await moveTo('CALCULATING', { triangles: analysis.triangles });
  let quote;
  try {
    quote = calculateQuote({
      orderId, metal: order.metal, product: order.product, scale: order.scale, volumeMm3: analysis.volume,
      surfaceAreaMm2: analysis.surfaceArea, triangles: analysis.triangles, closed: analysis.closed,
    }, deps.pricing);
  } catch (error) {
    if (error instanceof LoupeError) return fail(error.code, error.message, analysis.triangles);
    throw error;
  }
  const body: PricedMessage = { orderId, customerId, outcome: 'quoted', quote };
  await db.transaction(async (tx) => {
    await updateCalculation(tx, calculation.id, orderId, {
      status: 'QUOTED', volume_mm3: quote.volumeMm3, metal_grams: quote.metalGrams, lines: JSON.stringify(quote.lines),
      total: quote.total, currency: quote.currency, finished_at: new Date(),
    });
    await setJobStatus(tx, orderId, 'PRICE_QUOTED');
    await deps.queue.publish(tx, routingKeys.priced, { orderId, body, publisher: deps.log });
  });
  log.priceCalculationStatusChanged({ orderId, from: status, to: 'QUOTED' });
  finished('QUOTED', analysis.triangles, quote);
}
