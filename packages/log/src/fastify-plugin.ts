import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { context, type Context } from '@opentelemetry/api';
import { isLogLevel, LoupeError, type ErrorBody } from '@loupe/schema';
import type { Logger } from './create-logger.js';
import { contextWithNewSpan, extractTraceContext, traceparentOf } from './trace-context.js';

export interface LoupeFastifyOptions {
  log: Logger;
  /**
   * Mounts `GET|PUT /admin/log-level` to read or switch the level at run time (R18).
   * Requests must carry `Authorization: Bearer <adminToken>`; without a token the route is not mounted.
   */
  adminToken?: string;
  /** Paths whose R1 line is written at debug instead of info (health checks, metrics). */
  quietPaths?: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's trace context (R21): pass it on to outgoing calls. */
    traceContext: Context;
    /** Set by authentication; written as `user.id` on the request's R1 line. */
    userId?: string;
  }
}

function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/**
 * Names the Content-Type that was sent and, from the route's own schema, what to send instead:
 * the media types it declares (`consumes`), or JSON for a route with a body schema.
 */
function unsupportedMediaType(request: FastifyRequest): string {
  const sent = request.headers['content-type'];
  const what = sent ? `Content-Type "${sent.slice(0, 100)}"` : 'A body without Content-Type';
  const schema = request.routeOptions.schema as { consumes?: unknown; body?: unknown } | undefined;
  const consumes = Array.isArray(schema?.consumes) ? schema.consumes.map(String) : [];
  const instead = consumes.length > 0 ? consumes.join(', ') : schema?.body ? 'application/json' : undefined;
  return `${what} is not taken by ${request.method} ${request.routeOptions.url ?? request.url.split('?', 1)[0]}${instead ? `; send ${instead}` : ''}`;
}

/** Ajv's message, naming the field when it is one the schema does not know ("must NOT have additional properties" alone does not). */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0] as { keyword?: string; instancePath?: string; params?: { additionalProperty?: unknown } } | undefined;
  if (first?.keyword !== 'additionalProperties' || typeof first.params?.additionalProperty !== 'string') return error.message;
  const where = `${error.validationContext ?? 'body'}${first.instancePath ?? ''}`;
  return `${where} has a field it does not take: "${first.params.additionalProperty.slice(0, 80)}"`;
}

/** Maps Fastify's own errors (bad JSON, body too large, validation) to stable codes. */
function clientError(error: FastifyError, request: FastifyRequest): { status: number; code: string; message: string } | undefined {
  if (error instanceof LoupeError) return { status: error.status, code: error.code, message: error.message };
  if (error.validation) return { status: 400, code: 'VALIDATION', message: validationMessage(error) };
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'BODY_TOO_LARGE', message: 'The request body is larger than this endpoint accepts' };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: unsupportedMediaType(request) };
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { status: 400, code: 'INVALID_JSON', message: 'The body is empty but Content-Type says JSON' };
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { status: 400, code: 'INVALID_JSON', message: `The body is not valid JSON: ${error.message}` };
  const status = error.statusCode ?? 500;
  // Fastify's own codes (FST_ERR_…) are not Loupe's: the message keeps the detail.
  if (status >= 400 && status < 500) return { status, code: 'BAD_REQUEST', message: error.message };
  return undefined;
}

async function loupeFastify(app: FastifyInstance, options: LoupeFastifyOptions): Promise<void> {
  const { log } = options;
  const quiet = new Set(options.quietPaths ?? []);

  app.decorateRequest('traceContext', undefined as unknown as Context);
  app.decorateRequest('userId', undefined);

  app.addHook('onRequest', (request, reply, done) => {
    request.traceContext = contextWithNewSpan(`${request.method} ${request.routeOptions.url ?? 'unknown'}`, extractTraceContext(request.headers));
    const traceparent = traceparentOf(request.traceContext);
    if (traceparent) reply.header('traceparent', traceparent);
    context.with(request.traceContext, done);
  });
  // Body parsing runs outside the request's async context; re-enter it for the handler.
  app.addHook('preHandler', (request, _reply, done) => context.with(request.traceContext, done));

  app.addHook('onResponse', (request, reply, done) => {
    context.with(request.traceContext, () => {
      const path = request.url.split('?', 1)[0] ?? request.url;
      log.httpRequestServed({
        method: request.method,
        path,
        route: request.routeOptions.url ?? 'unmatched',
        statusCode: reply.statusCode,
        durationNs: Math.round(reply.elapsedTime * 1e6),
        clientIp: request.ip,
        userId: request.userId,
        requestId: String(request.id),
        ...(quiet.has(path) && { level: 'debug' as const }),
      });
    });
    done();
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = clientError(error, request);
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message));
    context.with(request.traceContext ?? context.active(), () => {
      log.unhandledError({
        errorType: error.name || 'Error',
        errorMessage: error.message,
        stack: error.stack ?? '',
        errorCode: error.code,
        method: request.method,
        path: request.url.split('?', 1)[0],
        route: request.routeOptions.url,
        requestId: String(request.id),
        userId: request.userId,
      });
    });
    return reply.status(500).send(errorBody('INTERNAL', `Internal error; quote request ${String(request.id)} to support`));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${request.url.split('?', 1)[0]}`));
  });

  if (options.adminToken) mountLevelRoutes(app, log, options.adminToken);
}

function mountLevelRoutes(app: FastifyInstance, log: Logger, adminToken: string): void {
  const authorised = (request: FastifyRequest) => request.headers.authorization === `Bearer ${adminToken}`;
  app.get('/admin/log-level', async (request, reply) => {
    if (!authorised(request)) return reply.status(401).send(errorBody('UNAUTHORISED', 'Send Authorization: Bearer <admin token>'));
    return { service: log.service, level: log.level };
  });
  app.put<{ Body: { level?: unknown } }>('/admin/log-level', async (request, reply) => {
    if (!authorised(request)) return reply.status(401).send(errorBody('UNAUTHORISED', 'Send Authorization: Bearer <admin token>'));
    const level = request.body?.level;
    if (!isLogLevel(level)) {
      return reply.status(400).send(errorBody('LOG_BAD_LEVEL', 'Body must be {"level": "trace|debug|info|warn|error|fatal"}'));
    }
    const previous = log.level;
    log.level = level;
    log.info(`Log level changed from ${previous} to ${level}`, { 'event.action': 'log-level-changed' });
    return { service: log.service, level };
  });
}

/** Fastify plugin for R1 (every request logged), R17 (unhandled errors), R21 (trace context) and R18. */
export const loupeFastifyPlugin = fastifyPlugin(loupeFastify, { fastify: '5.x', name: 'loupe-log' });
