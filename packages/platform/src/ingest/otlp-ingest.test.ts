import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { startTestPlatform, type TestPlatform } from '../platform.fixture.js';
import { anyString, attribute, body, request as protobufRequest, severity } from './otlp/otlp-protobuf.fixture.js';

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

/** A google.rpc.Status in protobuf: code (field 1, varint) and message (field 2, one length byte here). */
function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  assert.equal(bytes[0], 0x08);
  assert.equal(bytes[2], 0x12);
  return { code: bytes[1]!, message: Buffer.from(bytes.subarray(4, 4 + bytes[3]!)).toString('utf8') };
}

test('R24 a broken OTLP body gets 400 with a google.rpc.Status in the request\'s encoding, a wrong content type 415', async () => {
  const platform = await startTestPlatform();
  try {
    const broken = await fetch(`${platform.url}/v1/logs`, { method: 'POST', body: Buffer.from([0x0a, 0x37, 0x01]), headers: { 'content-type': 'application/x-protobuf' } });
    assert.equal(broken.status, 400);
    assert.equal(broken.headers.get('content-type'), 'application/x-protobuf');
    const status = decodeStatus(new Uint8Array(await broken.arrayBuffer()));
    assert.equal(status.code, 3, 'INVALID_ARGUMENT');
    assert.match(status.message, /resource_logs is 55 bytes long/);
    const brokenJson = await fetch(`${platform.url}/v1/logs`, { method: 'POST', body: '{"resourceLogs":', headers: { 'content-type': 'application/json' } });
    assert.equal(brokenJson.status, 400);
    const body = (await brokenJson.json()) as { code: number; message: string; error: { code: string } };
    assert.deepEqual([body.code, body.error.code], [3, 'OTLP_DECODE']);
    const wrongType = await fetch(`${platform.url}/v1/logs`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(wrongType.status, 415);
    assert.equal(((await wrongType.json()) as { error: { code: string } }).error.code, 'INGEST_UNSUPPORTED_MEDIA_TYPE');
  } finally {
    await platform.close();
  }
});

async function searchEvents(platform: TestPlatform, query: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${platform.url}/api/search?q=${encodeURIComponent(query)}&from=1h`);
  return ((await response.json()) as { events: Record<string, unknown>[] }).events;
}

async function postLogs(platform: TestPlatform, body: string | Uint8Array, contentType: string): Promise<Response> {
  return fetch(`${platform.url}/v1/logs`, { method: 'POST', body, headers: { 'content-type': contentType } });
}

test('R24 an OTLP LogRecord with neither timeUnixNano nor observedTimeUnixNano (0: unknown) is stored, stamped on arrival', async () => {
  const platform = await startTestPlatform();
  try {
    const before = new Date().toISOString();
    const json = await postLogs(platform, JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'clockless-json' } }] },
        scopeLogs: [{ logRecords: [{ timeUnixNano: '0', severityNumber: 9, body: { stringValue: 'Heartbeat from line 3' } }] }],
      }],
    }), 'application/json');
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), {});
    const protobuf = await postLogs(platform, protobufRequest('clockless-proto', [...severity(17, 'ERROR'), ...body(anyString('Spindle stalled on line 3'))]), 'application/x-protobuf');
    assert.equal(protobuf.status, 200);
    assert.equal(protobuf.headers.get('content-type'), 'application/x-protobuf');
    assert.deepEqual(ProtobufLogsSerializer.deserializeResponse(new Uint8Array(await protobuf.arrayBuffer())), {});
    const after = new Date().toISOString();

    for (const [service, message, level] of [['clockless-json', 'Heartbeat from line 3', 'info'], ['clockless-proto', 'Spindle stalled on line 3', 'error']]) {
      const events = await searchEvents(platform, `service.name:${service}`);
      assert.equal(events.length, 1, service);
      assert.equal(events[0]!.message, message);
      assert.equal(events[0]!['log.level'], level);
      assert.equal(events[0]!['otel.time_unix_nano'], undefined);
      const stamped = String(events[0]!['@timestamp']);
      assert.ok(stamped >= before && stamped <= after, `${service} stamped ${stamped}, on arrival between ${before} and ${after}`);
    }
  } finally {
    await platform.close();
  }
});

test('R24 OTLP/JSON written with proto field names and a SeverityNumber name is stored as its lowerCamelCase form is', async () => {
  const platform = await startTestPlatform();
  try {
    const response = await postLogs(platform, JSON.stringify({
      resource_logs: [{
        resource: { attributes: [{ key: 'service.name', value: { string_value: 'proto-names' } }, { key: 'process.pid', value: { int_value: '4242' } }] },
        scope_logs: [{
          scope: { name: 'quality-gate' },
          log_records: [{
            time_unix_nano: '1795256130123456789', observed_time_unix_nano: '1795256130124000000',
            severity_number: 'SEVERITY_NUMBER_ERROR', severity_text: 'Failure',
            trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', event_name: 'quality.check_failed',
            body: { string_value: 'Tolerance check failed for ORD-5151' },
            attributes: [{ key: 'order.id', value: { string_value: 'ORD-5151' } }],
          }],
        }],
      }],
    }), 'application/json');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});
    const found = await fetch(`${platform.url}/api/search?q=${encodeURIComponent('order.id:ORD-5151')}&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z`);
    const [event, ...others] = ((await found.json()) as { events: Record<string, unknown>[] }).events;
    assert.equal(others.length, 0);
    assert.equal(event?.['@timestamp'], '2026-11-21T10:15:30.123Z');
    assert.equal(event?.['otel.time_unix_nano'], '1795256130123456789');
    assert.equal(event?.['log.level'], 'error');
    assert.equal(event?.message, 'Tolerance check failed for ORD-5151');
    assert.equal(event?.['service.name'], 'proto-names');
    assert.equal(event?.['process.pid'], 4242);
    assert.equal(event?.['trace.id'], '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(event?.['span.id'], '00f067aa0ba902b7');
    assert.equal(event?.['event.name'], 'quality.check_failed');
  } finally {
    await platform.close();
  }
});

test('R24 the OTel attribute client.address holding an IP also fills ECS client.ip, as the data model appendix maps them', async () => {
  const platform = await startTestPlatform();
  try {
    const response = await postLogs(platform, protobufRequest('shop-api',
      [...severity(9), ...attribute('client.address', anyString('203.0.113.7')), ...body(anyString('Order ORD-5152 placed'))],
      [...severity(9), ...attribute('client.address', anyString('gateway.internal')), ...body(anyString('Order ORD-5153 placed'))],
    ), 'application/x-protobuf');
    assert.equal(response.status, 200);
    const byIp = await searchEvents(platform, 'client.ip:203.0.113.7');
    assert.deepEqual(byIp.map((event) => [event.message, event['client.address']]), [['Order ORD-5152 placed', '203.0.113.7']]);
    const [byName] = await searchEvents(platform, 'message:"Order ORD-5153 placed"');
    assert.equal(byName?.['client.address'], 'gateway.internal');
    assert.equal(byName?.['client.ip'], undefined);
  } finally {
    await platform.close();
  }
});

test('R24 a LogRecord the decoder refuses is counted in partialSuccess by its place in the request and kept in the dead-letter index with its reason and JSON', async () => {
  const platform = await startTestPlatform();
  try {
    const bad = { timeUnixNano: 'soon', body: { stringValue: 'price calculated' } };
    const good = (text: string) => ({ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), body: { stringValue: text } });
    const payload = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'mes-api' } }] }, scopeLogs: [{ logRecords: [good('first'), bad, good('third')] }] }] };
    const response = await fetch(`${platform.url}/v1/logs`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 200);
    const { partialSuccess } = (await response.json()) as { partialSuccess: { rejectedLogRecords: number; errorMessage: string } };
    assert.equal(partialSuccess.rejectedLogRecords, 1);
    assert.match(partialSuccess.errorMessage, /record 1\b|#1\b|\[1\]/);
    const search = async (query: string, indices: string) => ((await (await fetch(`${platform.url}/api/search?q=${encodeURIComponent(query)}&from=1h&indices=${indices}`)).json()) as { events: Record<string, unknown>[] }).events;
    assert.deepEqual((await search('service.name:mes-api', 'logs-*')).map((event) => event.message).sort(), ['first', 'third']);
    const [letter, ...more] = await search('*', 'dead-letter-*');
    assert.equal(more.length, 0);
    assert.equal(letter?.['event.module'], 'otlp');
    assert.match(String(letter?.message), /timeUnixNano/);
    assert.equal(letter?.['event.original'], JSON.stringify(bad));
  } finally {
    await platform.close();
  }
});

test('R24 when the store cannot take a batch, OTLP gets 503 with Retry-After (which exporters retry, unlike a 500) and the cause is logged', async () => {
  const platform = await startTestPlatform();
  try {
    // The store's database closed under the platform: every write to it fails.
    await platform.store.close();
    const post = () => {
      const payload = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), body: { stringValue: 'x' } }] }] }] };
      return fetch(`${platform.url}/v1/logs`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    };
    // A batch is acknowledged once its staging file is synced (it is loaded at the next start);
    // once a load has failed, batches are loaded before they are acknowledged, and fail.
    assert.equal((await post()).status, 200);
    let response = await post();
    for (let tries = 0; response.status === 200 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await post();
    }
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    const { code, error } = (await response.json()) as { code: number; error: { code: string; message: string } };
    assert.deepEqual([code, error.code], [14, 'INGEST_STORE_FAILED'], 'UNAVAILABLE, which exporters retry');
    assert.match(error.message, /nothing of it was stored, so sending it again is safe/);
    const logged = platform.platformLog.records().filter((line) => line['event.action'] === 'ingest-store-failed');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.['log.level'], 'error');
  } finally {
    await platform.app.close();
  }
});
