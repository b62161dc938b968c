import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { startTestPlatform } from '../platform.fixture.js';

async function exportTo(exporter: LogRecordExporter, service: string, orderId: string): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new BatchLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('workshop');
  logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: `Price calculation failed for ${orderId}`, attributes: { 'order.id': orderId, 'http.response.status_code': 500 } });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: `Order ${orderId} handed to manufacturing by +7 912 345-67-89`, attributes: { 'order.id': orderId } });
  await provider.forceFlush();
  await provider.shutdown();
}

for (const [name, make] of [
  ['JSON', (url: string) => new OtlpJsonLogExporter({ url })],
  ['protobuf', (url: string) => new OtlpProtobufLogExporter({ url })],
] as const) {
  test(`R24 the OpenTelemetry OTLP/HTTP ${name} log exporter delivers to /v1/logs and KQL finds the records`, async () => {
    const platform = await startTestPlatform();
    try {
      await exportTo(make(`${platform.url}/v1/logs`), 'mes-api', 'ORD-5150');
      const response = await fetch(`${platform.url}/api/search?q=${encodeURIComponent('service.name:mes-api and order.id:ORD-5150')}&from=1h`);
      const { events } = (await response.json()) as { events: Record<string, unknown>[] };
      assert.equal(events.length, 2);
      const failed = events.find((e) => e['log.level'] === 'error');
      assert.equal(failed?.['http.response.status_code'], 500);
      assert.equal(failed?.message, 'Price calculation failed for ORD-5150');
      const handed = events.find((e) => e['log.level'] === 'info');
      assert.equal(handed?.message, 'Order ORD-5150 handed to manufacturing by [PHONE]');
    } finally {
      await platform.close();
    }
  });
}

test('R24 a broken OTLP body gets 400 with the reason, a wrong content type 415', async () => {
  const platform = await startTestPlatform();
  try {
    const broken = await fetch(`${platform.url}/v1/logs`, { method: 'POST', body: Buffer.from([0x0a, 0x37, 0x01]), headers: { 'content-type': 'application/x-protobuf' } });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, 'OTLP_DECODE');
    const wrongType = await fetch(`${platform.url}/v1/logs`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(wrongType.status, 415);
  } finally {
    await platform.close();
  }
});
