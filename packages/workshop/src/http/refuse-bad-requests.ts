import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { isTransientDatabaseError } from '../db/index.js';

const errorText = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/**
 * Fastify's `frameworkErrors`: a URL that does not decode (`/orders/%E0%A4%A`) or a path
 * parameter over the length limit never reaches a route, so the error handler does not see
 * it either. Answered here in the APIs' format, with its R1 line.
 */
export function answerFrameworkError(log: Logger): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path segment is longer than this API accepts; check the id in the URL'
      : `The URL does not decode (a % not followed by two hex digits, or bytes that are not UTF-8): ${error.message}`;
    reply.code(400).header('content-type', 'application/json; charset=utf-8').send(errorText('BAD_REQUEST', message));
    log.httpRequestServed({
      method: request.method, path, route: 'unmatched', statusCode: 400, durationNs: Math.round(reply.elapsedTime * 1e6),
      clientIp: request.ip, requestId: String(request.id),
    });
  };
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a broken request
 * line, a body longer than its Content-Length) gets the APIs' error body, then the
 * connection closes, as Node does by default.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'Request Timeout', 'The request did not arrive in time']
    : error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are larger than this API accepts']
      : [400, 'Bad Request', `The request is not valid HTTP (${error.code ?? error.message}); check its Content-Length and Transfer-Encoding`];
  const body = errorText('BAD_REQUEST', message);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

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
 * An `onRoute` hook giving every route an error handler that turns a lost database
 * connection (still lost after the database layer's retries, which logged R2 / R3 and R15)
 * into 503 DB_UNAVAILABLE; anything else goes on to the app's error handler unchanged.
 */
export function answerDatabaseOutages(route: RouteOptions): void {
  route.errorHandler ??= (error: FastifyError, request: FastifyRequest) => {
    if (!isTransientDatabaseError(error)) throw error;
    throw new LoupeError('DB_UNAVAILABLE', `The workshop's database cannot be reached right now; try again in a few seconds (request ${String(request.id)})`, 503);
  };
}
