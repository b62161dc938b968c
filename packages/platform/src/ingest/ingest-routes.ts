import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError, utf8Text } from '@loupe/schema';
import type { LogStore } from '../store/log-store.js';
import { bulkResponseBody } from './bulk/bulk-response.js';
import { parseFilterPath } from './bulk/filter-path.js';
import type { IngestItem } from './ingest-item.js';
import { ingestItems } from './ingest-items.js';
import type { IngestLimits } from './ingest-limits.js';
import type { Ingestor } from './ingestor.js';
import { decodeOtlpLogs, encodeOtlpResponseProtobuf, encodeOtlpStatusProtobuf, otlpStatusJson, otlpSuccessResponse, summarizeRejections } from './otlp/index.js';
import { contentEncoding, rawBody, readBody } from './read-body.js';
import type { IngestJob } from './worker/prepare-ingest.js';

export interface IngestRoutesOptions {
  store: LogStore;
  ingestor: Ingestor;
  limits: IngestLimits;
  /** Where a batch the store could not take is logged with its cause. */
  log?: Logger;
}

/** Elasticsearch `_bulk`, OTLP/HTTP logs and plain NDJSON (R24), with body limits and back-pressure. */
export async function ingestRoutes(app: FastifyInstance, options: IngestRoutesOptions): Promise<void> {
  const { store, ingestor, limits, log } = options;
  const job = (request: FastifyRequest, protocol: IngestJob['protocol'], defaultIndex?: string): IngestJob => ({
    protocol, body: rawBody(request), encoding: contentEncoding(request), defaultIndex, maxBodyBytes: limits.maxBodyBytes, maxLineBytes: limits.maxLineBytes,
  });
  let inFlightBytes = 0;
  // Loupe's error shape, with the `type` and `reason` Elasticsearch clients put in their messages.
  const reason = 'Ingest is at capacity; retry after a second';
  const overloaded = { error: { code: 'INGEST_OVERLOADED', message: reason, root_cause: [{ type: 'es_rejected_execution_exception', reason }], type: 'es_rejected_execution_exception', reason }, status: 429 };

  // Every body arrives as raw bytes; each route decodes its own protocol.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared <= limits.maxBodyBytes && inFlightBytes + declared > limits.maxInFlightBytes) {
      reply.header('retry-after', '1');
      return reply.status(429).send(overloaded);
    }
    inFlightBytes += declared;
    request.ingestBytes = declared;
  });
  app.addHook('onResponse', async (request) => {
    inFlightBytes -= request.ingestBytes ?? 0;
  });
  // The store failing to take a batch (a full disk, a file it cannot write) is not the
  // client's fault and may pass: 503 with Retry-After, which every shipper and OTLP exporter
  // retries (OTLP must not retry a 500). Nothing of the batch was acknowledged.
  const storeFailed = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyError | LoupeError => {
    if (error instanceof LoupeError || error.validation || (error.statusCode !== undefined && error.statusCode < 500)) return error;
    log?.error(`Storing the batch of ${request.method} ${request.url.split('?', 1)[0]} failed; the client was told to send it again: ${error.message}`, {
      'event.action': 'ingest-store-failed', 'error.type': error.name, 'error.message': error.message, 'error.stack_trace': error.stack,
    });
    reply.header('retry-after', '5');
    return new LoupeError('INGEST_STORE_FAILED', `The store could not take this batch (${error.message}); nothing of it was stored, so sending it again is safe`, 503);
  };
  app.setErrorHandler((error: FastifyError, request, reply) => {
    throw storeFailed(error, request, reply);
  });

  // `filter_path` as Elasticsearch reads it: Logstash asks for `errors,items.*.error,items.*.status`.
  const bulk = async (request: FastifyRequest<{ Params: { index?: string }; Querystring: { filter_path?: unknown } }>, reply: FastifyReply) => {
    const started = Date.now();
    const filterPath = parseFilterPath(request.query.filter_path);
    const answer = await ingestor.ingestBulk({ ...job(request, 'bulk', request.params.index), filterPath });
    return reply.type('application/json; charset=utf-8').send(bulkResponseBody(answer, Date.now() - started, filterPath));
  };
  // With and without the trailing slash, as Elasticsearch: Fluent Bit posts to `/_bulk/?pipeline=…` when a pipeline is set.
  for (const path of ['/_bulk', '/_bulk/', '/:index/_bulk', '/:index/_bulk/']) {
    app.post(path, bulk);
    app.put(path, bulk);
  }

  // OTLP wants a google.rpc.Status for every 4xx and 5xx, in the request's encoding.
  const otlpErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const failure = storeFailed(error, request, reply);
    const status = failure instanceof LoupeError ? failure.status : (failure.statusCode ?? 500);
    const code = failure instanceof LoupeError ? failure.code : failure.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'BODY_TOO_LARGE' : 'BAD_REQUEST';
    if (status === 429) reply.header('retry-after', '1');
    if (isProtobuf(request)) return reply.status(status).type('application/x-protobuf').send(Buffer.from(encodeOtlpStatusProtobuf(status, failure.message)));
    return reply.status(status).send(otlpStatusJson(status, code, failure.message));
  };

  app.post('/v1/logs', { errorHandler: otlpErrorHandler }, async (request, reply) => {
    const contentType = contentTypeOf(request);
    const protobuf = isProtobuf(request);
    if (!protobuf && contentType !== 'application/json') {
      throw new LoupeError('INGEST_UNSUPPORTED_MEDIA_TYPE', `OTLP/HTTP takes application/json or application/x-protobuf, not "${contentType}"`, 415);
    }
    const body = readBody(request, limits.maxBodyBytes);
    const decoded = decodeOtlpLogs(protobuf ? body : utf8Text(body), protobuf ? 'protobuf' : 'json');
    // LogRecords the decoder refused go to the dead-letter index with their reason, as a malformed bulk line does (R24).
    const items: IngestItem[] = [
      ...decoded.records.map((record) => ({ document: record, raw: JSON.stringify(record) })),
      ...decoded.rejected.map(({ reason, raw }) => ({ raw: raw ?? '', error: { status: 400, type: 'mapper_parsing_exception', reason } })),
    ];
    // Each item's index in the request: the decoded records fill the places the rejected ones leave.
    const refused = new Set(decoded.rejected.map(({ index }) => index));
    const places: number[] = [];
    for (let index = 0; places.length < decoded.records.length; index++) if (!refused.has(index)) places.push(index);
    places.push(...decoded.rejected.map(({ index }) => index));
    const outcomes = await ingestItems(store, ingestor.pipeline, items, 'otlp');
    const rejections = outcomes.flatMap((o, i) => (o.error ? [{ index: places[i]!, reason: o.error.reason }] : [])).sort((a, b) => a.index - b.index);
    const rejected = rejections.length;
    const message = rejected > 0 ? summarizeRejections(rejections) : undefined;
    if (protobuf) return reply.type('application/x-protobuf').send(Buffer.from(encodeOtlpResponseProtobuf(rejected, message)));
    return reply.send(otlpSuccessResponse(rejected, message));
  });

  app.post('/ingest/ndjson', async (request, reply) => {
    const outcomes = await ingestor.ingestNdjson(job(request, 'ndjson'));
    const errors = outcomes.flatMap((outcome, line) => (outcome.error ? [{ line: line + 1, status: outcome.status, code: outcome.error.type, message: outcome.error.reason }] : []));
    return reply.send({ accepted: outcomes.filter((o) => o.status === 201).length, duplicates: outcomes.filter((o) => o.status === 200).length, rejected: errors.length, errors });
  });
}

function contentTypeOf(request: FastifyRequest): string {
  return String(request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function isProtobuf(request: FastifyRequest): boolean {
  const contentType = contentTypeOf(request);
  return contentType === 'application/x-protobuf' || contentType === 'application/protobuf';
}

declare module 'fastify' {
  interface FastifyRequest {
    ingestBytes?: number;
  }
}
