import type { FastifyError, FastifyRequest, RouteOptions } from 'fastify';
import { LoupeError } from '@loupe/schema';
import { isStatementTimeout, isTransientDatabaseError } from '../db/index.js';

function nulPath(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  // Streams and buffers (uploads) are not text fields.
  if (ArrayBuffer.isView(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulPath(item, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * A preValidation hook: PostgreSQL text cannot hold U+0000, so a string with it in the body,
 * query or path would fail its INSERT or SELECT with a 500. Refused here as 400 VALIDATION
 * naming the field.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const parts: [string, unknown][] = [['body', request.body], ['querystring', request.query], ['params', request.params]];
  for (const [part, value] of parts) {
    const path = nulPath(value, part, 0);
    if (path) throw new LoupeError('VALIDATION', `${path} must not contain the NUL character (U+0000)`, 400);
  }
}

/**
 * An onRequest hook: the workshop's APIs read bodies as sent, so a compressed one (gzip,
 * deflate, br) would reach the JSON parser as bytes and be called "not valid JSON". It is
 * refused as 415, naming the encoding.
 */
export async function refuseEncodedBodies(request: FastifyRequest): Promise<void> {
  const encoding = String(request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new LoupeError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding.slice(0, 40)}" is not taken by ${request.method} ${request.routeOptions.url ?? request.url.split('?', 1)[0]}; send the body uncompressed`, 415);
  }
}

/**
 * A lost database connection (still lost after the database layer's retries, which logged
 * R2 / R3 and R15) as 503 DB_UNAVAILABLE, a statement cancelled by the statement timeout as
 * 503 DB_TIMEOUT; undefined for any other error.
 */
export function databaseOutageOf(error: unknown, requestId: string): LoupeError | undefined {
  if (isStatementTimeout(error)) {
    return new LoupeError('DB_TIMEOUT', `The workshop's database took too long to answer (a record may be busy with another change); try again in a few seconds (request ${requestId})`, 503);
  }
  if (isTransientDatabaseError(error)) {
    return new LoupeError('DB_UNAVAILABLE', `The workshop's database cannot be reached right now; try again in a few seconds (request ${requestId})`, 503);
  }
  return undefined;
}

/**
 * An `onRoute` hook giving every route an error handler that answers a database outage
 * (`databaseOutageOf`) as its 503; anything else goes on to the app's error handler unchanged.
 */
export function answerDatabaseOutages(route: RouteOptions): void {
  route.errorHandler ??= (error: FastifyError, request: FastifyRequest) => {
    throw databaseOutageOf(error, String(request.id)) ?? error;
  };
}
