import type { FastifyError, FastifyReply, FastifyRequest, onErrorAsyncHookHandler } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { isStatementTimeout, isTransientDatabaseError } from '../db/index.js';

const changingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const orderIdPattern = /^ORD-[0-9]+$/;

/** The order a request is about: the route's `:id` or `:orderId` when it names an order. */
function orderIdOf(request: FastifyRequest): string | undefined {
  const params = request.params as { id?: unknown; orderId?: unknown } | undefined;
  const id = params?.orderId ?? params?.id;
  return typeof id === 'string' && orderIdPattern.test(id) ? id : undefined;
}

/** The status the error will be answered with. */
function statusOf(error: FastifyError): number {
  if (error instanceof LoupeError) return error.status;
  if (isTransientDatabaseError(error) || isStatementTimeout(error)) return 503;
  return typeof error.statusCode === 'number' ? error.statusCode : 500;
}

/**
 * An `onError` hook: a change to an order that fails (a step the status machine refuses, an
 * upload refused or broken, a job not on the floor, a lost database) is logged with its
 * `order.id`, the customer when the caller is one, and the error, so the order's journey shows
 * the attempt (R5, R6, R10: the records ask for a line when these events fail). WARN when the
 * request was refused (4xx), ERROR when the service failed (5xx; the cause has its own line in
 * the same trace). An unidentified caller (401) is left to the request's R1 line.
 */
export function logOrderFailures(log: Logger): onErrorAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply, error: FastifyError) => {
    if (!changingMethods.has(request.method)) return;
    const orderId = orderIdOf(request);
    if (!orderId) return;
    const status = statusOf(error);
    if (status === 401) return;
    const code = error instanceof LoupeError ? error.code : (error.code ?? error.name ?? 'INTERNAL');
    const route = request.routeOptions.url ?? 'unmatched';
    const fields = {
      'event.action': 'order-change-failed',
      'event.outcome': 'failure',
      'order.id': orderId,
      ...(request.user?.role === 'customer' && { 'customer.id': request.user.id }),
      ...(request.userId && { 'user.id': request.userId }),
      'http.request.method': request.method,
      'http.route': route,
      'http.response.status_code': status,
      'error.code': code,
      'error.message': error.message,
    };
    const message = `${request.method} ${route} for order ${orderId} failed with ${status} ${code}: ${error.message}`;
    if (status >= 500) log.error(message, fields);
    else log.warn(message, fields);
  };
}
