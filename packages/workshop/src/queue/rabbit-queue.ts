import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { deliveryPolicy, type MessageQueue } from './message-queue.js';
import { writeToOutbox } from './outbox.js';
import { BrokerConnection } from './rabbit-connection.js';
import { startRabbitConsumer } from './rabbit-consumer.js';
import { readDeadLetters, replayDeadLetters } from './rabbit-dead-letters.js';
import { startRabbitRelay } from './rabbit-relay.js';
import { consumerTopology, declareExchanges } from './rabbit-topology.js';

export interface RabbitQueueOptions {
  url: string;
  db: Database;
  log: Logger;
  /** Full names (prefix included). */
  exchange: string;
  prefix: string;
  pollIntervalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long the relay's claim on outbox rows outlives its last renewal. */
  leaseMs: number;
}


/**
 * The queue on RabbitMQ: messages go from the outbox to a durable topic exchange through
 * the relay; each consumer has a durable queue, retry queues and a dead-letter queue.
 */
export async function createRabbitQueue(options: RabbitQueueOptions): Promise<MessageQueue> {
  const { db, log, exchange, prefix } = options;
  const connection = new BrokerConnection({ url: options.url, log, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs });
  await connection.start();
  // The exchange exists before the relay publishes, even if no consumer was set up yet.
  await connection.register((model) => model.createChannel().then(async (channel) => {
    channel.on('error', () => undefined);
    await declareExchanges(channel, exchange);
    await channel.close();
  }));
  const publishers = new Map<string, Logger>();
  const relay = startRabbitRelay({
    db, log, publishers, connection, exchange, pollIntervalMs: options.pollIntervalMs, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs, claimMs: options.leaseMs,
  });
  const consumers = new Set<{ stop(): Promise<void> }>();
  const connectedModel = () => {
    const model = connection.model;
    if (!model) throw new LoupeError('QUEUE_BROKER_DOWN', `Not connected to RabbitMQ at ${connection.endpoint}; try again once it is back`, 503);
    return model;
  };

  return {
    publish: (tx, routingKey, message) => writeToOutbox(tx, exchange, routingKey, message, publishers),

    async consume(queue, bindingKeys, handler, consumeOptions) {
      const policy = deliveryPolicy(consumeOptions);
      const consumer = await startRabbitConsumer({ connection, log: consumeOptions?.log ?? log, exchange, topology: consumerTopology(prefix + queue, policy), bindingKeys, handler, policy });
      consumers.add(consumer);
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },

    deadLetters: (queue) => readDeadLetters(connectedModel(), prefix + queue),

    replayDeadLetters: (queue, messageIds) => replayDeadLetters(connectedModel(), prefix + queue, messageIds),

    async close() {
      await relay.stop();
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      await connection.close();
    },
  };
}
