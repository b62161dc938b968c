import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Logger } from './create-logger.js';

const errorText = (message: string) => JSON.stringify({ error: { code: 'BAD_REQUEST', message } });

/**
 * A request Node's HTTP parser refuses (a broken request line, headers over its limit, a body
 * longer than its Content-Length) never reaches Fastify: answered here with the APIs' error
 * body, then the connection closes, as Node does by default.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'The request line and headers are larger than this server accepts (a long query belongs in a POST body)']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request did not arrive in time']
      : [400, `The request is not valid HTTP (${error.code ?? error.message}); check its Content-Length and Transfer-Encoding`];
  const body = errorText(message);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/**
 * Fastify server options for every Loupe API, beside `loupeFastifyPlugin`: what Fastify and
 * Node refuse before a route runs — a URL that does not decode (`/orders/%E0%A4%A`), a path
 * parameter longer than `maxParamLength`, a request that is not HTTP — is answered with the
 * `{error: {code: 'BAD_REQUEST', message}}` body every API uses instead of Fastify's own,
 * and a URL refused by the router still gets its R1 line.
 */
export function frameworkErrorOptions(log: Logger, maxParamLength = 100): Pick<FastifyServerOptions, 'routerOptions' | 'frameworkErrors' | 'clientErrorHandler'> {
  const frameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `A path parameter is longer than ${maxParamLength} characters; check the id in the URL`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The URL does not decode (a % not followed by two hex digits, or bytes that are not UTF-8)'
        : error.message;
    void reply.status(status).type('application/json; charset=utf-8').send(errorText(message));
    log.httpRequestServed({
      method: request.method,
      path: request.url.split('?', 1)[0] ?? request.url,
      route: 'unmatched',
      statusCode: status,
      durationNs: Math.round(reply.elapsedTime * 1e6),
      clientIp: request.ip,
      requestId: String(request.id),
    });
  };
  return { routerOptions: { maxParamLength }, frameworkErrors, clientErrorHandler: answerClientError };
}
