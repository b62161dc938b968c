import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';

/**
 * The header a caller sends to make a change request safe to send again: a request whose
 * answer was lost (a timeout, a dropped connection) is sent again with the same key and
 * answered with the order or job as it is now, not refused because its change was already
 * made. Keys are per order, kept with the change they made (its history row).
 */
export const idempotencyKeyHeader = 'idempotency-key';

/** The route schema's `headers` for routes that honour `Idempotency-Key`. */
export const idempotencyKeyHeaders = {
  type: 'object',
  properties: { [idempotencyKeyHeader]: { type: 'string', minLength: 1, maxLength: 200, description: 'Send the same request again with the same key and it is answered, not made twice' } },
} as const;

/** The key a request carries (validated by `idempotencyKeyHeaders`). */
export function requestKeyOf(request: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const key = request.headers[idempotencyKeyHeader];
  return typeof key === 'string' ? key : undefined;
}

/** A status change a key made, as its history row keeps it. */
export interface KeyedChange {
  from: string | null;
  to: string;
  changedAt: string;
}

/**
 * Checks that the change `requestKey` made is the one this request asks for (a move to one of
 * `to`): a key used for another change of the order is 422 IDEMPOTENCY_KEY_REUSED.
 */
export function checkSameChange(requestKey: string, orderId: string, earlier: KeyedChange, to: readonly string[]): void {
  if (to.includes(earlier.to)) return;
  throw new LoupeError(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency-Key ${requestKey} was used for another change of order ${orderId} (${earlier.from ?? 'nowhere'} → ${earlier.to} at ${earlier.changedAt}); send a new key with a new request`,
    422,
  );
}

/** The INFO line of a request sent again: the change its key made, and the status it is answered with. */
export function logRepeatedChange(log: Logger, now: { orderId: string; customerId: string; status: string }, earlier: KeyedChange, requestKey: string): void {
  log.info(
    `Order ${now.orderId} was already moved ${earlier.from ?? 'nowhere'} → ${earlier.to} at ${earlier.changedAt} by this request (Idempotency-Key ${requestKey}); answered with the order as it is now, ${now.status}`,
    { 'order.id': now.orderId, 'customer.id': now.customerId },
  );
}
