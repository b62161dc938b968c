import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOtlpLogs } from './index.js';

const time = '1795256130123456789';
const stamped = { '@timestamp': '2026-11-21T10:15:30.123Z', 'otel.time_unix_nano': time };
/** Decoded, with each rejection's raw record left out (`raw` has a test of its own). */
const decode = (body: unknown) => withoutRaw(decodeOtlpLogs(typeof body === 'string' ? body : JSON.stringify(body), 'json'));
const withoutRaw = <T extends { rejected: Array<{ raw?: string }> }>(result: T): T => ({ ...result, rejected: result.rejected.map(({ raw: _raw, ...rest }) => rest) });

test('a rejected LogRecord keeps its JSON, for the dead-letter index (R24)', () => {
  const bad = { timeUnixNano: 'soon', body: { stringValue: 'x' } };
  const result = decodeOtlpLogs(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [bad] }] }] }), 'json');
  assert.deepEqual(result.rejected.map(({ index, raw }) => ({ index, raw })), [{ index: 0, raw: JSON.stringify(bad) }]);
});
const refused = (message: string) => ({ name: 'LoupeError', code: 'OTLP_DECODE', status: 400, message });

/** An OTLP/JSON request of one resource (service.name = mes-api) and one scope holding `logRecords`. */
const request = (...logRecords: unknown[]) => ({
  resourceLogs: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'mes-api' } }] },
    scopeLogs: [{ scope: { name: '@loupe/mes-api' }, logRecords }],
  }],
});
const base = { 'service.name': 'mes-api', 'otel.scope.name': '@loupe/mes-api', ...stamped };
const attribute = (key: string, value: unknown) => ({ key, value });

test('an empty JSON export decodes to no records, and an empty body is refused', () => {
  assert.deepEqual(decode({}), { records: [], rejected: [] });
  assert.deepEqual(decode({ resourceLogs: [] }), { records: [], rejected: [] });
  assert.deepEqual(decodeOtlpLogs(new TextEncoder().encode('{"resourceLogs":[{"scopeLogs":[]}]}'), 'json'), { records: [], rejected: [] });
  assert.throws(() => decode(' \n'), refused('Invalid OTLP JSON body: the body is empty; an export of no records is {}'));
});

test('broken JSON and bytes that are not UTF-8 are refused with OTLP_DECODE', () => {
  assert.throws(() => decode('{"resourceLogs":['), refused('Invalid OTLP JSON body: Unexpected end of JSON input'));
  assert.throws(() => decode('{"resourceLogs":[] x'), refused("Invalid OTLP JSON body: Expected ',' or '}' after property value in JSON at position 19"));
  assert.throws(() => decodeOtlpLogs(Uint8Array.from([0x7b, 0xff, 0x7d]), 'json'), refused('Invalid OTLP JSON body: it is not valid UTF-8'));
});

test('a JSON body of the wrong shape above the LogRecords is refused with its JSON path', () => {
  assert.throws(() => decode([]), refused('Invalid OTLP JSON body at (the top level): expected an ExportLogsServiceRequest object, got an array'));
  assert.throws(() => decode({ resourceLogs: {} }), refused('Invalid OTLP JSON body at resourceLogs: expected an array, got an object'));
  assert.throws(() => decode({ resourceLogs: [{ scopeLogs: ['oops'] }] }), refused('Invalid OTLP JSON body at resourceLogs[0].scopeLogs[0]: expected a ScopeLogs object, got "oops"'));
  assert.throws(
    () => decode({ resourceLogs: [{ resource: { attributes: [attribute('process.pid', { intValue: '12.5' })] } }] }),
    refused('Invalid OTLP JSON body at resourceLogs[0].resource.attributes[0].value.intValue: expected a 64-bit integer as a number or a decimal string, got "12.5"'),
  );
});

test('a LogRecord of the wrong shape is rejected with its index and JSON path, and the others are kept, one with no time too', () => {
  const result = decode(request(
    { timeUnixNano: time, body: { stringValue: 'kept' } },
    { timeUnixNano: time, traceId: 'xyz' },
    42,
    { timeUnixNano: time, attributes: [attribute('http.request.header', { kvlistValue: { values: [attribute('a', {}), attribute('b', { arrayValue: { values: [{ boolValue: 'yes' }] } })] } })] },
    { timeUnixNano: 'yesterday' },
    { body: { stringValue: 'no time' } },
    { timeUnixNano: time, attributes: [attribute('', { stringValue: 'x' })] },
    { timeUnixNano: time, attributes: [attribute('x', { intValue: '9223372036854775808' })] },
  ));
  const at = 'resourceLogs[0].scopeLogs[0].logRecords';
  assert.deepEqual(result, {
    records: [{ ...base, message: 'kept' }, { 'service.name': 'mes-api', 'otel.scope.name': '@loupe/mes-api', message: 'no time' }],
    rejected: [
      { index: 1, reason: `${at}[1].traceId: expected 32 hex digits, got "xyz"` },
      { index: 2, reason: `${at}[2]: expected a LogRecord object, got 42` },
      { index: 3, reason: `${at}[3].attributes[0].value.kvlistValue.values[1].value.arrayValue.values[0].boolValue: expected a boolean, got "yes"` },
      { index: 4, reason: `${at}[4].timeUnixNano: expected nanoseconds since 1970 as a decimal string or a number, got "yesterday"` },
      { index: 6, reason: `${at}[6].attributes[0].key: expected a non-empty string, got ""` },
      { index: 7, reason: `${at}[7].attributes[0].value.intValue: expected a 64-bit integer as a number or a decimal string, got "9223372036854775808"` },
    ],
  });
});

test('JSON ids are hex: upper case is lowered, all zeros mean no trace', () => {
  const result = decode(request(
    { timeUnixNano: time, traceId: '4BF92F3577B34DA6A3CE929D0E0E4736', spanId: '00F067AA0BA902B7' },
    { timeUnixNano: time, traceId: '0'.repeat(32), spanId: '0'.repeat(16) },
    { timeUnixNano: time, traceId: '', spanId: null },
  ));
  assert.deepEqual(result.records, [
    { ...base, 'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736', 'span.id': '00f067aa0ba902b7' },
    base,
    base,
  ]);
});

test('JSON int64 values are numbers while exact and decimal strings beyond 2^53; doubles may be strings', () => {
  const result = decode(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":${time},"attributes":[
    {"key":"model.polygon_count","value":{"intValue":"48210"}},
    {"key":"call.attempt","value":{"intValue":2}},
    {"key":"int64.max","value":{"intValue":"9223372036854775807"}},
    {"key":"int64.min","value":{"intValue":"-9223372036854775808"}},
    {"key":"past.safe","value":{"intValue":"9007199254740993"}},
    {"key":"past.safe.number","value":{"intValue":9007199254740993}},
    {"key":"pricing.cost","value":{"doubleValue":1234.5}},
    {"key":"ratio.text","value":{"doubleValue":"0.25"}},
    {"key":"ratio.nan","value":{"doubleValue":"NaN"}},
    {"key":"ratio.infinite","value":{"doubleValue":"-Infinity"}}
  ]}]}]}]}`);
  assert.deepEqual(result.records, [{
    '@timestamp': '2026-11-21T10:15:30.123Z',
    // A JSON number has been rounded to a double by JSON.parse before Loupe sees it: ...789 became ...768.
    'otel.time_unix_nano': '1795256130123456768',
    'model.polygon_count': 48210, 'call.attempt': 2, 'int64.max': '9223372036854775807', 'int64.min': '-9223372036854775808',
    'past.safe': '9007199254740993', 'past.safe.number': '9007199254740992',
    'pricing.cost': 1234.5, 'ratio.text': 0.25, 'ratio.nan': 'NaN', 'ratio.infinite': '-Infinity',
  }]);
});

test('JSON kvlist attributes flatten, arrays stay arrays, empty values are null and bodies follow the protobuf rules', () => {
  const result = decode(request({
    timeUnixNano: time,
    severityNumber: 14,
    eventName: 'call.retried',
    body: { kvlistValue: { values: [attribute('order.id', { stringValue: 'ORD-1042' }), attribute('note', { stringValue: 'gold' })] } },
    attributes: [
      attribute('http.request.header', { kvlistValue: { values: [attribute('accept', { stringValue: 'model/stl' }), attribute('retry', { kvlistValue: { values: [attribute('budget', { intValue: 3 })] } })] } }),
      attribute('order.items', { arrayValue: { values: [{ kvlistValue: { values: [attribute('sku', { stringValue: 'RING-17' })] } }, { arrayValue: {} }, {}] } }),
      attribute('model.checksum', { bytesValue: '3q2+7w==' }),
      attribute('empty.value', {}),
      attribute('absent.value', null),
    ],
  }, { timeUnixNano: time, body: {} }, { timeUnixNano: time, body: { intValue: '7' } }));
  assert.deepEqual(result.records, [
    {
      ...base, 'log.level': 'warn', 'event.name': 'call.retried', 'order.id': 'ORD-1042', message: '{"order.id":"ORD-1042","note":"gold"}',
      'http.request.header.accept': 'model/stl', 'http.request.header.retry.budget': 3,
      'order.items': [{ sku: 'RING-17' }, [], null], 'model.checksum': '3q2+7w==', 'empty.value': null, 'absent.value': null,
    },
    base,
    { ...base, message: '7' },
  ]);
});

test('JSON AnyValue nested more than 32 levels deep rejects the LogRecord', () => {
  const nested = (levels: number): unknown => (levels === 1 ? { stringValue: 'core' } : { arrayValue: { values: [nested(levels - 1)] } });
  const result = decode(request({ timeUnixNano: time, body: nested(32) }, { timeUnixNano: time, body: nested(33) }));
  assert.equal(result.records[0]!.message, `${'['.repeat(31)}"core"${']'.repeat(31)}`);
  assert.equal(result.rejected.length, 1);
  assert.match(result.rejected[0]!.reason, /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\]\.body(\.arrayValue\.values\[0\]){32}: AnyValue nested more than 32 levels deep$/);
});
