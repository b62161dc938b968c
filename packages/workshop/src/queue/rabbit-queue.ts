import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { deliveryPolicy, type MessageQueue, type QueueMessage } from './message-queue.js';
import { writeToOutbox } from './outbox.js';
import { BrokerConnection } from './rabbit-connection.js';
import { startRabbitConsumer, toQueueMessage } from './rabbit-consumer.js';
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
}

// deadLetters() reads at most this many messages: it is for tests and a first look, not an export.
const MAX_DEAD_LETTERS_READ = 1_000;

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
  const relay = startRabbitRelay({ db, log, publishers, connection, exchange, pollIntervalMs: options.pollIntervalMs, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs });
  const consumers = new Set<{ stop(): Promise<void> }>();

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

    async deadLetters(queue) {
      const model = connection.model;
      if (!model) throw new LoupeError('QUEUE_BROKER_DOWN', `Not connected to RabbitMQ at ${connection.endpoint}; try again once it is back`, 503);
      const name = `${prefix}${queue}.dead-letter`;
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      const messages: QueueMessage[] = [];
      try {
        // Read without acknowledging: closing the channel puts every message back.
        for (let i = 0; i < MAX_DEAD_LETTERS_READ; i++) {
          const delivery = await channel.get(name, { noAck: false });
          if (!delivery) break;
          messages.push(toQueueMessage(delivery).message);
        }
      } catch (error) {
        // A queue never consumed has no dead-letter queue yet: nothing was dead-lettered.
        if ((error as { code?: unknown }).code !== 404) throw error;
        return [];
      } finally {
        await channel.close().catch(() => undefined);
      }
      return messages;
    },

    async close() {
      await relay.stop();
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
      await connection.close();
    },
  };
}
