import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { Client } from '@elastic/elasticsearch';
import { createLogger, MemoryDestination } from '@loupe/log';
import { startTestPlatform } from '../platform.fixture.js';
import { elasticsearchCompat } from './elasticsearch-compat.js';

interface Answer<Body> {
  status: number;
  headers: Headers;
  text: string;
  body: Body;
}

interface Info { version: { number: string; build_flavor: string }; cluster_uuid: string; tagline: string }
interface License { license: { type: string; status: string; uid: string } }
interface EsError { error: { type: string; reason: string } }
interface Bulk { errors: boolean; items: Array<Record<string, { status: number; error?: { type: string; reason: string } }>> }

/** One request as a shipper sends it, and the answer as it reads it. */
async function send<Body = unknown>(url: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer<Body>> {
  const response = await fetch(`${url}${path}`, { method, body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: (text === '' ? {} : JSON.parse(text)) as Body };
}

const ndjson = (...lines: unknown[]) => lines.map((line) => JSON.stringify(line)).join('\n') + '\n';

async function search(url: string, q: string) {
  const response = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}&from=7d`);
  return ((await response.json()) as { events: Record<string, unknown>[] }).events;
}

test('R24 Filebeat 8 starts and ships: version and license check, template and ILM policy installed once, gzip _bulk of create actions', async () => {
  const platform = await startTestPlatform();
  try {
    const { url } = platform;
    const root = await send<Info>(url, 'GET', '/');
    assert.equal(root.status, 200);
    assert.equal(root.headers.get('x-elastic-product'), 'Elasticsearch');
    assert.match(root.body.version.number, /^8\.\d+\.\d+$/);
    assert.equal(root.body.version.build_flavor, 'default', 'not "serverless": Beats would skip the version checks and Logstash add API-version headers');
    assert.equal(typeof root.body.cluster_uuid, 'string');

    const license = await send<License>(url, 'GET', '/_license?human=false');
    assert.equal(license.status, 200);
    assert.deepEqual([license.body.license.type, license.body.license.status], ['basic', 'active']);
    assert.ok(license.body.license.uid.length > 0);

    const template = { index_patterns: ['filebeat-8.15.0'], data_stream: {}, priority: 150, template: { settings: { index: { lifecycle: { name: 'filebeat' } } } } };
    assert.equal((await send(url, 'HEAD', '/_index_template/filebeat-8.15.0')).status, 404);
    const put = await send(url, 'PUT', '/_index_template/filebeat-8.15.0', JSON.stringify(template));
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, { acknowledged: true });
    assert.match(put.headers.get('warning') ?? '', /^299 Elasticsearch-8\.\d+\.\d+ "index template \[filebeat-8\.15\.0\] is recorded, not applied: /);
    assert.equal((await send(url, 'HEAD', '/_index_template/filebeat-8.15.0')).status, 200, 'on its next start Filebeat finds its template and leaves it');
    assert.deepEqual((await send(url, 'GET', '/_index_template/filebeat-8.15.0')).body, { index_templates: [{ name: 'filebeat-8.15.0', index_template: template }] });

    const policy = { policy: { phases: { hot: { actions: { rollover: { max_age: '30d', max_primary_shard_size: '50gb' } } } } } };
    const missing = await send<EsError>(url, 'GET', '/_ilm/policy/filebeat');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.type, 'resource_not_found_exception');
    assert.equal((await send(url, 'PUT', '/_ilm/policy/filebeat', JSON.stringify(policy))).status, 200);
    const stored = await send<Record<string, { policy: unknown; version: number }>>(url, 'GET', '/_ilm/policy/filebeat');
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body.filebeat?.policy, policy.policy);
    assert.equal(stored.body.filebeat?.version, 1);

    const body = ndjson(
      { create: { _index: 'filebeat-8.15.0' } },
      { '@timestamp': new Date().toISOString(), message: 'Order ORD-9001 created', service: { name: 'shop-api' }, agent: { type: 'filebeat', version: '8.15.0' } },
    );
    const bulk = await send<Bulk>(url, 'POST', '/_bulk?filter_path=errors,items.*.error,items.*.status', gzipSync(body), { 'content-encoding': 'gzip' });
    assert.equal(bulk.status, 200);
    assert.equal(bulk.body.errors, false);
    assert.equal(bulk.body.items[0]?.create?.status, 201);
    assert.equal((await search(url, 'message:"ORD-9001"')).length, 1);
  } finally {
    await platform.close();
  }
});

test('R24 Logstash 8 starts and ships: HEAD / health check, product header, license, rollover alias with date math, data stream create', async () => {
  const platform = await startTestPlatform();
  try {
    const { url } = platform;
    assert.equal((await send(url, 'HEAD', '/')).status, 200);
    const root = await send<Info>(url, 'GET', '/');
    assert.equal(root.headers.get('x-elastic-product'), 'Elasticsearch', 'Logstash refuses a 7.14+ server without it');
    assert.equal(root.body.tagline, 'You Know, for Search');
    assert.equal((await send<License>(url, 'GET', '/_license')).body.license.status, 'active', 'any other status marks the connection dead');

    assert.equal((await send(url, 'HEAD', '/_index_template/logstash')).status, 404);
    assert.equal((await send(url, 'PUT', '/_index_template/logstash', JSON.stringify({ index_patterns: 'logstash-*', template: { settings: {} } }))).status, 200);
    assert.equal((await send(url, 'HEAD', '/_index_template/logstash')).status, 200);
    const alias = await send<{ acknowledged: boolean }>(url, 'PUT', `/${encodeURIComponent('<logstash-{now/d}-000001>')}`, JSON.stringify({ aliases: { logstash: { is_write_index: true } } }));
    assert.equal(alias.status, 200);
    assert.equal(alias.body.acknowledged, true);

    const body = ndjson(
      { create: { _index: 'logs-generic-default' } },
      { '@timestamp': new Date().toISOString(), message: 'Order ORD-9002 paid', 'service.name': 'shop-api', data_stream: { type: 'logs', dataset: 'generic', namespace: 'default' } },
    );
    const bulk = await send<Bulk>(url, 'POST', '/_bulk?filter_path=errors,items.*.error,items.*.status', `${body}{"create":{}}\n{not json\n`);
    assert.equal(bulk.status, 200);
    // Only what filter_path asks for, as Elasticsearch answers it.
    assert.deepEqual(bulk.body, {
      errors: true,
      items: [{ create: { status: 201 } }, { create: { status: 400, error: { type: 'mapper_parsing_exception', reason: bulk.body.items[1]?.create?.error?.reason } } }],
    });
    assert.equal((await search(url, 'message:"ORD-9002"')).length, 1);
  } finally {
    await platform.close();
  }
});

test('R24 Vector and Fluent Bit ship with their defaults: health check, index action with a timeout, _type and a pipeline on /_bulk/', async () => {
  const platform = await startTestPlatform();
  try {
    const { url } = platform;
    assert.equal((await send(url, 'GET', '/_cluster/health')).status, 200, "Vector's health check wants exactly 200");
    assert.equal(Number((await send<Info>(url, 'GET', '/')).body.version.number.split('.')[0]), 8, 'Vector reads the major version to drop _type');

    const vector = await send(url, 'POST', '/_bulk?timeout=60s', ndjson({ index: { _index: 'vector-2026.12.07' } }, { message: 'Order ORD-9003 shipped', timestamp: new Date().toISOString(), 'service.name': 'mes-api' }), { 'content-type': 'application/x-ndjson' });
    assert.equal(vector.status, 200);
    assert.ok(!vector.text.includes('"errors":true'), 'Vector looks for this text to decide the batch failed');

    // Fluent Bit sends `_type` unless Suppress_Type_Name is on, and `/_bulk/?pipeline=` when Pipeline is set.
    const fluentBody = ndjson({ create: { _index: 'fluent-bit', _type: '_doc' } }, { '@timestamp': new Date().toISOString(), log: 'Order ORD-9004 delivered', 'service.name': 'crm-api' });
    const fluent = await send<Bulk>(url, 'POST', '/_bulk/?pipeline=parse-nginx', fluentBody, { 'content-type': 'application/x-ndjson' });
    assert.equal(fluent.status, 200);
    assert.ok(fluent.text.includes('"errors":false,"items":['), 'what Fluent Bit matches when the answer outgrows its buffer');
    assert.equal(fluent.body.items[0]?.create?.status, 201);
    assert.equal((await search(url, 'message:"ORD-9004"'))[0]?.message, 'Order ORD-9004 delivered', 'Fluent Bit\'s log key is the message');
  } finally {
    await platform.close();
  }
});

test('R24 the official client creates an index and installs, finds and deletes templates, policies and pipelines through its own API calls', async () => {
  const platform = await startTestPlatform();
  const client = new Client({ node: platform.url });
  try {
    await client.indices.putIndexTemplate({ name: 'app-logs', index_patterns: ['app-logs-*'], template: { settings: { number_of_shards: 1 } } });
    assert.equal(await client.indices.existsIndexTemplate({ name: 'app-logs' }), true);
    assert.equal(await client.indices.existsIndexTemplate({ name: 'other' }), false);
    const templates = await client.indices.getIndexTemplate({ name: 'app-*' });
    assert.deepEqual(templates.index_templates.map((t) => t.name), ['app-logs']);

    assert.equal((await client.indices.create({ index: 'app-logs-000001', aliases: { 'app-logs': { is_write_index: true } } })).acknowledged, true);

    await client.ilm.putLifecycle({ name: 'app-policy', policy: { phases: { delete: { min_age: '30d', actions: { delete: {} } } } } });
    await client.ilm.putLifecycle({ name: 'app-policy', policy: { phases: { delete: { min_age: '60d', actions: { delete: {} } } } } });
    const policies = await client.ilm.getLifecycle({ name: 'app-policy' });
    assert.equal(policies['app-policy']!.version, 2);
    assert.equal(policies['app-policy']!.policy.phases.delete!.min_age, '60d');

    await client.ingest.putPipeline({ id: 'parse-nginx', processors: [{ grok: { field: 'message', patterns: ['%{IP:client.ip}'] } }] });
    assert.deepEqual(Object.keys(await client.ingest.getPipeline({ id: 'parse-nginx' })), ['parse-nginx']);
    await client.ingest.deletePipeline({ id: 'parse-nginx' });
    await assert.rejects(client.ingest.getPipeline({ id: 'parse-nginx' }), (error: Error) => error.name === 'ResponseError' && /resource_not_found_exception/.test(error.message));
  } finally {
    await client.close();
    await platform.close();
  }
});

test('R24 a recorded template is logged as not applied, with its name, when the platform is given a log', async () => {
  const destination = new MemoryDestination();
  const app = Fastify();
  await app.register(elasticsearchCompat, { log: createLogger({ service: 'loupe-platform', destination }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    assert.equal((await send(url, 'PUT', '/_template/legacy-logs', JSON.stringify({ index_patterns: ['legacy-*'] }))).status, 200);
    const [line] = destination.events('elasticsearch-setup-recorded');
    assert.match(String(line?.message), /^legacy index template \[legacy-logs\] is recorded, not applied: /);
    const refused = await send<EsError>(url, 'PUT', '/_template/broken', '[1,2]');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.type, 'parse_exception');
  } finally {
    await app.close();
  }
});
