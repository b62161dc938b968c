import { LoupeError } from '@loupe/schema';
import { isOrderStatus, type HandOffStage, type OrderStatus } from './order-status.js';
import { isMetal, type Metal, type Product, type Quote } from './pricing.js';

/** Routing keys on the orders exchange between CRM and MES. */
export const routingKeys = {
  /** CRM → MES: price this order, or make it (`stage`). */
  toManufacturing: 'order.to-manufacturing',
  /** MES → CRM: the quote, or why there is none. */
  priced: 'order.priced',
  /** MES → CRM: the production floor moved the order. */
  productionStatus: 'order.production-status',
} as const;

export interface ToManufacturingMessage {
  stage: HandOffStage;
  orderId: string;
  customerId: string;
  product: Product;
  metal: Metal;
  scale: number;
  ringSizeMm?: number;
  modelFileId: string;
}

export type PricedMessage =
  | { orderId: string; customerId: string; outcome: 'quoted'; quote: Quote }
  | { orderId: string; customerId: string; outcome: 'failed'; code: string; reason: string };

export interface ProductionStatusMessage {
  orderId: string;
  customerId: string;
  from: OrderStatus;
  to: OrderStatus;
  operatorId: string;
  note?: string;
}

function invalid(routingKey: string, what: string): LoupeError {
  return new LoupeError('MESSAGE_INVALID', `A ${routingKey} message ${what}; it cannot be processed and is dead-lettered`, 422);
}

function record(body: unknown, routingKey: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object') throw invalid(routingKey, 'has no JSON object body');
  const value = body as Record<string, unknown>;
  if (typeof value.orderId !== 'string' || typeof value.customerId !== 'string') throw invalid(routingKey, 'lacks orderId or customerId');
  return value;
}

export function readToManufacturing(body: unknown): ToManufacturingMessage {
  const value = record(body, routingKeys.toManufacturing);
  if (value.stage !== 'pricing' && value.stage !== 'production') throw invalid(routingKeys.toManufacturing, `has stage ${String(value.stage)}`);
  if (!isMetal(value.metal) || typeof value.modelFileId !== 'string') throw invalid(routingKeys.toManufacturing, 'lacks a metal or a model');
  return value as unknown as ToManufacturingMessage;
}

export function readPriced(body: unknown): PricedMessage {
  const value = record(body, routingKeys.priced);
  if (value.outcome === 'quoted' && value.quote && typeof value.quote === 'object') return value as unknown as PricedMessage;
  if (value.outcome === 'failed' && typeof value.reason === 'string') return value as unknown as PricedMessage;
  throw invalid(routingKeys.priced, `has outcome ${String(value.outcome)} without its quote or reason`);
}

export function readProductionStatus(body: unknown): ProductionStatusMessage {
  const value = record(body, routingKeys.productionStatus);
  if (!isOrderStatus(value.from) || !isOrderStatus(value.to) || typeof value.operatorId !== 'string') {
    throw invalid(routingKeys.productionStatus, 'lacks from, to or operatorId');
  }
  return value as unknown as ProductionStatusMessage;
}
