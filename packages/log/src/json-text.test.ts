import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonString } from './json-text.js';

test('R20 jsonString writes every string exactly as JSON.stringify does', () => {
  const strings = [
    '', 'plain text', 'quote " and backslash \\', 'tab\tnewline\nreturn\r', '\u0000\u0001\u001f\u007f', 'line\u2028separator\u2029',
    'Заказ ORD-2026-001042 передан в печать', 'emoji 💍 pair', 'lone high \ud83d end', 'lone low \udc8d end', '\\u0041 is not decoded',
    'x'.repeat(10_000),
  ];
  for (const text of strings) assert.equal(jsonString(text), JSON.stringify(text), text.slice(0, 40));
});
