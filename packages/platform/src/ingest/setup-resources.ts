import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@loupe/log';

/**
 * One kind of resource a shipper installs at start-up (Filebeat's index template and ILM
 * policy, Logstash's template and policy, Filebeat modules' ingest pipelines), with the
 * shape Elasticsearch gives it in a GET answer.
 */
interface ResourceKind {
  /** URL prefix, as in `PUT /_index_template/<name>`. */
  path: string;
  /** Name in messages: `index template [filebeat-8.15.0]`. */
  label: string;
  /** Elasticsearch's `type` for an unknown name. */
  missingType: string;
  /** The GET answer for these records, in Elasticsearch's shape. */
  answer(found: readonly SetupRecord[]): unknown;
}

/** What a client PUT, kept as it was sent. */
export interface SetupRecord {
  name: string;
  body: Record<string, unknown>;
  /** 1 on the first PUT, one more on each PUT after it, as Elasticsearch counts a policy's version. */
  version: number;
  modifiedDate: string;
}

const byName = (found: readonly SetupRecord[], shape: (record: SetupRecord) => unknown) => Object.fromEntries(found.map((record) => [record.name, shape(record)]));

const KINDS: readonly ResourceKind[] = [
  {
    path: '/_index_template', label: 'index template', missingType: 'resource_not_found_exception',
    answer: (found) => ({ index_templates: found.map(({ name, body }) => ({ name, index_template: body })) }),
  },
  {
    path: '/_component_template', label: 'component template', missingType: 'resource_not_found_exception',
    answer: (found) => ({ component_templates: found.map(({ name, body }) => ({ name, component_template: body })) }),
  },
  { path: '/_template', label: 'legacy index template', missingType: 'resource_not_found_exception', answer: (found) => byName(found, (r) => r.body) },
  {
    path: '/_ilm/policy', label: 'lifecycle policy', missingType: 'resource_not_found_exception',
    answer: (found) => byName(found, (r) => ({ version: r.version, modified_date: r.modifiedDate, policy: r.body.policy ?? {}, in_use_by: { indices: [], data_streams: [], composable_templates: [] } })),
  },
  { path: '/_ingest/pipeline', label: 'ingest pipeline', missingType: 'resource_not_found_exception', answer: (found) => byName(found, (r) => r.body) },
];

/** Why a recorded resource changes nothing, said in the Warning header and in the platform log. */
const NOT_APPLIED = "Loupe's own pipeline, index layout and lifecycle policies decide how events are parsed, where they are stored and how long they are kept";

function esError(status: number, type: string, reason: string) {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}

/** `filebeat-*,logstash` as a test on names. */
function nameMatcher(pattern: string): (name: string) => boolean {
  const tests = pattern.split(',').map((part) => {
    if (part === '*' || part === '_all') return () => true;
    if (!part.includes('*')) return (name: string) => name === part;
    const regex = new RegExp(`^${part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return (name: string) => regex.test(name);
  });
  return (name) => tests.some((test) => test(name));
}

/** Elasticsearch's `Warning` header: code 299, the agent, the text quoted with `"` and `\` escaped. */
export function warningHeader(agentVersion: string, text: string): string {
  return `299 Elasticsearch-${agentVersion} "${text.replace(/[\\"]/g, '\\$&')}"`;
}

export interface SetupResourcesOptions {
  /** The version the `Warning` header names, as Elasticsearch names its own. */
  version: string;
  /** Where to say that a PUT was recorded and not applied; without it, only the client is told. */
  log?: Logger;
}

/**
 * `PUT`, `GET`, `HEAD` and `DELETE` for templates, lifecycle policies and ingest pipelines.
 * A PUT is acknowledged and kept in memory (until the platform restarts, when shippers PUT
 * again), so a client that checks before it installs finds what it installed, as on
 * Elasticsearch; the answer's `Warning` header and a log line say it is not applied.
 */
export async function setupResources(app: FastifyInstance, options: SetupResourcesOptions): Promise<void> {
  for (const kind of KINDS) {
    const records = new Map<string, SetupRecord>();
    type Named = FastifyRequest<{ Params: { name?: string } }>;

    const get = async (request: Named, reply: FastifyReply) => {
      const pattern = request.params.name ?? '*';
      const matches = nameMatcher(pattern);
      const found = [...records.values()].filter((record) => matches(record.name));
      if (found.length === 0 && !pattern.includes('*')) {
        return reply.status(404).send(esError(404, kind.missingType, `${kind.label} [${pattern}] not found`));
      }
      return kind.answer(found);
    };
    app.get(kind.path, get);
    app.get(`${kind.path}/:name`, get);

    app.put(`${kind.path}/:name`, async (request: Named, reply) => {
      const name = request.params.name!;
      const body = parseObject(request.body);
      if (!body) return reply.status(400).send(esError(400, 'parse_exception', `the ${kind.label} [${name}] must be a JSON object`));
      const version = (records.get(name)?.version ?? 0) + 1;
      records.set(name, { name, body, version, modifiedDate: new Date().toISOString() });
      const message = `${kind.label} [${name}] is recorded, not applied: ${NOT_APPLIED}`;
      options.log?.info(message, { 'event.action': 'elasticsearch-setup-recorded', 'elasticsearch.resource': kind.label, 'elasticsearch.name': name });
      reply.header('warning', warningHeader(options.version, message));
      return { acknowledged: true };
    });

    app.delete(`${kind.path}/:name`, async (request: Named, reply) => {
      const name = request.params.name!;
      if (!records.delete(name)) return reply.status(404).send(esError(404, kind.missingType, `${kind.label} [${name}] not found`));
      return { acknowledged: true };
    });
  }
}

/** The body as a JSON object, whether it came parsed or as raw bytes (see `elasticsearchCompat`). */
function parseObject(body: unknown): Record<string, unknown> | undefined {
  let value = body;
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    try {
      value = JSON.parse(value.toString()) as unknown;
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
