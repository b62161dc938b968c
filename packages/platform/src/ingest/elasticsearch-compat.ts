import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '@loupe/log';
import { setupResources } from './setup-resources.js';

/** The Elasticsearch version Loupe answers as: clients of 7.x and 8.x accept it. */
export const COMPATIBLE_VERSION = '8.17.0';

export interface ElasticsearchCompatOptions {
  /** Where to say that a template, policy or pipeline PUT was recorded and not applied. */
  log?: Logger;
  /** `cluster_uuid` in `GET /`: the same across restarts (Beats and Logstash tie their monitoring to it); a new one when absent. */
  clusterUuid?: string;
}

/**
 * The few endpoints Elasticsearch clients and shippers call before they send `_bulk`
 * (version check, license, templates and lifecycle policies at setup), answered as an
 * Elasticsearch would, so Filebeat, Logstash, Fluent Bit, Vector and the official
 * clients work unchanged. Templates and policies are acknowledged and recorded, not
 * applied: Loupe's own layout and lifecycle decide where events go (see `setupResources`).
 */
export async function elasticsearchCompat(app: FastifyInstance, options: ElasticsearchCompatOptions = {}): Promise<void> {
  const clusterUuid = options.clusterUuid ?? randomUUID();
  // Clients send JSON under several media types (the official ones `application/vnd.elasticsearch+json;
  // compatible-with=8`); bodies arrive as bytes and are parsed where read, so none is refused for its type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

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
  const license = async () => ({
    license: { status: 'active', uid: clusterUuid, type: 'basic', issue_date_in_millis: 0, max_nodes: 1000, issued_to: 'loupe', issuer: 'loupe', start_date_in_millis: -1 },
  });
  const xpack = async () => ({
    build: { hash: 'loupe', date: info.version.build_date },
    license: { uid: clusterUuid, type: 'basic', mode: 'basic', status: 'active' },
    features: { ilm: { available: true, enabled: true }, security: { available: true, enabled: false } },
  });
  // Elasticsearch takes a path with or without its trailing slash (Beats asks for `/_license?human=false`).
  for (const path of ['/_license', '/_license/']) app.get(path, license);
  for (const path of ['/_xpack', '/_xpack/']) app.get(path, xpack);
  app.get('/_cluster/health', async () => ({ cluster_name: 'loupe', status: 'green', number_of_nodes: 1, number_of_data_nodes: 1, active_shards_percent_as_number: 100 }));
  app.get('/_nodes', async () => ({ _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: 'loupe', nodes: {} }));

  await app.register(setupResources, { version: COMPATIBLE_VERSION, log: options.log });
  const acknowledged = async () => ({ acknowledged: true });
  // Stored events are searchable once acknowledged; a refresh has nothing to wait for.
  const refreshed = async () => ({ _shards: { total: 1, successful: 1, failed: 0 } });
  app.post('/_refresh', refreshed);
  app.post('/:index/_refresh', refreshed);
  app.get('/:index/_refresh', refreshed);
  app.put('/_data_stream/:name', acknowledged);
  app.put('/:index', async (request: FastifyRequest<{ Params: { index: string } }>) => ({ acknowledged: true, shards_acknowledged: true, index: request.params.index }));
  app.head('/:index', async (_request, reply) => reply.status(200).send());
}
