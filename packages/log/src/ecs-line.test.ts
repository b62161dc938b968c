import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { EcsLineWriter } from './ecs-line.js';

function linesOf(write: (writer: EcsLineWriter) => void): string[] {
  const lines: string[] = [];
  write(new EcsLineWriter('mes-api', { write: (line: string) => lines.push(line) }));
  return lines;
}

test('R20 a line is pino\'s line: level, timestamp, service, fields in their order, message', () => {
  const pinoLines: string[] = [];
  const reference = pino(
    { messageKey: 'message', base: { 'service.name': 'mes-api' }, timestamp: () => ',"@timestamp":"T"', formatters: { level: (label) => ({ 'log.level': label }) } },
    { write: (line: string) => pinoLines.push(line) },
  );
  const fields = { 'order.id': 'ORD-1', 'http.response.status_code': 503, ok: false, missing: undefined, nested: { a: [1, 'two', null] }, 'odd "key"': 'v\n' };
  reference.warn(fields, 'Order "ORD-1" failed\tagain');
  const [ours] = linesOf((writer) => writer.write('warn', fields, 'Order "ORD-1" failed\tagain'));
  assert.equal(ours!.replace(/"@timestamp":"[^"]+"/, '"@timestamp":"T"'), pinoLines[0]);
});

test('R20 values JSON cannot take directly are still written: errors, cycles, BigInt, NaN', () => {
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  const error = new TypeError('bad mesh');
  const [line] = linesOf((writer) => writer.write('error', { error, cycle, big: 12345678901234567890n, nan: Number.NaN, fn: () => 1 }, 'failed'));
  const record = JSON.parse(line!) as Record<string, unknown>;
  const written = record.error as Record<string, unknown>;
  assert.equal(written.type, 'TypeError');
  assert.equal(written.message, 'bad mesh');
  assert.match(String(written.stack_trace), /TypeError: bad mesh\n\s+at /);
  assert.deepEqual(record.cycle, { name: 'loop', self: '[Circular]' });
  assert.match(line!, /"big":12345678901234567890,/);
  assert.equal(record.nan, null);
  assert.equal('fn' in record, false);
  assert.equal(record.message, 'failed');
});
