import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeOtlpLogs, encodeOtlpResponseProtobuf, otlpSuccessResponse, summarizeRejections } from './index.js';

test('a full success answers {} in JSON and an empty protobuf body', () => {
  assert.deepEqual(otlpSuccessResponse(0), {});
  assert.deepEqual(encodeOtlpResponseProtobuf(0), new Uint8Array(0));
});

test('a partial success reports the rejected count and message, and the OpenTelemetry client reads the protobuf form back', () => {
  assert.deepEqual(otlpSuccessResponse(2, 'trace ids must be 16 bytes'), {
    partialSuccess: { rejectedLogRecords: 2, errorMessage: 'trace ids must be 16 bytes' },
  });
  assert.deepEqual(otlpSuccessResponse(1), { partialSuccess: { rejectedLogRecords: 1, errorMessage: '1 log record was rejected' } });
  assert.deepEqual(otlpSuccessResponse(0, 'service.name is missing: records go to logs-unknown'), {
    partialSuccess: { rejectedLogRecords: 0, errorMessage: 'service.name is missing: records go to logs-unknown' },
  });
  const bytes = encodeOtlpResponseProtobuf(300, 'trace ids must be 16 bytes — see docs');
  assert.deepEqual(ProtobufLogsSerializer.deserializeResponse(bytes), {
    partialSuccess: { rejectedLogRecords: 300, errorMessage: 'trace ids must be 16 bytes — see docs' },
  });
  assert.throws(() => otlpSuccessResponse(-1), RangeError);
});

test('summarizeRejections names the first rejections and counts the rest', () => {
  const { rejected } = decodeOtlpLogs('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"a"},{"traceId":"b"},{"traceId":"c"},{"traceId":"d"},{}]}]}]}', 'json');
  const at = 'resourceLogs[0].scopeLogs[0].logRecords';
  assert.equal(
    summarizeRejections(rejected),
    `4 log records were rejected (log record 0: ${at}[0].traceId: expected 32 hex digits, got "a"; ` +
      `log record 1: ${at}[1].traceId: expected 32 hex digits, got "b"; ` +
      `log record 2: ${at}[2].traceId: expected 32 hex digits, got "c"; and 1 more)`,
  );
});
