import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { orderStatuses, type Metal, type OrderStatus, type Product } from '../domain/index.js';
import { authenticate } from '../accounts/index.js';
import { emptyBodyAsObject, errorSchema, idempotencyKeyHeaders, readUpload, requestKeyOf, uploadMediaTypes } from '../http/index.js';
import {
  attachModel, changeOnce, listOrders, placeOrder, moveLockedOrder, orderHistory, requireOrder,
  newOrderBody, orderIdParams, orderListSchema, orderSchema, statusNoteBody,
} from '../orders/index.js';
import { requestPricing, type CrmLink } from './request-pricing.js';

export interface ShopOrderRoutesOptions {
  db: Database;
  log: Logger;
  fileStorageUrl: string;
  crm: CrmLink;
  maxModelBytes: number;
}

type OrderParams = { Params: { id: string } };
const security = [{ session: [] }];
const failures = { 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** The customer's decisions on a quoted or early order: each one step of the status machine (R5). */
const decisions: { path: string; to: OrderStatus; summary: string }[] = [
  { path: 'accept', to: 'ACCEPTED', summary: 'Accept the quoted price' },
  { path: 'reject', to: 'REJECTED', summary: 'Decline the quoted price' },
  { path: 'cancel', to: 'CANCELLED', summary: 'Cancel an order not yet accepted' },
];

/** A customer's orders: create (R4), upload a model (R6), follow, decide on the quote (R5). */
export const shopOrderRoutes: FastifyPluginAsync<ShopOrderRoutesOptions> = async (app, options) => {
  const { db, log } = options;
  app.addHook('preHandler', authenticate({ db, roles: ['customer'] }));
  const customerOf = (request: { user?: { id: string } }) => request.user!.id;

  app.get<{ Querystring: { status?: OrderStatus } }>('/orders', {
    schema: {
      summary: 'My orders, newest first', tags: ['orders'], security,
      querystring: { type: 'object', properties: { status: { type: 'string', enum: [...orderStatuses] } } },
      response: { 200: orderListSchema, 401: errorSchema },
    },
  }, async (request) => listOrders(db, { customerId: customerOf(request), ...(request.query.status && { statuses: [request.query.status] }), limit: 100 }));

  app.post<{ Body: { product: Product; metal: Metal; ringSizeMm?: number; scale?: number; comment?: string } }>('/orders', {
    schema: {
      summary: 'Place an order; upload its model next', tags: ['orders'], security, headers: idempotencyKeyHeaders, body: newOrderBody,
      response: { 201: orderSchema, 400: errorSchema, 401: errorSchema, 422: errorSchema },
    },
  }, async (request, reply) => {
    const order = await placeOrder(db, log, { ...request.body, customerId: customerOf(request), createdBy: customerOf(request) }, requestKeyOf(request));
    return reply.status(201).send(order);
  });

  app.get<OrderParams>('/orders/:id', {
    schema: { summary: 'One of my orders with its status history', tags: ['orders'], security, params: orderIdParams, response: { 200: orderSchema, ...failures } },
  }, async (request) => {
    const order = await requireOrder(db, request.params.id, { customerId: customerOf(request) });
    return { ...order, history: await orderHistory(db, order.id) };
  });

  app.post<OrderParams>('/orders/:id/model', {
    schema: {
      summary: 'Upload the 3D model (STL); the price calculation starts by itself',
      description: `multipart/form-data with the field "file", or the raw STL as the body; at most ${options.maxModelBytes} bytes.`,
      tags: ['orders'], security, params: orderIdParams, headers: idempotencyKeyHeaders, consumes: uploadMediaTypes,
      response: { 201: orderSchema, ...failures, 413: errorSchema, 422: errorSchema, 503: errorSchema },
    },
  }, async (request, reply) => {
    const upload = await readUpload(request, options.maxModelBytes);
    const requestKey = requestKeyOf(request);
    const { order } = await attachModel(
      { db, log, fileStorageUrl: options.fileStorageUrl },
      { orderId: request.params.id, customerId: customerOf(request), actor: 'customer', actorId: customerOf(request), upload, ...(requestKey && { requestKey }) },
    );
    // Sent again after its first answer was lost, the upload finds the order handed on already,
    // or still waiting for its hand-off, which is asked for again.
    if (order.status !== 'MODEL_UPLOADED') return reply.status(201).send(order.status === 'CANCELLED' ? order : { ...order, pricing: 'requested' });
    // Both orders were read inside the transactions that changed them: no read after a commit can fail the answer.
    const handOff = await requestPricing(log, options.crm, order.id);
    return reply.status(201).send({ ...(handOff.pricing === 'requested' ? handOff.order : order), pricing: handOff.pricing });
  });

  for (const decision of decisions) {
    app.post<OrderParams & { Body: { note?: string } }>(`/orders/:id/${decision.path}`, {
      preValidation: emptyBodyAsObject,
      schema: {
        summary: decision.summary, tags: ['orders'], security, params: orderIdParams, headers: idempotencyKeyHeaders, body: statusNoteBody,
        response: { 200: orderSchema, ...failures },
      },
    }, async (request) => {
      const customerId = customerOf(request);
      const requestKey = requestKeyOf(request);
      const { order } = await changeOnce(db, log, { orderId: request.params.id, customerId, to: [decision.to], ...(requestKey && { requestKey }) }, (tx, current) => moveLockedOrder(tx, current, {
        to: decision.to, actor: 'customer', actorId: customerId,
        ...(request.body.note && { note: request.body.note }), ...(requestKey && { requestKey }),
      }));
      return order;
    });
  }
};
