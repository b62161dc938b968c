// `npm run bench -- otlp`: records per second decoding one OTLP/HTTP logs export of 1,000 workshop
// records, as protobuf and as JSON, against JSON.parse of the same request's JSON body.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type * as Otlp from '../packages/platform/dist/ingest/otlp/index.js';
import { machineLine, nsPerCall } from './baseline.js';

// The platform's index does not export ingest/otlp yet: load its build output until `@loupe/platform` does.
const otlpModule = new URL('../../packages/platform/dist/ingest/otlp/index.js', import.meta.url);
const { decodeOtlpLogs } = (await import(otlpModule.href)) as typeof Otlp;

const RECORDS = 1_000;
const ITERATIONS = 1_000;

// The request is built once by the real OpenTelemetry SDK and serializers, as the exporters would send it.
const exporter = new InMemoryLogRecordExporter();
const provider = new LoggerProvider({
  resource: resourceFromAttributes({
    'service.name': 'mes-api', 'service.version': '2.3.0', 'deployment.environment': 'production', 'host.name': 'workshop-node-2', 'process.pid': 4711,
  }),
  processors: [new SimpleLogRecordProcessor({ exporter })],
});
const logger = provider.getLogger('@loupe/mes-api', '2.3.0');
const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
for (let i = 0; i < RECORDS; i++) {
  const orderId = `ORD-2026-${String(1000 + (i % 400)).padStart(6, '0')}`;
  const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: hex(i + 1, 32), spanId: hex(i + 1, 16), traceFlags: 1 });
  const timestamp: [number, number] = [1795256130 + Math.floor(i / 10), (i % 10) * 100_000_123];
  if (i % 4 === 0) {
    logger.emit({ timestamp, context, severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `GET /api/orders/${orderId} 200 in ${12 + (i % 40)}ms`,
      attributes: { 'event.action': 'request-served', 'http.request.method': 'GET', 'http.route': '/api/orders/:id', 'url.path': `/api/orders/${orderId}`, 'http.response.status_code': 200, 'event.duration': 12_000_000 + i, 'client.ip': '10.0.4.17', 'user.id': `U-${i % 50}` } });
  } else if (i % 4 === 1) {
    logger.emit({ timestamp, context, severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `Order ${orderId} status changed from PRICE_CALCULATING to PRICE_QUOTED`,
      attributes: { 'event.action': 'order-status-changed', 'order.id': orderId, 'customer.id': `CUS-${String(i % 700).padStart(6, '0')}`, 'order.previous_status': 'PRICE_CALCULATING', 'order.status': 'PRICE_QUOTED' } });
  } else if (i % 4 === 2) {
    logger.emit({ timestamp, context, severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `Price calculated for ${orderId}: 1234.50 RUB`,
      attributes: { 'event.action': 'price-calculation-finished', 'order.id': orderId, 'model.polygon_count': 48_210 + i, 'pricing.cost': 1234.5, 'pricing.currency': 'RUB', 'event.duration': 851_000_000 } });
  } else {
    logger.emit({ timestamp, context, severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: `Retrying POST http://file-storage/files: 503 (attempt 2 of 3)`,
      attributes: { 'event.action': 'call-retried', 'call.target': 'file-storage', 'call.method': 'POST', 'call.endpoint': '/files', 'call.status_code': 503, 'call.attempt': 2, 'call.attempts_left': 1, 'error.message': 'Service Unavailable' } });
  }
}
await provider.forceFlush();
const logRecords = exporter.getFinishedLogRecords();
const protobufBody = ProtobufLogsSerializer.serializeRequest(logRecords)!;
const jsonBody = Buffer.from(JsonLogsSerializer.serializeRequest(logRecords)!).toString('utf8');
await provider.shutdown();

let decoded = 0;
const rows: Array<[string, number]> = [
  ['JSON.parse of the JSON body (baseline)', nsPerCall(() => { decoded += (JSON.parse(jsonBody) as { resourceLogs: unknown[] }).resourceLogs.length; }, ITERATIONS)],
  ['decodeOtlpLogs, protobuf', nsPerCall(() => { decoded += decodeOtlpLogs(protobufBody, 'protobuf').records.length; }, ITERATIONS)],
  ['decodeOtlpLogs, JSON (parse included)', nsPerCall(() => { decoded += decodeOtlpLogs(jsonBody, 'json').records.length; }, ITERATIONS)],
];

console.log(`otlp decode benchmark — ${await machineLine()}`);
console.log(`one request of ${logRecords.length} log records: protobuf ${protobufBody.length} bytes, JSON ${jsonBody.length} bytes`);
const baseline = rows[0]![1];
for (const [label, ns] of rows) {
  const recordsPerSecond = (logRecords.length * 1e9) / ns;
  console.log(`${label.padEnd(40)} ${(ns / 1e6).toFixed(2).padStart(6)} ms/request ${Math.round(recordsPerSecond).toLocaleString('en-US').padStart(11)} records/s   ${(ns / baseline).toFixed(2)}× JSON.parse time`);
}
if (decoded === 0) throw new Error('nothing was decoded');
