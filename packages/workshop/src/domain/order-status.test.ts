import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoupeError } from '@loupe/schema';
import { canReach, checkTransition, handOffFrom, isFinalStatus, nextStatuses, orderStatuses, orderTransitions } from './order-status.js';

test('the happy path from NEW to DELIVERED is a chain of allowed steps', () => {
  const path = [
    ['NEW', 'MODEL_UPLOADED', 'customer'], ['MODEL_UPLOADED', 'PRICE_CALCULATING', 'crm'], ['PRICE_CALCULATING', 'PRICE_QUOTED', 'mes'],
    ['PRICE_QUOTED', 'ACCEPTED', 'customer'], ['ACCEPTED', 'IN_PRODUCTION', 'crm'], ['IN_PRODUCTION', 'PRINTED', 'mes'],
    ['PRINTED', 'POLISHED', 'mes'], ['POLISHED', 'QUALITY_CHECK', 'mes'], ['QUALITY_CHECK', 'READY_TO_SHIP', 'mes'],
    ['READY_TO_SHIP', 'SHIPPED', 'crm'], ['SHIPPED', 'DELIVERED', 'crm'],
  ] as const;
  for (const [from, to, actor] of path) assert.equal(checkTransition('ORD-1001', from, to, actor).to, to);
});

test('a step the machine lacks is 409 ORDER_BAD_TRANSITION naming the order, both statuses and the way on', () => {
  assert.throws(() => checkTransition('ORD-1042', 'NEW', 'SHIPPED', 'crm'), (error: unknown) => {
    assert.ok(error instanceof LoupeError);
    assert.equal(error.code, 'ORDER_BAD_TRANSITION');
    assert.equal(error.status, 409);
    assert.match(error.message, /^Order ORD-1042 cannot go from NEW to SHIPPED; from NEW it can go to MODEL_UPLOADED, CANCELLED$/);
    return true;
  });
  assert.throws(() => checkTransition('ORD-1', 'DELIVERED', 'CANCELLED', 'crm'), /DELIVERED is final/);
  // A customer accepting twice is told the next steps are the staff's, not offered them.
  assert.throws(() => checkTransition('ORD-5', 'ACCEPTED', 'ACCEPTED', 'customer'), {
    message: 'Order ORD-5 cannot go from ACCEPTED to ACCEPTED; from ACCEPTED it can go to IN_PRODUCTION (by crm), CANCELLED (by crm)',
  });
});

test('a step that belongs to someone else is 403 ORDER_TRANSITION_FORBIDDEN', () => {
  assert.throws(() => checkTransition('ORD-7', 'PRICE_QUOTED', 'ACCEPTED', 'crm'), (error: unknown) =>
    error instanceof LoupeError && error.code === 'ORDER_TRANSITION_FORBIDDEN' && error.status === 403 && /only by customer/.test(error.message));
  assert.throws(() => checkTransition('ORD-7', 'IN_PRODUCTION', 'PRINTED', 'customer'), { code: 'ORDER_TRANSITION_FORBIDDEN' });
});

test('quality control can send a piece back to production, and cancelling is possible only before metal is used', () => {
  assert.deepEqual(nextStatuses('QUALITY_CHECK'), ['READY_TO_SHIP', 'IN_PRODUCTION']);
  const cancellable = orderStatuses.filter((s) => nextStatuses(s).includes('CANCELLED'));
  assert.deepEqual(cancellable, ['NEW', 'MODEL_UPLOADED', 'MODEL_REJECTED', 'PRICE_CALCULATING', 'PRICE_QUOTED', 'ACCEPTED']);
  assert.deepEqual(nextStatuses('PRICE_CALCULATING', 'customer'), []);
});

test('exactly two steps hand an order to manufacturing, and REJECTED, DELIVERED, CANCELLED are final', () => {
  assert.deepEqual(orderTransitions.filter((t) => t.handOff).map((t) => `${t.from}>${t.to}:${t.handOff}`),
    ['MODEL_UPLOADED>PRICE_CALCULATING:pricing', 'ACCEPTED>IN_PRODUCTION:production']);
  assert.equal(handOffFrom('ACCEPTED')?.to, 'IN_PRODUCTION');
  assert.equal(handOffFrom('NEW'), undefined);
  assert.deepEqual(orderStatuses.filter(isFinalStatus), ['REJECTED', 'DELIVERED', 'CANCELLED']);
});

test('every status is reachable from NEW', () => {
  const seen = new Set<string>(['NEW']);
  for (let grew = true; grew;) {
    grew = false;
    for (const t of orderTransitions) if (seen.has(t.from) && !seen.has(t.to)) { seen.add(t.to); grew = true; }
  }
  assert.deepEqual([...orderStatuses].filter((s) => !seen.has(s)), []);
});

test('canReach follows the machine forward, through the quality-control loop, and never out of a final status', () => {
  assert.equal(canReach('PRINTED', 'QUALITY_CHECK'), true);
  assert.equal(canReach('QUALITY_CHECK', 'PRINTED'), true, 'a failed check goes round again');
  assert.equal(canReach('SHIPPED', 'PRINTED'), false);
  assert.equal(canReach('CANCELLED', 'IN_PRODUCTION'), false);
});
