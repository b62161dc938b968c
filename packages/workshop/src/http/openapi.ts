import type { FastifyInstance, RouteOptions } from 'fastify';

declare module 'fastify' {
  /** OpenAPI keys on a route schema: Fastify ignores them, `describeRoutes` reads them. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    /** Request media types other than JSON (uploads). */
    consumes?: readonly string[];
    /** `[{ session: [] }]`: the route needs a bearer token. */
    security?: readonly Record<string, readonly string[]>[];
  }
}

export interface OpenApiOptions {
  title: string;
  version?: string;
  description?: string;
}

interface RouteSchema {
  summary?: string;
  description?: string;
  tags?: readonly string[];
  consumes?: readonly string[];
  security?: readonly Record<string, readonly string[]>[];
  body?: object;
  querystring?: { properties?: Record<string, object>; required?: string[] };
  params?: { properties?: Record<string, object>; required?: string[] };
  headers?: { properties?: Record<string, object>; required?: string[] };
  response?: Record<string, object>;
}

type Operation = Record<string, unknown>;

function parameters(part: 'query' | 'path' | 'header', schema: RouteSchema['querystring']): object[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, property]) => ({
    name, in: part, required: part === 'path' || (schema.required ?? []).includes(name), schema: property,
  }));
}

function operation(schema: RouteSchema): Operation {
  const op: Operation = {};
  if (schema.summary) op.summary = schema.summary;
  if (schema.description) op.description = schema.description;
  if (schema.tags) op.tags = schema.tags;
  if (schema.security) op.security = schema.security;
  const params = [...parameters('path', schema.params), ...parameters('query', schema.querystring), ...parameters('header', schema.headers)];
  if (params.length > 0) op.parameters = params;
  if (schema.body) op.requestBody = { required: true, content: { 'application/json': { schema: schema.body } } };
  else if (schema.consumes) {
    op.requestBody = { required: true, content: Object.fromEntries(schema.consumes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) };
  }
  op.responses = Object.fromEntries(Object.entries(schema.response ?? { 200: {} }).map(([status, body]) => [
    status,
    { description: (body as { description?: string }).description ?? `HTTP ${status}`, ...(Object.keys(body).length > 0 && { content: { 'application/json': { schema: body } } }) },
  ]));
  return op;
}

/**
 * Serves `GET /openapi.json`, an OpenAPI 3.1 description derived from the route schemas
 * (the same schemas Fastify validates with, so the description cannot drift). Register
 * before the routes: it collects them as they are added.
 */
export function describeRoutes(app: FastifyInstance, options: OpenApiOptions): void {
  const paths: Record<string, Record<string, Operation>> = {};
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as RouteSchema | undefined;
    if (!schema || route.url === '/openapi.json') return;
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      (paths[path] ??= {})[method.toLowerCase()] = operation(schema);
    }
  });
  let document: object | undefined;
  app.get('/openapi.json', async () => {
    document ??= {
      openapi: '3.1.0',
      info: { title: options.title, version: options.version ?? '1.0.0', ...(options.description && { description: options.description }) },
      components: {
        securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'A token from POST /auth/login' } },
        schemas: { Error: errorSchema },
      },
      paths,
    };
    return document;
  });
}

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;
