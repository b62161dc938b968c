import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import type { MessageQueue } from '../queue/index.js';
import { checkTransition, metals, orderStatuses, products, type Metal, type OrderStatus, type Product } from '../domain/index.js';
import { authenticate, findUser } from '../accounts/index.js';
import { databaseOutageOf, emptyBodyAsObject, errorSchema, idempotencyKeyHeaders, readUpload, requestKeyOf, uploadMediaTypes } from '../http/index.js';
import {
  attachModel, changeOnce, listOrders, placeOrder, moveLockedOrder, orderHistory, requireOrder,
  newOrderBody, orderIdParams, orderListSchema, orderSchema,
} from '../orders/index.js';
import { handOffLockedOrder, handOffOrder } from './hand-off.js';

export interface CrmOrderRoutesOptions {
  db: Database;
  queue: MessageQueue;
  log: Logger;
  fileStorageUrl: string;
  maxModelBytes: number;
  internalToken: string;
}

type OrderParams = { Params: { id: string } };
interface ListQuery {
  status?: OrderStatus[]; customerId?: string; metal?: Metal; product?: Product;
  createdFrom?: string; createdTo?: string; stuckForMinutes?: number; limit?: number; offset?: number;
}

const security = [{ session: [] }];
const failures = { 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'array', items: { type: 'string', enum: [...orderStatuses] }, description: 'Repeat for several: ?status=NEW&status=MODEL_UPLOADED' },
    customerId: { type: 'string', maxLength: 40 },
    metal: { type: 'string', enum: [...metals] },
    product: { type: 'string', enum: [...products] },
    createdFrom: { type: 'string', format: 'date-time' },
    createdTo: { type: 'string', format: 'date-time' },
    stuckForMinutes: { type: 'integer', minimum: 1, maximum: 5_256_000, description: 'Only orders whose status has not changed for this long (at most 10 years)' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  },
} as const;

/**
 * A date-time the schema let through as UTC ISO text the database takes: RFC 3339 allows
 * year 0000 and offsets that carry 9999-12-31 into year 10000, which PostgreSQL refuses.
 */
function storableTime(value: string, name: string): string {
  const ms = Date.parse(value);
  // 0001-01-01T00:00:00Z to the end of 9999, in epoch ms; NaN is neither.
  if (!(ms >= -62_135_596_800_000 && ms < 253_402_300_800_000)) {
    throw new LoupeError('VALIDATION', `querystring/${name} must be a date-time from year 1 to 9999 (in UTC), got "${value.slice(0, 40)}"`);
  }
  return new Date(ms).toISOString();
}

/** Operators' and managers' view of every order: filter, take orders by phone, move them along, hand them to MES. */
export const crmOrderRoutes: FastifyPluginAsync<CrmOrderRoutesOptions> = async (app, options) => {
  const { db, queue, log } = options;
  app.addHook('preHandler', authenticate({ db, roles: ['operator', 'manager'], internalToken: options.internalToken }));
  const actorOf = (request: { user?: { id: string; role: string } }) => (request.user!.role === 'service' ? 'shop-api' : request.user!.id);

  app.get<{ Querystring: ListQuery }>('/orders', {
    schema: { summary: 'Orders, newest first, filtered', tags: ['orders'], security, querystring: listQuery, response: { 200: orderListSchema, 401: errorSchema } },
  }, async (request) => {
    const { status, stuckForMinutes, createdFrom, createdTo, ...filter } = request.query;
    return listOrders(db, {
      ...filter, ...(status && { statuses: status }),
      ...(createdFrom && { createdFrom: storableTime(createdFrom, 'createdFrom') }),
      ...(createdTo && { createdTo: storableTime(createdTo, 'createdTo') }),
      ...(stuckForMinutes && { statusChangedBefore: new Date(Date.now() - stuckForMinutes * 60_000).toISOString() }),
    });
  });

  app.get<OrderParams>('/orders/:id', {
    schema: { summary: 'An order with its status history', tags: ['orders'], security, params: orderIdParams, response: { 200: orderSchema, ...failures } },
  }, async (request) => {
    const order = await requireOrder(db, request.params.id);
    return { ...order, history: await orderHistory(db, order.id) };
  });

  app.post<{ Body: { customerId: string; product: Product; metal: Metal; ringSizeMm?: number; scale?: number; comment?: string } }>('/orders', {
    schema: {
      summary: 'Place an order for a customer (taken by phone or in the shop)', tags: ['orders'], security, headers: idempotencyKeyHeaders,
      body: { ...newOrderBody, required: [...newOrderBody.required, 'customerId'], properties: { ...newOrderBody.properties, customerId: { type: 'string', pattern: '^CUS-[0-9]+$' } } },
      response: { 201: orderSchema, ...failures, 422: errorSchema },
    },
  }, async (request, reply) => {
    const customer = await findUser(db, request.body.customerId);
    if (customer?.role !== 'customer') throw new LoupeError('CUSTOMER_NOT_FOUND', `No customer ${request.body.customerId}`, 404);
    const order = await placeOrder(db, log, { ...request.body, createdBy: actorOf(request) }, requestKeyOf(request));
    return reply.status(201).send(order);
  });

  app.post<OrderParams>('/orders/:id/model', {
    schema: {
      summary: 'Upload a model for a customer\'s order, then hand it on for pricing (`pricing`: "requested", or "delayed" when the hand-off failed and waits for POST /orders/{id}/hand-off)', tags: ['orders'], security, params: orderIdParams,
      consumes: uploadMediaTypes, response: { 201: orderSchema, ...failures, 413: errorSchema, 422: errorSchema, 503: errorSchema },
    },
  }, async (request, reply) => {
    const upload = await readUpload(request, options.maxModelBytes);
    const { order } = await attachModel({ db, log, fileStorageUrl: options.fileStorageUrl }, { orderId: request.params.id, actor: 'crm', actorId: actorOf(request), upload });
    let answer = { ...order, pricing: 'delayed' };
    try {
      answer = { ...(await handOffOrder({ db, queue, log }, { orderId: order.id, actorId: actorOf(request) })).order, pricing: 'requested' };
    } catch (caught) {
      // The model is stored and on the order: answer that, not an error inviting a second upload.
      const error = caught instanceof LoupeError ? caught : databaseOutageOf(caught, String(request.id));
      if (!error) throw caught;
      log.warn(`Model stored on order ${order.id}, but it was not handed on for pricing: ${error.message}; hand it on with POST /orders/${order.id}/hand-off`, {
        'order.id': order.id, 'error.code': error.code,
      });
    }
    return reply.status(201).send(answer);
  });

  app.post<OrderParams & { Body: { note?: string } }>('/orders/:id/hand-off', {
    preValidation: emptyBodyAsObject,
    schema: {
      summary: 'Hand the order to manufacturing: for pricing (from MODEL_UPLOADED) or production (from ACCEPTED)',
      tags: ['orders'], security, params: orderIdParams,
      headers: idempotencyKeyHeaders,
      body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } },
      response: { 200: orderSchema, ...failures },
    },
  }, async (request) => {
    const { note } = request.body;
    const requestKey = requestKeyOf(request);
    return (await handOffOrder({ db, queue, log }, { orderId: request.params.id, actorId: actorOf(request), ...(note && { note }), ...(requestKey && { requestKey }) })).order;
  });

  app.post<OrderParams & { Body: { status: OrderStatus; note?: string } }>('/orders/:id/status', {
    schema: {
      summary: 'Move the order to another status (409 when the status machine has no such step)',
      tags: ['orders'], security, params: orderIdParams, headers: idempotencyKeyHeaders,
      body: {
        type: 'object', required: ['status'], additionalProperties: false,
        properties: { status: { type: 'string', enum: [...orderStatuses] }, note: { type: 'string', maxLength: 2000 } },
      },
      response: { 200: orderSchema, ...failures },
    },
  }, async (request) => {
    const { status, note } = request.body;
    const requestKey = requestKeyOf(request);
    // Read, choose and move under one row lock: an order read as PRICE_QUOTED may be ACCEPTED by
    // now, and then IN_PRODUCTION is the hand-off, which must reach MES.
    const { order } = await changeOnce(db, log, { orderId: request.params.id, to: [status], ...(requestKey && { requestKey }) }, async (tx, current) => {
      const step = checkTransition(current.id, current.status, status, 'crm');
      return step.handOff
        ? handOffLockedOrder(tx, { queue, log }, current, actorOf(request), note, requestKey)
        : moveLockedOrder(tx, current, { to: status, actor: 'crm', actorId: actorOf(request), ...(note && { note }), ...(requestKey && { requestKey }) });
    });
    return order;
  });
};
