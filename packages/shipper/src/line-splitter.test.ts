import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './line-splitter.js';

interface Line { text: string; offset: number; next: number; originalBytes?: number }

/** Feeds `chunks` as successive reads of one file and collects the lines. */
function split(chunks: string[], options: { maxLineBytes?: number; cuts?: number[]; endPartial?: boolean } = {}): Line[] {
  const lines: Line[] = [];
  const sink = { line: (bytes: Buffer, start: number, end: number, offset: number, next: number, originalBytes?: number) => {
    lines.push({ text: bytes.toString('utf8', start, end), offset, next, ...(originalBytes !== undefined && { originalBytes }) });
  } };
  const splitter = new LineSplitter(0, options.maxLineBytes ?? 1000, options.cuts ?? []);
  const scratch = Buffer.alloc(4096);
  let fileOffset = 0;
  for (const chunk of chunks) {
    const carried = splitter.prepare(scratch);
    const bytes = scratch.write(chunk, carried);
    splitter.split(scratch.subarray(0, carried + bytes), fileOffset - carried, sink);
    fileOffset += bytes;
  }
  if (options.endPartial) splitter.endPartialLine(sink);
  return lines;
}

test('lines are split on newline bytes across reads, each with its file offset; a partial line waits for its newline', () => {
  assert.deepEqual(split(['ab\ncd', 'e\nf', 'g\n', 'tail']), [
    { text: 'ab', offset: 0, next: 3 },
    { text: 'cde', offset: 3, next: 7 },
    { text: 'fg', offset: 7, next: 10 },
  ]);
});

test('a line longer than the limit keeps its head and reports its full length, however many reads it spans', () => {
  const long = 'x'.repeat(2500);
  assert.deepEqual(split([`ok\n${long.slice(0, 1200)}`, long.slice(1200, 2400), `${long.slice(2400)}\nnext\n`], { maxLineBytes: 100 }), [
    { text: 'ok', offset: 0, next: 3 },
    { text: 'x'.repeat(100), offset: 3, next: 2504, originalBytes: 2500 },
    { text: 'next', offset: 2504, next: 2509 },
  ]);
  assert.deepEqual(split([`${'y'.repeat(150)}\n`], { maxLineBytes: 100 }), [{ text: 'y'.repeat(100), offset: 0, next: 151, originalBytes: 150 }]);
});

test('a cut ends a line where an earlier run ended it without its newline; the end of a finished file ends its last line', () => {
  assert.deepEqual(split(['abc', 'def\ng\n'], { cuts: [3] }), [
    { text: 'abc', offset: 0, next: 3 },
    { text: 'def', offset: 3, next: 7 },
    { text: 'g', offset: 7, next: 9 },
  ]);
  assert.deepEqual(split(['one\ntwo'], { endPartial: true }), [{ text: 'one', offset: 0, next: 4 }, { text: 'two', offset: 4, next: 7 }]);
});
