import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import type { MessageQueue } from '../queue/index.js';
import { checkTransition, orderStatuses, productionStatuses, routingKeys, type OrderStatus, type ProductionStatusMessage } from '../domain/index.js';
import { authenticate, findUser } from '../accounts/index.js';
import { checkSameChange, emptyBodyAsObject, errorSchema, idempotencyKeyHeaders, logRepeatedChange, requestKeyOf } from '../http/index.js';
import type { StatusChange } from '../orders/index.js';
import {
  assignOperator, calculationsOf, listJobs, recordStep, requireJob, setJobStatus, stepMadeBy, stepsOf, type ProductionJob, type ProductionStep,
} from './job-store.js';

export interface JobRoutesOptions {
  db: Database;
  queue: MessageQueue;
  log: Logger;
}

type JobParams = { Params: { orderId: string } };
const security = [{ session: [] }];
const params = { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string', pattern: '^ORD-[0-9]+$' } } } as const;
const failures = { 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const jobSchema = {
  type: 'object',
  properties: {
    orderId: { type: 'string' }, customerId: { type: 'string' }, product: { type: 'string' }, metal: { type: 'string' }, scale: { type: 'number' },
    ringSizeMm: { type: 'number' }, modelFileId: { type: 'string' }, status: { type: 'string' }, operatorId: { type: 'string' },
    createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    calculations: { type: 'array', items: { type: 'object', additionalProperties: true } },
    steps: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;
// Where the floor works: after the production hand-off and before the piece is ready to ship.
const onTheFloor = new Set<OrderStatus>(productionStatuses.filter((s) => s !== 'READY_TO_SHIP'));

/** The production floor: jobs to do, taking one (R10), reporting its progress (R5, published to CRM). */
export const jobRoutes: FastifyPluginAsync<JobRoutesOptions> = async (app, { db, queue, log }) => {
  app.addHook('preHandler', authenticate({ db, roles: ['operator', 'manager'] }));

  app.get<{ Querystring: { status?: OrderStatus[]; operatorId?: string } }>('/jobs', {
    schema: {
      summary: 'Jobs, oldest change first', tags: ['jobs'], security,
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { status: { type: 'array', items: { type: 'string', enum: [...orderStatuses] } }, operatorId: { type: 'string', maxLength: 40 } },
      },
      response: { 200: { type: 'object', properties: { jobs: { type: 'array', items: jobSchema } } }, 401: errorSchema },
    },
  }, async (request) => ({ jobs: await listJobs(db, { ...(request.query.status && { statuses: request.query.status }), ...(request.query.operatorId && { operatorId: request.query.operatorId }) }) }));

  app.get<JobParams>('/jobs/:orderId', {
    schema: { summary: 'A job with its price calculations and the steps the floor reported', tags: ['jobs'], security, params, response: { 200: jobSchema, ...failures } },
  }, async (request) => ({
    ...(await requireJob(db, request.params.orderId)), calculations: await calculationsOf(db, request.params.orderId), steps: await stepsOf(db, request.params.orderId),
  }));

  app.post<JobParams & { Body: { operatorId?: string } }>('/jobs/:orderId/assign', {
    preValidation: emptyBodyAsObject,
    schema: {
      summary: 'Take the job (or, as a manager, give it to an operator)', tags: ['jobs'], security, params,
      body: { type: 'object', additionalProperties: false, properties: { operatorId: { type: 'string', pattern: '^OPR-[0-9]+$' } } },
      response: { 200: jobSchema, ...failures },
    },
  }, async (request) => {
    const user = request.user!;
    const operatorId = request.body.operatorId ?? user.id;
    if (operatorId !== user.id && user.role !== 'manager') throw new LoupeError('AUTH_FORBIDDEN', 'Only a manager assigns a job to someone else', 403);
    const operator = await findUser(db, operatorId);
    if (!operator || operator.role === 'customer') throw new LoupeError('OPERATOR_NOT_FOUND', `No operator ${operatorId}`, 404);
    const assigned = await db.transaction(async (tx) => {
      const job = await requireJob(tx, request.params.orderId, { forUpdate: true });
      if (!onTheFloor.has(job.status)) {
        throw new LoupeError('JOB_NOT_IN_PRODUCTION', `Order ${job.orderId} is ${job.status}; operators take orders from IN_PRODUCTION to QUALITY_CHECK`, 409);
      }
      if (job.operatorId === operatorId) return { assigned: false, job };
      // Two operators taking one job at once: the first keeps it; only a manager moves a taken job.
      if (job.operatorId && user.role !== 'manager') {
        throw new LoupeError('JOB_TAKEN', `Order ${job.orderId} is already taken by ${job.operatorId}; a manager can reassign it`, 409);
      }
      await assignOperator(tx, job.orderId, operatorId, user.id);
      // Read back before commit, so the answer never needs the database once the change is made.
      return { assigned: true, job: await requireJob(tx, job.orderId) };
    });
    if (assigned.assigned) log.operatorAssigned({ orderId: request.params.orderId, operatorId });
    return assigned.job;
  });

  app.post<JobParams & { Body: { status: OrderStatus; note?: string } }>('/jobs/:orderId/status', {
    schema: {
      summary: 'Report progress: PRINTED, POLISHED, QUALITY_CHECK, READY_TO_SHIP, or IN_PRODUCTION again after a failed check',
      tags: ['jobs'], security, params, headers: idempotencyKeyHeaders,
      body: {
        type: 'object', required: ['status'], additionalProperties: false,
        properties: { status: { type: 'string', enum: [...productionStatuses] }, note: { type: 'string', maxLength: 2000 } },
      },
      response: { 200: jobSchema, ...failures, 422: errorSchema },
    },
  }, async (request) => {
    const user = request.user!;
    const { status: to, note } = request.body;
    const requestKey = requestKeyOf(request);
    type Outcome = { change: StatusChange; job: ProductionJob } | { earlier: ProductionStep; job: ProductionJob; requestKey: string };
    const outcome = await db.transaction(async (tx): Promise<Outcome> => {
      const job = await requireJob(tx, request.params.orderId, { forUpdate: true });
      const earlier = requestKey === undefined ? undefined : await stepMadeBy(tx, job.orderId, requestKey);
      if (earlier && requestKey !== undefined) {
        checkSameChange(requestKey, job.orderId, earlier, [to]);
        return { earlier, job, requestKey };
      }
      if (!onTheFloor.has(job.status)) {
        throw new LoupeError('JOB_NOT_IN_PRODUCTION', `Order ${job.orderId} is ${job.status}; the floor reports only from IN_PRODUCTION to QUALITY_CHECK`, 409);
      }
      if (job.operatorId !== user.id && user.role !== 'manager') {
        throw new LoupeError('JOB_NOT_ASSIGNED', `Order ${job.orderId} is ${job.operatorId ? `assigned to ${job.operatorId}` : 'not assigned'}; take it first (POST /jobs/${job.orderId}/assign)`, 409);
      }
      checkTransition(job.orderId, job.status, to, 'mes');
      await setJobStatus(tx, job.orderId, to);
      await recordStep(tx, job.orderId, { from: job.status, to, operatorId: user.id, ...(note && { note }), ...(requestKey && { requestKey }) });
      const body: ProductionStatusMessage = { orderId: job.orderId, customerId: job.customerId, from: job.status, to, operatorId: user.id, ...(note && { note }) };
      await queue.publish(tx, routingKeys.productionStatus, { orderId: job.orderId, body, publisher: log });
      // Read back before commit, so the answer never needs the database once the change is made.
      return { change: { orderId: job.orderId, customerId: job.customerId, from: job.status, to }, job: await requireJob(tx, job.orderId) };
    });
    if ('change' in outcome) log.orderStatusChanged(outcome.change);
    else logRepeatedChange(log, outcome.job, outcome.earlier, outcome.requestKey);
    return outcome.job;
  });
};
