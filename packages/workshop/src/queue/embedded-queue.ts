import type { Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { startEmbeddedConsumer, toQueueMessage, type EmbeddedConsumer, type QueueMessageRow } from './embedded-consumer.js';
import { startEmbeddedRelay } from './embedded-relay.js';
import { deliveryPolicy, type MessageQueue } from './message-queue.js';
import { writeToOutbox } from './outbox.js';
import { DELIVERY_STATE_HEADERS } from './delivery.js';

export interface EmbeddedQueueOptions {
  db: Database;
  log: Logger;
  /** Full names (prefix included). */
  exchange: string;
  prefix: string;
  pollIntervalMs: number;
  maxErrorDelayMs: number;
  leaseMs?: number;
}

/**
 * The queue without a broker: the outbox relay routes messages into `queue_messages` by
 * the bindings in `queue_bindings`, and consumers poll their queue there. Any process on
 * the same PostgreSQL may publish or consume; PGlite serves one process.
 */
export function createEmbeddedQueue(options: EmbeddedQueueOptions): MessageQueue {
  const { db, log, exchange, prefix } = options;
  const consumers = new Set<EmbeddedConsumer>();
  const publishers = new Map<string, Logger>();
  const relay = startEmbeddedRelay({
    publishers,
    db,
    log,
    exchange,
    pollIntervalMs: options.pollIntervalMs,
    maxErrorDelayMs: options.maxErrorDelayMs,
    onRouted: () => consumers.forEach((consumer) => consumer.wake()),
  });

  return {
    publish: (tx, routingKey, message) => writeToOutbox(tx, exchange, routingKey, message, publishers),

    async consume(queue, bindingKeys, handler, consumeOptions) {
      const consumer = await startEmbeddedConsumer({
        db,
        log: consumeOptions?.log ?? log,
        exchange,
        queue: prefix + queue,
        bindingKeys,
        handler,
        policy: deliveryPolicy(consumeOptions),
        pollIntervalMs: options.pollIntervalMs,
        maxErrorDelayMs: options.maxErrorDelayMs,
        ...(options.leaseMs !== undefined && { leaseMs: options.leaseMs }),
      });
      consumers.add(consumer);
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },

    async deadLetters(queue) {
      const { rows } = await db.query<QueueMessageRow>(
        `SELECT id, message_id, routing_key, order_id, body, headers, attempt FROM queue_messages WHERE queue = $1 AND state = 'dead' ORDER BY id`,
        [prefix + queue],
      );
      return rows.map(toQueueMessage);
    },

    async replayDeadLetters(queue, messageIds) {
      const { rows } = await db.query<QueueMessageRow>(
        `UPDATE queue_messages SET state = 'ready', attempt = 0, available_at = now(), last_error = NULL,
           headers = headers - $3::text[]
         WHERE queue = $1 AND state = 'dead' AND ($2::text[] IS NULL OR message_id = ANY($2::text[]))
         RETURNING id, message_id, routing_key, order_id, body, headers, attempt`,
        [prefix + queue, messageIds ? [...messageIds] : null, DELIVERY_STATE_HEADERS],
      );
      consumers.forEach((consumer) => consumer.wake());
      // As their consumer will see them: the next claim makes them attempt 1.
      return rows.sort((a, b) => a.id - b.id).map((row) => toQueueMessage({ ...row, attempt: 1 }));
    },

    async close() {
      await relay.stop();
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
    },
  };
}
