import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { decodeOtlpLogs, encodeOtlpResponseProtobuf, otlpSuccessResponse } from './index.js';

interface CapturedRequest {
  path: string;
  contentType: string;
  body: Buffer;
}

/** Runs a real OTLP/HTTP exporter against a local server that answers as Loupe will; returns what it sent. */
async function exportWorkshopLogs(makeExporter: (url: string) => LogRecordExporter): Promise<CapturedRequest[]> {
  const captured: CapturedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      captured.push({ path: request.url ?? '', contentType, body: Buffer.concat(chunks) });
      const json = contentType === 'application/json';
      response.writeHead(200, { 'content-type': contentType });
      response.end(json ? JSON.stringify(otlpSuccessResponse(0)) : encodeOtlpResponseProtobuf(0));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'mes-api', 'service.version': '2.3.0', 'deployment.environment': 'production' }),
    processors: [new BatchLogRecordProcessor({ exporter: makeExporter(`http://127.0.0.1:${port}/v1/logs`) })],
  });
  try {
    emitWorkshopLogs(provider);
    await provider.forceFlush();
  } finally {
    await provider.shutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return captured;
}

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

function emitWorkshopLogs(provider: LoggerProvider): void {
  const logger = provider.getLogger('@loupe/mes-api', '2.3.0');
  logger.emit({
    timestamp: [1795256130, 123456789],
    observedTimestamp: [1795256130, 124000000],
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'Price calculation failed for ORD-1042: file-storage answered 500',
    attributes: { 'order.id': 'ORD-1042', 'http.response.status_code': 500, 'event.action': 'price-calculation-failed', 'pricing.cost': 1234.5 },
    context: trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 }),
  });
  logger.emit({
    timestamp: [1795256131, 0],
    observedTimestamp: [1795256131, 500000],
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: { 'order.id': 'ORD-1042', 'order.status': 'PRICE_QUOTED', note: 'ring size 17.5, white gold' },
    attributes: { 'operator.id': 'OP-7' },
  });
  logger.emit({
    timestamp: [1795256132, 999999999],
    observedTimestamp: [1795256133, 0],
    severityNumber: SeverityNumber.WARN2,
    eventName: 'call.retried',
    body: 'Retrying call to file-storage',
    attributes: {
      'call.attempt': 2,
      'model.tags': ['ring', 'gold', 18],
      'http.request.header': { 'content-type': 'model/stl', retry: { budget: 3, exhausted: false } },
      'model.checksum': new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
    },
  });
}

const resourceAndScope = {
  'service.name': 'mes-api',
  'service.version': '2.3.0',
  'deployment.environment': 'production',
  'otel.scope.name': '@loupe/mes-api',
  'otel.scope.version': '2.3.0',
};

const expectedRecords = [
  {
    ...resourceAndScope,
    '@timestamp': '2026-11-21T10:15:30.123Z',
    'otel.time_unix_nano': '1795256130123456789',
    'event.created': '2026-11-21T10:15:30.124Z',
    'log.level': 'error',
    message: 'Price calculation failed for ORD-1042: file-storage answered 500',
    'order.id': 'ORD-1042',
    'http.response.status_code': 500,
    'event.action': 'price-calculation-failed',
    'pricing.cost': 1234.5,
    'trace.id': traceId,
    'span.id': spanId,
  },
  {
    ...resourceAndScope,
    '@timestamp': '2026-11-21T10:15:31.000Z',
    'otel.time_unix_nano': '1795256131000000000',
    'event.created': '2026-11-21T10:15:31.000Z',
    'log.level': 'info',
    message: '{"order.id":"ORD-1042","order.status":"PRICE_QUOTED","note":"ring size 17.5, white gold"}',
    'order.id': 'ORD-1042',
    'order.status': 'PRICE_QUOTED',
    'operator.id': 'OP-7',
  },
  {
    ...resourceAndScope,
    '@timestamp': '2026-11-21T10:15:32.999Z',
    'otel.time_unix_nano': '1795256132999999999',
    'event.created': '2026-11-21T10:15:33.000Z',
    'log.level': 'warn',
    'event.name': 'call.retried',
    message: 'Retrying call to file-storage',
    'call.attempt': 2,
    'model.tags': ['ring', 'gold', 18],
    'http.request.header.content-type': 'model/stl',
    'http.request.header.retry.budget': 3,
    'http.request.header.retry.exhausted': false,
    'model.checksum': '3q2+7w==',
  },
];

test('logs exported by the real OTLP/HTTP JSON exporter decode to flat ECS records', { timeout: 30_000 }, async () => {
  const requests = await exportWorkshopLogs((url) => new OtlpJsonLogExporter({ url }));
  assert.equal(requests.length, 1);
  const [request] = requests;
  assert.equal(request!.path, '/v1/logs');
  assert.equal(request!.contentType, 'application/json');
  assert.deepEqual(decodeOtlpLogs(request!.body, 'json'), { records: expectedRecords, rejected: [] });
  assert.deepEqual(decodeOtlpLogs(request!.body.toString('utf8'), 'json'), { records: expectedRecords, rejected: [] });
});

test('logs exported by the real OTLP/HTTP protobuf exporter decode to the same records', { timeout: 30_000 }, async () => {
  const requests = await exportWorkshopLogs((url) => new OtlpProtobufLogExporter({ url }));
  assert.equal(requests.length, 1);
  const [request] = requests;
  assert.equal(request!.path, '/v1/logs');
  assert.equal(request!.contentType, 'application/x-protobuf');
  assert.deepEqual(decodeOtlpLogs(request!.body, 'protobuf'), { records: expectedRecords, rejected: [] });
});

test('every truncation of a real protobuf export either decodes or fails with OTLP_DECODE, never anything else', { timeout: 30_000 }, async () => {
  const [request] = await exportWorkshopLogs((url) => new OtlpProtobufLogExporter({ url }));
  const body = request!.body;
  let refused = 0;
  for (let length = 0; length < body.length; length++) {
    try {
      const { records } = decodeOtlpLogs(body.subarray(0, length), 'protobuf');
      assert.ok(records.length < expectedRecords.length, `a ${length}-byte prefix cannot hold every record`);
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'OTLP_DECODE', `prefix of ${length} bytes: ${String(error)}`);
      refused++;
    }
  }
  assert.ok(refused > body.length / 2, `${refused} of ${body.length} prefixes refused`);
});
