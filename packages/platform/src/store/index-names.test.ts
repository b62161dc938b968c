import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesIndexPattern } from './index-names.js';

test('R28 index patterns match with * as any run of characters, in comma-separated lists', () => {
  const name = 'logs-mes-api-2026.11.21';
  for (const pattern of ['logs-*', '*', 'logs-mes-api-2026.11.21', 'logs-*-2026.11.21', 'dead-letter-*, logs-mes-*', '*api*', 'logs-**-2026.11.21', '*1']) {
    assert.equal(matchesIndexPattern(name, pattern), true, pattern);
  }
  for (const pattern of ['logs-shop-*', 'logs', '*-2026.11.2', 'logs-mes-api-2026?11?21', 'logs-mes-api-2026.11.21x', '', 'LOGS-*', 'logs-[a-z]*', '(logs)-*']) {
    assert.equal(matchesIndexPattern(name, pattern), false, pattern);
  }
  assert.equal(matchesIndexPattern('logs-a.b', 'logs-a.b'), true);
  assert.equal(matchesIndexPattern('logs-axb', 'logs-a.b'), false, 'a dot is a dot, not any character');
});

test('R28 a pattern of many wildcards that cannot match answers false instead of stalling the platform', () => {
  const name = `logs-${'a'.repeat(100)}-2026.12.07`;
  assert.equal(matchesIndexPattern(name, `${'*a'.repeat(40)}*z`), false);
  assert.equal(matchesIndexPattern(name, `${'*'.repeat(5_000)}x`), false);
  assert.equal(matchesIndexPattern(name, `${'*a'.repeat(40)}*`), true);
});
