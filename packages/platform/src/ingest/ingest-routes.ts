import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LoupeError, utf8Text } from '@loupe/schema';
import type { LogStore } from '../store/log-store.js';
import { bulkResponseBody } from './bulk/bulk-response.js';
import type { IngestItem } from './ingest-item.js';
import { ingestItems } from './ingest-items.js';
import type { IngestLimits } from './ingest-limits.js';
import type { Ingestor } from './ingestor.js';
import { decodeOtlpLogs, encodeOtlpResponseProtobuf, otlpSuccessResponse, summarizeRejections } from './otlp/index.js';
import { contentEncoding, rawBody, readBody } from './read-body.js';
import type { IngestJob } from './worker/prepare-ingest.js';

export interface IngestRoutesOptions {
  store: LogStore;
  ingestor: Ingestor;
  limits: IngestLimits;
}

/** Elasticsearch `_bulk`, OTLP/HTTP logs and plain NDJSON (R24), with body limits and back-pressure. */
export async function ingestRoutes(app: FastifyInstance, options: IngestRoutesOptions): Promise<void> {
  const { store, ingestor, limits } = options;
  const job = (request: FastifyRequest, protocol: IngestJob['protocol'], defaultIndex?: string): IngestJob => ({
    protocol, body: rawBody(request), encoding: contentEncoding(request), defaultIndex, maxBodyBytes: limits.maxBodyBytes, maxLineBytes: limits.maxLineBytes,
  });
  let inFlightBytes = 0;

  // Every body arrives as raw bytes; each route decodes its own protocol.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared <= limits.maxBodyBytes && inFlightBytes + declared > limits.maxInFlightBytes) {
      reply.header('retry-after', '1');
      return reply.status(429).send({ error: { code: 'INGEST_OVERLOADED', message: 'Ingest is at capacity; retry after a second' }, status: 429 });
    }
    inFlightBytes += declared;
    request.ingestBytes = declared;
  });
  app.addHook('onResponse', async (request) => {
    inFlightBytes -= request.ingestBytes ?? 0;
  });

  const bulk = async (request: FastifyRequest<{ Params: { index?: string } }>, reply: FastifyReply) => {
    const started = Date.now();
    const answer = await ingestor.ingestBulk(job(request, 'bulk', request.params.index));
    return reply.type('application/json; charset=utf-8').send(bulkResponseBody(answer, Date.now() - started));
  };
  app.post('/_bulk', bulk);
  app.put('/_bulk', bulk);
  app.post('/:index/_bulk', bulk);
  app.put('/:index/_bulk', bulk);

  app.post('/v1/logs', async (request, reply) => {
    const contentType = String(request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    const protobuf = contentType === 'application/x-protobuf' || contentType === 'application/protobuf';
    if (!protobuf && contentType !== 'application/json') {
      throw new LoupeError('INGEST_UNSUPPORTED_MEDIA_TYPE', `OTLP/HTTP takes application/json or application/x-protobuf, not "${contentType}"`, 415);
    }
    const body = readBody(request, limits.maxBodyBytes);
    const decoded = decodeOtlpLogs(protobuf ? body : utf8Text(body), protobuf ? 'protobuf' : 'json');
    const items: IngestItem[] = decoded.records.map((record) => ({ document: record, raw: JSON.stringify(record) }));
    const outcomes = await ingestItems(store, ingestor.pipeline, items, 'otlp');
    const rejections = [...decoded.rejected, ...outcomes.flatMap((o, index) => (o.error ? [{ index, reason: o.error.reason }] : []))];
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

declare module 'fastify' {
  interface FastifyRequest {
    ingestBytes?: number;
  }
}
