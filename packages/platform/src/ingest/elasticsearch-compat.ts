import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** The Elasticsearch version Loupe answers as: clients of 7.x and 8.x accept it. */
export const COMPATIBLE_VERSION = '8.17.0';

/**
 * The few endpoints Elasticsearch clients and shippers call before they send `_bulk`
 * (version check, license, templates and lifecycle policies at setup), answered as an
 * Elasticsearch would, so Filebeat, Logstash, Fluent Bit, Vector and the official
 * clients work unchanged. Templates and policies are acknowledged: Loupe's own layout
 * and lifecycle decide where events go.
 */
export async function elasticsearchCompat(app: FastifyInstance): Promise<void> {
  const clusterUuid = randomUUID();

  const info = {
    name: 'loupe',
    cluster_name: 'loupe',
    cluster_uuid: clusterUuid,
    version: {
      number: COMPATIBLE_VERSION,
      build_flavor: 'default',
      build_type: 'loupe',
      build_hash: 'loupe',
      build_date: '2026-01-01T00:00:00.000Z',
      build_snapshot: false,
      lucene_version: '9.12.0',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
  app.get('/', async () => info);
  app.get('/_license', async () => ({
    license: { status: 'active', uid: clusterUuid, type: 'basic', issue_date_in_millis: 0, max_nodes: 1000, issued_to: 'loupe', issuer: 'loupe', start_date_in_millis: -1 },
  }));
  app.get('/_xpack', async () => ({
    build: { hash: 'loupe', date: info.version.build_date },
    license: { uid: clusterUuid, type: 'basic', mode: 'basic', status: 'active' },
    features: { ilm: { available: true, enabled: true }, security: { available: true, enabled: false } },
  }));
  app.get('/_cluster/health', async () => ({ cluster_name: 'loupe', status: 'green', number_of_nodes: 1, number_of_data_nodes: 1, active_shards_percent_as_number: 100 }));
  app.get('/_nodes', async () => ({ _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: 'loupe', nodes: {} }));

  const acknowledged = async () => ({ acknowledged: true });
  const notFound = async (_request: unknown, reply: { status: (n: number) => { send: (b: unknown) => unknown } }) =>
    reply.status(404).send({ error: { type: 'resource_not_found_exception', reason: 'Loupe keeps no templates or policies of its own shape' }, status: 404 });
  for (const path of ['/_index_template/:name', '/_template/:name', '/_ilm/policy/:name', '/_component_template/:name', '/_ingest/pipeline/:name']) {
    app.put(path, acknowledged);
    app.get(path, notFound);
  }
  // Stored events are searchable once acknowledged; a refresh has nothing to wait for.
  const refreshed = async () => ({ _shards: { total: 1, successful: 1, failed: 0 } });
  app.post('/_refresh', refreshed);
  app.post('/:index/_refresh', refreshed);
  app.get('/:index/_refresh', refreshed);
  app.put('/_data_stream/:name', acknowledged);
  app.put('/:index', acknowledged);
  app.head('/:index', async (_request, reply) => reply.status(200).send());
}
