import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The longest path parameter (an order id, a trace id, an index name of up to 200 characters). */
export const MAX_PARAM_LENGTH = 1_000;

function errorBody(message: string): string {
  return JSON.stringify({ error: { code: 'BAD_REQUEST', message } });
}

/**
 * Errors Fastify meets before a route runs (a path that does not decode, a path parameter over
 * `MAX_PARAM_LENGTH`), answered with the body every API uses instead of Fastify's own.
 */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`
    : error.code === 'FST_ERR_BAD_URL' ? 'The path is not valid percent-encoded UTF-8' : error.message;
  void reply.status(status).type('application/json; charset=utf-8').send(errorBody(message));
}

/**
 * Requests Node's HTTP parser refuses (headers over its limit, e.g. a query string of 20 KB in
 * a GET: POST it instead; a malformed request line), answered as every API answers a bad request.
 */
export function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'The request line and headers are larger than the server accepts; send a long query in a POST body']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'The request was not received in time'] : [400, 'The request is not valid HTTP'];
  const body = errorBody(message);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
