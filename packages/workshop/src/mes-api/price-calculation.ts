import type { Logger, RetryOptions } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { isFirstDelivery, type MessageQueue, type QueueMessage } from '../queue/index.js';
import {
  calculateQuote, routingKeys, type OrderStatus, type PricedMessage, type PricingConfig, type PricingStatus, type ToManufacturingMessage,
} from '../domain/index.js';
import { callService } from '../http/index.js';
import type { ModelAnalysis } from '../file-storage/index.js';
import { calculationFor, findCalculation, setJobStatus, updateCalculation, upsertJob, type PriceCalculation } from './job-store.js';

export interface PriceCalculationDeps {
  db: Database;
  queue: MessageQueue;
  log: Logger;
  fileStorageUrl: string;
  pricing: PricingConfig;
  /** Retries of the call to file storage (R2 / R3). */
  fileStorageRetry?: RetryOptions;
}

/** One delivery of a pricing hand-off. */
export interface PricingHandOff {
  /** The queue it was delivered from: its record of the message (`handled_messages`) is taken with the result. */
  consumer: string;
  message: Pick<QueueMessage, 'id' | 'orderId'>;
  order: ToManufacturingMessage;
}

/** The calculation of this hand-off, created QUEUED with its job on first delivery (`created`). */
function calculationOf(db: Database, { message, order }: PricingHandOff): Promise<PriceCalculation & { created: boolean }> {
  return db.transaction(async (tx) => {
    // The job is (re)set only by a hand-off seen for the first time: a redelivery must not pull
    // a quoted or produced job back to PRICE_CALCULATING.
    const known = await findCalculation(tx, order.orderId, message.id);
    if (known) return { ...known, created: false };
    await upsertJob(tx, order, 'PRICE_CALCULATING');
    return calculationFor(tx, order.orderId, message.id);
  });
}

interface PricingResult {
  body: PricedMessage;
  /** The calculation's columns to store with the result. */
  fields: Record<string, unknown>;
  jobStatus: OrderStatus;
}

/**
 * Stores the result and publishes it to CRM in one transaction, once per hand-off; false when
 * another delivery of it did. The consumer's record of the message is taken first: a second
 * delivery at the same time waits there for the first's commit, then sees its record.
 */
function publishOnce(deps: PriceCalculationDeps, handOff: PricingHandOff, calculationId: number, result: PricingResult): Promise<boolean> {
  const { orderId } = handOff.order;
  return deps.db.transaction(async (tx) => {
    if (!(await isFirstDelivery(tx, handOff.consumer, handOff.message))) return false;
    await updateCalculation(tx, calculationId, orderId, { ...result.fields, finished_at: new Date() });
    await setJobStatus(tx, orderId, result.jobStatus);
    await deps.queue.publish(tx, routingKeys.priced, { orderId, body: result.body, publisher: deps.log });
    return true;
  });
}

/**
 * Prices an order handed on by CRM: QUEUED → ANALYSING (file storage analyses the model) →
 * CALCULATING → QUOTED, or FAILED when the model cannot be priced (R9 for each step, R8 at
 * start and finish). The result goes back to CRM as `order.priced` in the same transaction
 * that records it. When file storage cannot be reached the calculation goes back to QUEUED
 * and the error reaches the queue, which delivers the message again later. Two deliveries of
 * one hand-off at once (the relay published it again, or the broker redelivered it while the
 * first still ran) may both calculate, but only the first to finish stores and publishes a
 * result (`publishOnce`); the other neither publishes nor moves the finished calculation back.
 */
export async function priceOrder(deps: PriceCalculationDeps, handOff: PricingHandOff): Promise<void> {
  const { db, log } = deps;
  const { message, order } = handOff;
  const { orderId, customerId } = order;
  const calculation = await calculationOf(db, handOff);
  // Delivered again after it was finished: its result was published with it.
  if (calculation.status === 'QUOTED' || calculation.status === 'FAILED') return;
  if (calculation.created) log.priceCalculationStatusChanged({ orderId, from: 'NONE', to: 'QUEUED' });

  let status: PricingStatus = calculation.status;
  /** Moves the calculation on (R9); false when another delivery of the hand-off finished it meanwhile. */
  const moveTo = async (to: PricingStatus, fields: Record<string, unknown> = {}) => {
    if (!(await updateCalculation(db, calculation.id, orderId, { status: to, ...fields }))) return false;
    log.priceCalculationStatusChanged({ orderId, from: status, to });
    status = to;
    return true;
  };
  const pricedByAnother = () => log.info(`Order ${orderId} was priced by another delivery of message ${message.id}: this one stores and publishes nothing`, {
    'order.id': orderId, 'message.id': message.id,
  });
  log.priceCalculationStarted({ orderId, customerId });
  const started = process.hrtime.bigint();
  const finished = (result: 'QUOTED' | 'FAILED', polygonCount: number, cost?: { total: number; currency: string }) =>
    log.priceCalculationFinished({
      orderId, customerId, polygonCount, durationNs: Number(process.hrtime.bigint() - started), status: result,
      ...(cost && { cost: cost.total, currency: cost.currency }),
    });

  const fail = async (code: string, reason: string, polygonCount: number) => {
    const body: PricedMessage = { orderId, customerId, outcome: 'failed', code, reason };
    const fields = { status: 'FAILED', failure_code: code, failure_reason: reason };
    if (!(await publishOnce(deps, handOff, calculation.id, { body, fields, jobStatus: 'MODEL_REJECTED' }))) return pricedByAnother();
    log.priceCalculationStatusChanged({ orderId, from: status, to: 'FAILED' });
    finished('FAILED', polygonCount);
    // R8 has no field for why; support needs it next to the order, not only in the message to CRM.
    // ERROR, as the records ask for errors of price calculation.
    log.error(`Price calculation for order ${orderId} failed: ${reason}`, {
      'event.action': 'price-calculation-failed', 'event.outcome': 'failure', 'order.id': orderId, 'customer.id': customerId,
      'pricing.status': 'FAILED', 'error.code': code, 'error.message': reason,
    });
  };

  if (status !== 'ANALYSING' && !(await moveTo('ANALYSING'))) return pricedByAnother();
  let analysis: ModelAnalysis;
  try {
    ({ analysis } = await callService<{ analysis: ModelAnalysis }>(log, {
      target: 'file-storage', method: 'POST', baseUrl: deps.fileStorageUrl, path: `/models/${order.modelFileId}/analyse`, timeoutMs: 60_000,
    }, deps.fileStorageRetry));
  } catch (error) {
    if (error instanceof LoupeError && error.status < 500) return fail(error.code, error.message, 0);
    if (!(await moveTo('QUEUED'))) return pricedByAnother();
    throw error;
  }

  if (!(await moveTo('CALCULATING', { triangles: analysis.triangles }))) return pricedByAnother();
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
  const fields = {
    status: 'QUOTED', volume_mm3: quote.volumeMm3, metal_grams: quote.metalGrams, lines: JSON.stringify(quote.lines), total: quote.total, currency: quote.currency,
  };
  const body: PricedMessage = { orderId, customerId, outcome: 'quoted', quote };
  if (!(await publishOnce(deps, handOff, calculation.id, { body, fields, jobStatus: 'PRICE_QUOTED' }))) return pricedByAnother();
  log.priceCalculationStatusChanged({ orderId, from: status, to: 'QUOTED' });
  finished('QUOTED', analysis.triangles, quote);
}
