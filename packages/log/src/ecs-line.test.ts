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
  const error = Object.assign(new TypeError('bad mesh'), { code: 'MESH_OPEN', polygons: 1254300 });
  const [line] = linesOf((writer) => writer.write('error', { error, cycle, big: 12345678901234567890n, nan: Number.NaN, fn: () => 1 }, 'failed'));
  const record = JSON.parse(line!) as Record<string, unknown>;
  const written = record.error as Record<string, unknown>;
  assert.equal(written.type, 'TypeError');
  assert.equal(written.message, 'bad mesh');
  assert.match(String(written.stack_trace), /TypeError: bad mesh\n\s+at /);
  assert.equal(written.code, 'MESH_OPEN');
  assert.equal(written.polygons, 1254300);
  assert.deepEqual(record.cycle, { name: 'loop', self: '[Circular]' });
  assert.match(line!, /"big":12345678901234567890,/);
  assert.equal(record.nan, null);
  assert.equal('fn' in record, false);
  assert.equal(record.message, 'failed');
});

test('R20 lines match pino\'s byte for byte over random fields and messages', () => {
  let x = 12_345;
  const next = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  // No lone surrogates: pino writes one in a short string as it is, which no UTF-8 stream can
  // carry; Loupe escapes it as JSON.stringify does (json-text.test.ts).
  const strings = ['', 'plain', 'quote "', 'back \\ slash', 'tab\tnew\nline', '\u0000\u001f\u007f', '\u2028', 'Заказ', '💍', 'x'.repeat(150)];
  const values: unknown[] = [...strings, 0, -0, 1.5, -1e21, 1e308, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, undefined, [1, 'a', null], { a: { b: 'c"' } }];
  const pinoLines: string[] = [];
  const reference = pino(
    { messageKey: 'message', base: { 'service.name': 'mes-api' }, timestamp: () => ',"@timestamp":"T"', formatters: { level: (label) => ({ 'log.level': label }) } },
    { write: (line: string) => pinoLines.push(line) },
  );
  const ours = linesOf((writer) => {
    for (let i = 0; i < 500; i++) {
      const fields: Record<string, unknown> = {};
      for (let n = Math.floor(next() * 6); n > 0; n--) fields[pick([...strings, 'order.id', 'http.response.status_code'])] = pick(values);
      const message = pick(strings) + pick(strings);
      const level = pick(['info', 'warn', 'error', 'fatal'] as const);
      writer.write(level, fields, message);
      reference[level](fields, message);
    }
  });
  assert.equal(ours.length, pinoLines.length);
  ours.forEach((line, i) => assert.equal(line.replace(/"@timestamp":"[^"]+"/, '"@timestamp":"T"'), pinoLines[i], `line ${i}`));
});
