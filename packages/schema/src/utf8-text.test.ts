import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8Text } from './utf8-text.js';

test('utf8Text reads ASCII, multi-byte and broken UTF-8 as the UTF-8 decoder does', () => {
  const texts = ['{"message":"GET /orders 200"}\n'.repeat(20_000), 'Заказ ORD-1042 перешёл в статус PRINTED ✓ 😀', '', 'tab\tand\u0000nul and \u007f'];
  for (const text of texts) assert.equal(utf8Text(Buffer.from(text)), text);
  const broken = Buffer.from([0x61, 0xc3, 0x28, 0xff, 0x62]);
  assert.equal(utf8Text(broken), broken.toString('utf8'));
  assert.equal(utf8Text(broken), 'a\ufffd(\ufffdb');
});
