import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyLines, LONG_LINE_KEPT } from './body-lines.js';

const lines = (body: string | Buffer, max = 1000) => [...bodyLines(typeof body === 'string' ? Buffer.from(body) : body, max)];

test('bodyLines splits on \\n and \\r\\n, keeps blank lines and a last line without a break (R24)', () => {
  assert.deepEqual(lines('{"a":1}\r\n\n{"b":"ж"}\r\n{"c":3}'), [
    { bytes: 7, text: '{"a":1}' },
    { bytes: 0, text: '' },
    { bytes: 10, text: '{"b":"ж"}' },
    { bytes: 7, text: '{"c":3}' },
  ]);
  assert.deepEqual(lines(''), []);
});

test('bodyLines counts bytes, not characters, and decodes only the start of a line over the limit', () => {
  const long = `{"message":"${'ж'.repeat(3000)}"}`;
  const [line] = lines(`${long}\n`, 5000);
  assert.equal(line!.bytes, Buffer.byteLength(long));
  assert.equal(Buffer.byteLength(line!.text.replace(/\ufffd$/, '')) <= LONG_LINE_KEPT, true);
  assert.ok(long.startsWith(line!.text.replace(/\ufffd$/, '')));
  const [fits] = lines(`${long}\n`, 10_000);
  assert.equal(fits!.text, long);
});

test('bodyLines reads broken UTF-8 as the UTF-8 decoder does', () => {
  const body = Buffer.concat([Buffer.from('{"m":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')]);
  assert.equal(lines(body)[0]!.text, body.subarray(0, -1).toString('utf8'));
});

test('bodyLines skips a UTF-8 byte-order mark at the start of the body, as a Windows editor writes it (R24)', () => {
  assert.deepEqual(lines(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"b":2}\n')])), [{ bytes: 7, text: '{"a":1}' }, { bytes: 7, text: '{"b":2}' }]);
  assert.deepEqual(lines(Buffer.from([0xef, 0xbb, 0xbf])), []);
});
