import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTopicPattern } from './topic-pattern.js';

const cases: [pattern: string, key: string, matches: boolean][] = [
  ['order.created', 'order.created', true],
  ['order.created', 'order.status-changed', false],
  ['order.*', 'order.created', true],
  ['order.*', 'order', false],
  ['order.*', 'order.status.changed', false],
  ['*.created', 'order.created', true],
  ['order.#', 'order', true],
  ['order.#', 'order.status.changed', true],
  ['order.#', 'orders.created', false],
  ['#', 'anything.at.all', true],
  ['#.changed', 'order.status.changed', true],
  ['#.changed', 'changed', true],
  ['#.changed', 'order.changed.twice', false],
  ['order.#.priced', 'order.priced', true],
  ['order.#.priced', 'order.v2.quote.priced', true],
  ['order.*.priced', 'order.priced', false],
];

test('topic bindings match routing keys as RabbitMQ does: * one word, # zero or more', () => {
  for (const [pattern, key, matches] of cases) {
    assert.equal(compileTopicPattern(pattern)(key), matches, `${pattern} against ${key}`);
  }
});
