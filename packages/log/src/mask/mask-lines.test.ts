import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { maskLines } from './mask-lines.js';

/** Feeds `chunks` through `maskLines` over real streams and returns what it wrote. */
async function run(chunks: Array<string | Buffer>): Promise<{ lines: number; output: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  const written: Buffer[] = [];
  output.on('data', (chunk: Buffer) => written.push(chunk));
  const done = maskLines(input, output);
  for (const chunk of chunks) input.write(chunk);
  input.end();
  const { lines } = await done;
  return { lines, output: Buffer.concat(written).toString('utf8') };
}

test('loupe mask masks text lines with maskText and JSON lines with maskRecord, one line out per line in', async () => {
  const { lines, output } = await run([
    'Operator called +7 (912) 345-67-89 about ORD-1042\n',
    '{"message":"mail anna@mail.ru","customer.phone":"8 912 345 67 89","order.id":"ORD-1042"}\n',
    '{"message":"clean line","order.id":"ORD-1"}\r\n',
    '{not json, just braces: ivan@example.com}\n',
    '\n',
    'last line without newline, password=qwerty',
  ]);
  assert.equal(lines, 6);
  assert.deepEqual(output.split('\n'), [
    'Operator called [PHONE] about ORD-1042',
    '{"message":"mail [EMAIL]","customer.phone":"[PHONE]","order.id":"ORD-1042"}',
    '{"message":"clean line","order.id":"ORD-1"}',
    '{not json, just braces: [EMAIL]}',
    '',
    'last line without newline, password=[SECRET]',
    '',
  ]);
});

test('a line split across chunks and a multi-byte character split across chunks are read whole', async () => {
  const bytes = Buffer.from('клиент Иванов Иван, тел. 8 912 345 67 89\n');
  const { output } = await run([bytes.subarray(0, 5), bytes.subarray(5, 21), bytes.subarray(21)]);
  assert.equal(output, 'клиент [NAME], тел. [PHONE]\n');
});

test('invalid UTF-8 becomes U+FFFD instead of stopping the stream', async () => {
  const { lines, output } = await run([Buffer.from([0x66, 0xff, 0xfe, 0x20]), 'call 89123456789\n', Buffer.from([0xc3, 0x28, 0x0a]), 'ok\n']);
  assert.equal(lines, 3);
  assert.deepEqual(output.split('\n'), ['f\uFFFD\uFFFD call [PHONE]', '\uFFFD(', 'ok', '']);
});

test('a line of several megabytes is masked whole', async () => {
  const filler = 'x'.repeat(4 * 1024 * 1024);
  const { lines, output } = await run([`${filler} anna@mail.ru ${filler}\n`, 'next +79123456789\n']);
  assert.equal(lines, 2);
  assert.equal(output, `${filler} [EMAIL] ${filler}\nnext [PHONE]\n`);
});

test('an empty input writes nothing', async () => {
  assert.deepEqual(await run([]), { lines: 0, output: '' });
});
