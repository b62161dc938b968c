import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { callService } from '../http/index.js';
import type { Order } from '../orders/index.js';

export interface CrmLink {
  crmUrl: string;
  /** The bearer token CRM accepts from other workshop services. */
  internalToken: string;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
}

/**
 * Asks CRM to hand the order to manufacturing for pricing (HTTP with the request's trace,
 * retried). `requested` with the order as CRM left it; `delayed` when CRM cannot be reached or
 * refuses: the order stays MODEL_UPLOADED for an operator to hand on, and the failure is
 * already logged (R3).
 */
export async function requestPricing(log: Logger, link: CrmLink, orderId: string): Promise<{ pricing: 'requested'; order: Order } | { pricing: 'delayed' }> {
  try {
    const order = await callService<Order>(log, {
      target: 'crm-api', method: 'POST', baseUrl: link.crmUrl, path: `/orders/${orderId}/hand-off`,
      body: {}, headers: { authorization: `Bearer ${link.internalToken}` }, ...(link.timeoutMs !== undefined && { timeoutMs: link.timeoutMs }),
    });
    return { pricing: 'requested', order };
  } catch (error) {
    if (!(error instanceof LoupeError)) throw error;
    if (error.status < 500) log.warn(`CRM refused to hand order ${orderId} on: ${error.message}`, { 'order.id': orderId, 'error.code': error.code });
    return { pricing: 'delayed' };
  }
}
