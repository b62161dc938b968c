import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestNames, editDistance } from './closest-names.js';

test('R28 edit distance counts a swap of neighbours as one edit and ignores case', () => {
  assert.equal(editDistance('order.id', 'order.id'), 0);
  assert.equal(editDistance('odrer.id', 'order.id'), 1);
  assert.equal(editDistance('Order.Id', 'order.id'), 0);
  assert.equal(editDistance('levl', 'log.level'), 5);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('http.route', 'http.routes'), 1);
});

test('R28 closest names: within two edits (one for short names), closest first, at most three', () => {
  const fields = ['order.id', 'order.status', 'customer.id', 'user.id', 'http.route', 'log.level', 'order.ids'];
  assert.deepEqual(closestNames('odrer.id', fields), ['order.id', 'order.ids']);
  assert.deepEqual(closestNames('order.stauts', fields), ['order.status']);
  assert.deepEqual(closestNames('usr.id', fields), ['user.id']);
  assert.deepEqual(closestNames('colour', fields), []);
  // A short name allows one edit only, else everything would look alike.
  assert.deepEqual(closestNames('abcd', ['abdc', 'abxy']), ['abdc']);
  assert.deepEqual(closestNames('order.id', ['order.id']), [], 'the name itself is no suggestion');
  assert.equal(closestNames('x.y', Array.from({ length: 10 }, (_, i) => `x.${i}`)).length, 3);
});
