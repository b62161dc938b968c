import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseLevel } from './normalise-level.js';

test('R25 numeric levels: pino\'s steps and the custom levels between them, syslog severities 0-7, as numbers or text', () => {
  const cases: Array<[unknown, string]> = [
    [10, 'trace'], [20, 'debug'], [30, 'info'], [35, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal'], [123, 'fatal'], [15, 'trace'],
    [0, 'fatal'], [2, 'fatal'], [3, 'error'], ['4', 'warn'], [5, 'info'], [6, 'info'], [7, 'debug'], [8, 'trace'],
    ['WARNING', 'warn'], ['Information', 'info'], ['custom', 'custom'], ['', null as unknown as string],
  ];
  for (const [value, level] of cases) assert.equal(normaliseLevel(value), level, String(value));
});
