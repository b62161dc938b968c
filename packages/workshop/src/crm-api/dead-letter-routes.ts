import type { FastifyPluginAsync } from 'fastify';
import { maskedPayload, type Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { QUEUE_HEADERS, type MessageQueue, type QueueMessage } from '../queue/index.js';
import { authenticate } from '../accounts/index.js';
import { errorSchema } from '../http/index.js';

export interface DeadLetterRoutesOptions {
  db: Database;
  queue: MessageQueue;
  log: Logger;
  /** The workshop's consumer queues, whose dead letters managers see and send back. */
  queues: readonly string[];
}

const security = [{ session: [] }];

const deadLetterSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    orderId: { type: 'string' },
    routingKey: { type: 'string' },
    attempts: { type: 'integer', description: 'Deliveries before it was dead-lettered' },
    reason: { type: 'string' },
    payload: { type: 'string', description: 'The body as JSON, personal data masked' },
  },
} as const;

function describeDeadLetter(message: QueueMessage) {
  const reason = message.headers[QUEUE_HEADERS.deadLetterReason];
  return {
    id: message.id,
    ...(message.orderId !== undefined && { orderId: message.orderId }),
    routingKey: message.routingKey,
    attempts: message.attempt,
    ...(reason !== undefined && { reason: String(reason) }),
    ...(message.body !== undefined && { payload: maskedPayload(message.body) }),
  };
}

/**
 * Managers' view of the messages the workshop's consumers gave up on (R12), and the way to
 * send them back once the cause is fixed: `GET /dead-letters`, `POST /dead-letters/replay`.
 */
export const deadLetterRoutes: FastifyPluginAsync<DeadLetterRoutesOptions> = async (app, { db, queue, log, queues }) => {
  app.addHook('preHandler', authenticate({ db, roles: ['manager'] }));
  const queueName = { type: 'string', enum: [...queues] } as const;

  app.get<{ Querystring: { queue?: string } }>('/dead-letters', {
    schema: {
      summary: 'Dead-lettered messages of the workshop\'s queues, oldest first (managers only)',
      tags: ['queue'],
      security,
      querystring: { type: 'object', additionalProperties: false, properties: { queue: queueName } },
      response: {
        200: { type: 'object', properties: { queues: { type: 'array', items: { type: 'object', properties: { queue: { type: 'string' }, messages: { type: 'array', items: deadLetterSchema } } } } } },
        401: errorSchema, 403: errorSchema, 503: errorSchema,
      },
    },
  }, async (request) => {
    const names = request.query.queue ? [request.query.queue] : queues;
    const listed = [];
    for (const name of names) listed.push({ queue: name, messages: (await queue.deadLetters(name)).map(describeDeadLetter) });
    return { queues: listed };
  });

  app.post<{ Body: { queue: string; messageIds?: string[] } }>('/dead-letters/replay', {
    schema: {
      summary: 'Send dead letters back to their queue as first deliveries: those named, or all (managers only)',
      tags: ['queue'],
      security,
      body: {
        type: 'object',
        required: ['queue'],
        additionalProperties: false,
        properties: { queue: queueName, messageIds: { type: 'array', minItems: 1, maxItems: 1_000, items: { type: 'string', minLength: 1, maxLength: 200 } } },
      },
      response: {
        200: { type: 'object', properties: { queue: { type: 'string' }, replayed: { type: 'array', items: deadLetterSchema } } },
        400: errorSchema, 401: errorSchema, 403: errorSchema, 503: errorSchema,
      },
    },
  }, async (request) => {
    const { queue: name, messageIds } = request.body;
    const replayed = await queue.replayDeadLetters(name, messageIds);
    for (const message of replayed) {
      log.info(`Message ${message.id}${message.orderId ? ` of order ${message.orderId}` : ''} sent back from the dead-letter queue of ${name} by ${request.user!.id}`, {
        'message.id': message.id,
        'message.queue': name,
        'message.routing_key': message.routingKey,
        'user.id': request.user!.id,
        ...(message.orderId !== undefined && { 'order.id': message.orderId }),
      });
    }
    return { queue: name, replayed: replayed.map(describeDeadLetter) };
  });
};
