import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventCatalogue } from '@loupe/schema';
import { createLogger, type Logger } from './create-logger.js';
import { MemoryDestination } from './memory-destination.js';

// Compile-time checks: `tsc -b` (part of `npm test`) fails if any line marked with a
// ts-expect-error directive compiles, i.e. if a missing or mistyped field were accepted.
function typeChecks(log: Logger): void {
  // @ts-expect-error R5 without customerId does not compile
  log.orderStatusChanged({ orderId: 'ORD-1', from: 'NEW', to: 'PAID' });
  // @ts-expect-error R1 with a string status code does not compile
  log.httpRequestServed({ method: 'GET', path: '/', route: '/', statusCode: '200', durationNs: 1, clientIp: '::1' });
  // @ts-expect-error R10 with an unknown field does not compile
  log.operatorAssigned({ orderId: 'ORD-1', operatorId: 'OP-1', operatorName: 'Ivan' });
  // @ts-expect-error R4 cannot choose a level the catalogue does not allow
  log.orderCreated({ orderId: 'ORD-1', customerId: 'CUS-1', status: 'NEW', level: 'error' });
  // @ts-expect-error there is no event helper for an event missing from the catalogue
  log.orderDeleted({ orderId: 'ORD-1' });
  // Optional fields may be left out; the level may be one the catalogue lists.
  log.userLoginFailed({ outcome: 'failure', failuresInWindow: 1 });
  log.dbQueryExecuted({ queryType: 'SELECT', table: 'orders', durationNs: 1, outcome: 'success', level: 'debug' });
}

test('every catalogue event has a typed helper on the logger', () => {
  const log = createLogger({ service: 'shop-api', destination: new MemoryDestination() });
  for (const name of Object.keys(eventCatalogue)) assert.equal(typeof (log as unknown as Record<string, unknown>)[name], 'function', name);
  assert.equal(typeof typeChecks, 'function');
});
