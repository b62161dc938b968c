import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringSet } from './string-set.js';

test('R25 a batch string set keeps each string once, in first-seen order, as a Set does', () => {
  const set = new StringSet();
  const native = new Set<string>();
  // Enough to grow the table several times; repeats, the empty string and non-ASCII strings.
  const values = Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? `id-${i >> 3}` : i % 11 === 0 ? '' : i % 13 === 0 ? `заказ-${i % 500}-🙂` : `bench:${i}`));
  for (const value of values) assert.equal(set.add(value), !native.has(value) && Boolean(native.add(value)), value);
  assert.deepEqual(set.values, [...native]);
  assert.equal(set.size, native.size);
});
