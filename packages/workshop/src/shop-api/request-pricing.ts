import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { callService } from '../http/index.js';

export interface CrmLink {
  crmUrl: string;
  /** The bearer token CRM accepts from other workshop services. */
  internalToken: string;
}

/**
 * Asks CRM to hand the order to manufacturing for pricing (HTTP with the request's trace,
 * retried). `delayed` when CRM cannot be reached or refuses: the order stays MODEL_UPLOADED
 * for an operator to hand on, and the failure is already logged (R3).
 */
export async function requestPricing(log: Logger, link: CrmLink, orderId: string): Promise<'requested' | 'delayed'> {
  try {
    await callService(log, {
      target: 'crm-api', method: 'POST', baseUrl: link.crmUrl, path: `/orders/${orderId}/hand-off`,
      body: {}, headers: { authorization: `Bearer ${link.internalToken}` },
    });
    return 'requested';
  } catch (error) {
    if (!(error instanceof LoupeError)) throw error;
    if (error.status < 500) log.warn(`CRM refused to hand order ${orderId} on: ${error.message}`, { 'order.id': orderId, 'error.code': error.code });
    return 'delayed';
  }
}
