import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOtlpLogs } from './index.js';
import {
  anyArray, anyInt, anyKvlist, anyString, attribute, body, double, int, keyValue, message, observedTime, raw, request,
  severity, spanId, tag, text, time, traceId,
} from './otlp-protobuf.fixture.js';

const at = 1795256130123456789n;
const stamped = { '@timestamp': '2026-11-21T10:15:30.123Z', 'otel.time_unix_nano': '1795256130123456789' };
/** Decoded, with each rejection's raw record left out (`raw` has a test of its own). */
const decode = (bytes: Uint8Array | number[]) => {
  const result = decodeOtlpLogs(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), 'protobuf');
  return { ...result, rejected: result.rejected.map(({ raw: _raw, ...rest }) => rest) };
};
const refused = (problem: string) => ({ name: 'LoupeError', code: 'OTLP_DECODE', status: 400, message: `Invalid OTLP protobuf body: ${problem}` });

test('an empty protobuf body is an export of no records', () => {
  assert.deepEqual(decode([]), { records: [], rejected: [] });
});

test('all-zero trace and span ids mean the record belongs to no trace', () => {
  const result = decode(request('mes-api', [...time(at), ...traceId('0'.repeat(32)), ...spanId('0'.repeat(16)), ...body(anyString('tick'))]));
  assert.deepEqual(result.records, [{ 'service.name': 'mes-api', ...stamped, message: 'tick' }]);
});

test('int64 values are numbers while exact in a double and decimal strings beyond 2^53', () => {
  const result = decode(request('mes-api', [
    ...time(at),
    ...attribute('model.polygon_count', anyInt(48_210)),
    ...attribute('pricing.adjustment', anyInt(-1)),
    ...attribute('max.safe', anyInt(2 ** 53 - 1)),
    ...attribute('past.safe', anyInt(2n ** 53n + 1n)),
    ...attribute('int64.max', anyInt(2n ** 63n - 1n)),
    ...attribute('int64.min', anyInt(-(2n ** 63n))),
  ]));
  assert.deepEqual(result.records, [{
    'service.name': 'mes-api', ...stamped,
    'model.polygon_count': 48210, 'pricing.adjustment': -1, 'max.safe': 9007199254740991,
    'past.safe': '9007199254740993', 'int64.max': '9223372036854775807', 'int64.min': '-9223372036854775808',
  }]);
});

test('kvlist attributes flatten to dotted keys; arrays stay arrays and hold kvlists as objects', () => {
  const result = decode(request('crm-api', [
    ...time(at),
    ...attribute('http.request.header', anyKvlist(
      keyValue('accept', anyString('application/json')),
      keyValue('retry', anyKvlist(keyValue('budget', anyInt(3)), keyValue('exhausted', int(2, 0)))),
    )),
    ...attribute('order.items', anyArray(anyKvlist(keyValue('sku', anyString('RING-17'))), anyArray(anyInt(1), anyString('two')))),
    ...attribute('model.ratio', double(4, 0.25)),
    ...attribute('model.invalid_ratio', double(4, Number.NaN)),
    ...attribute('model.checksum', raw(7, [0xde, 0xad, 0xbe, 0xef])),
    ...attribute('empty.value', []),
  ]));
  assert.deepEqual(result.records, [{
    'service.name': 'crm-api', ...stamped,
    'http.request.header.accept': 'application/json',
    'http.request.header.retry.budget': 3,
    'http.request.header.retry.exhausted': false,
    'order.items': [{ sku: 'RING-17' }, [1, 'two']],
    'model.ratio': 0.25,
    'model.invalid_ratio': 'NaN',
    'model.checksum': '3q2+7w==',
    'empty.value': null,
  }]);
});

test('a kvlist body is the message as JSON and lends the record the keys Loupe knows', () => {
  const result = decode(request('mes-api', [
    ...time(at),
    ...severity(9, 'INFO'),
    ...attribute('order.id', anyString('ORD-0001')),
    ...body(anyKvlist(
      keyValue('order', anyKvlist(keyValue('id', anyString('ORD-1042')))),
      keyValue('message', anyString('not the message')),
      keyValue('note', anyString('white gold')),
    )),
  ]));
  assert.deepEqual(result.records, [{
    'service.name': 'mes-api', ...stamped, 'log.level': 'info', 'order.id': 'ORD-1042',
    message: '{"order":{"id":"ORD-1042"},"message":"not the message","note":"white gold"}',
  }]);
});

test('log.level is the severity text when it names a level, else the severity number, else the text', () => {
  const levels = [severity(13, 'WARNING'), severity(21), severity(0, 'Notice'), severity(17, 'ERROR'), severity(4), []].map(
    (fields) => decode(request('mes-api', [...time(at), ...fields])).records[0]!['log.level'],
  );
  assert.deepEqual(levels, ['warn', 'fatal', 'notice', 'error', 'trace', undefined]);
});

test('a record with a malformed trace id or an empty key is rejected by index and the others are kept, one with no time too', () => {
  const result = decode(request('mes-api',
    [...time(at), ...body(anyString('first'))],
    [...time(at), ...traceId('4bf92f3577'), ...body(anyString('short trace id'))],
    [...body(anyString('no time at all'))],
    [...observedTime(at), ...attribute('', anyString('x'))],
    [...observedTime(at), ...body(anyString('observed only'))],
  ));
  assert.deepEqual(result, {
    records: [
      { 'service.name': 'mes-api', ...stamped, message: 'first' },
      { 'service.name': 'mes-api', message: 'no time at all' },
      { 'service.name': 'mes-api', '@timestamp': '2026-11-21T10:15:30.123Z', 'event.created': '2026-11-21T10:15:30.123Z', message: 'observed only' },
    ],
    rejected: [
      { index: 1, reason: 'LogRecord.trace_id is 5 bytes, expected 16' },
      { index: 3, reason: 'LogRecord.attributes has an attribute with an empty key' },
    ],
  });
});

test('the resource applies to every record even when it comes after the scope logs; unknown fields are skipped', () => {
  const logRecord = [...time(at), ...int(4, 7), ...tag(8, 5), 1, 0, 0, 0, ...body(anyString('late resource'))];
  const resourceLogs = [
    ...message(2, text(1000, 'deprecated'), message(2, logRecord)),
    ...message(1, message(1, keyValue('service.name', anyString('file-storage')))),
    ...text(3, 'https://opentelemetry.io/schemas/1.26.0'),
  ];
  const result = decode([...message(1, resourceLogs), ...int(99, 1)]);
  assert.deepEqual(result.records, [{ 'service.name': 'file-storage', ...stamped, message: 'late resource' }]);
});

test('a truncated body fails with OTLP_DECODE naming the field and the byte offset; a truncated field inside a LogRecord rejects it', () => {
  const whole = request('mes-api', [...time(at), ...body(anyString('cut short'))]);
  assert.throws(() => decode(whole.subarray(0, whole.length - 4)), refused(
    'ExportLogsServiceRequest.resource_logs is 55 bytes long but only 51 bytes remain in its enclosing message at byte offset 1',
  ));
  assert.deepEqual(decode(request('mes-api', [...tag(1, 1), 1, 2, 3])).rejected, [{ index: 0, reason: 'truncated fixed64: 8 bytes needed, 3 remain at byte offset 36' }]);
  assert.throws(() => decode([...tag(1, 2), 0x80]), refused('truncated varint at byte offset 1'));
  // The rejected LogRecord's own bytes are kept for the dead-letter index (R24).
  const [rejected] = decodeOtlpLogs(request('mes-api', [...tag(1, 1), 1, 2, 3]), 'protobuf').rejected;
  assert.deepEqual(rejected?.raw, `base64:${Buffer.from([...tag(1, 1), 1, 2, 3]).toString('base64')}`);
});

test('a varint longer than 10 bytes or past 64 bits fails the request, or rejects the LogRecord holding it', () => {
  const eleven = [...Array<number>(10).fill(0xff), 0x01];
  const overflow = [...Array<number>(9).fill(0xff), 0x7f];
  assert.throws(() => decode([...int(99, 0), ...tag(99, 0), ...eleven]), refused('varint longer than 10 bytes at byte offset 5'));
  assert.throws(() => decode([...tag(99, 0), ...overflow]), refused('varint overflows 64 bits at byte offset 2'));
  assert.throws(() => decode([...Array<number>(5).fill(0xff), 0x01]), refused('varint does not fit in 32 bits at byte offset 0'));
  const result = decode(request('mes-api',
    [...time(at), ...attribute('x', [...tag(3, 0), ...eleven])],
    [...time(at), ...attribute('x', [...tag(3, 0), ...overflow])],
    [...time(at), ...body(anyString('still decoded'))],
  ));
  assert.deepEqual(result, {
    records: [{ 'service.name': 'mes-api', ...stamped, message: 'still decoded' }],
    rejected: [
      { index: 0, reason: 'varint longer than 10 bytes at byte offset 52' },
      { index: 1, reason: 'varint overflows 64 bits at byte offset 82' },
    ],
  });
});

test('groups, invalid wire types and known fields with the wrong wire type fail with OTLP_DECODE', () => {
  assert.throws(() => decode([...tag(5, 3)]), refused('ExportLogsServiceRequest field 5 is a group, which OTLP never uses at byte offset 0'));
  assert.throws(() => decode([...tag(5, 6)]), refused('ExportLogsServiceRequest field 5 has the invalid wire type 6 at byte offset 0'));
  assert.throws(() => decode([...tag(0, 0), 0]), refused('ExportLogsServiceRequest has a field number 0 at byte offset 0'));
  assert.throws(
    () => decode([...int(1, 7)]),
    refused('ExportLogsServiceRequest.resource_logs (field 1) has wire type varint, expected length-delimited at byte offset 0'),
  );
  assert.deepEqual(decode(request('mes-api', [...int(9, 1)])).rejected, [
    { index: 0, reason: 'LogRecord.trace_id (field 9) has wire type varint, expected length-delimited at byte offset 35' },
  ]);
});

test('AnyValue nested 32 levels deep decodes; one level more rejects the LogRecord', () => {
  const nested = (levels: number): number[] => (levels === 1 ? anyString('core') : anyArray(nested(levels - 1)));
  const result = decode(request('mes-api', [...time(at), ...body(nested(32))], [...time(at), ...body(nested(33))]));
  assert.equal(result.records.length, 1);
  assert.equal(result.records[0]!.message, `${'['.repeat(31)}"core"${']'.repeat(31)}`);
  assert.deepEqual(result.rejected, [{ index: 1, reason: 'AnyValue nested more than 32 levels deep at byte offset 327' }]);
});

test('a __proto__ key from the wire is an ordinary field and never replaces a prototype', () => {
  const resource = message(1, message(1, keyValue('__proto__', anyArray(anyString('polluted')))), message(1, keyValue('service.name', anyString('mes-api'))));
  const logRecord = [...time(at), ...attribute('__proto__', anyKvlist(keyValue('isAdmin', int(2, 1)))), ...body(anyKvlist(keyValue('__proto__', anyString('x'))))];
  const [record] = decode(message(1, resource, message(2, message(2, logRecord)))).records;
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(record, '__proto__')?.value, ['polluted']);
  assert.equal(record!['__proto__.isAdmin'], true);
  assert.equal(record!.message, '{"__proto__":"x"}');
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
});
