import type { Channel } from 'amqplib';
import { retryDelays, type DeliveryPolicy } from './message-queue.js';

/** Headers the workshop sets on messages it sends through RabbitMQ; the embedded queue keeps a message's waits under the same names. */
export const HEADER = {
  /** 1-based delivery attempt; a retry is a new message with this raised. */
  attempt: 'x-attempt',
  /** Deliveries that waited rather than failed (see `QueueMessage.waits`). */
  waits: 'x-waits',
  /** When the message was first found not ready, epoch ms. */
  waitingSince: 'x-waiting-since',
  /** The original routing key: a retry reaches the queue with the queue's name as its key. */
  routingKey: 'x-routing-key',
  orderId: 'x-order-id',
  deadLetterReason: 'x-dead-letter-reason',
} as const;

/** The dead-letter exchange beside a topic exchange: direct, keyed by the consumer's queue name. */
export function deadLetterExchangeOf(exchange: string): string {
  return `${exchange}.dead-letter`;
}

export interface ConsumerTopology {
  queue: string;
  deadLetterQueue: string;
  /** One queue per retry delay: its messages wait out the queue's TTL, then dead-letter back to `queue`. */
  retryQueues: ReadonlyMap<number, string>;
}

/**
 * The queues of one consumer. Retry queues are named by their delay, so changing the
 * retry options declares new queues instead of clashing with the old ones' arguments.
 */
export function consumerTopology(queue: string, policy: DeliveryPolicy): ConsumerTopology {
  const retryQueues = new Map<number, string>();
  for (const delayMs of retryDelays(policy)) retryQueues.set(delayMs, `${queue}.retry.${delayMs}ms`);
  return { queue, deadLetterQueue: `${queue}.dead-letter`, retryQueues };
}

/** The durable topic exchange and its dead-letter exchange. */
export async function declareExchanges(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(deadLetterExchangeOf(exchange), 'direct', { durable: true });
}

/** The consumer's durable queue bound to its keys, its dead-letter queue and its retry queues. */
export async function declareConsumerQueues(channel: Channel, exchange: string, topology: ConsumerTopology, bindingKeys: readonly string[]): Promise<void> {
  const deadLetterExchange = deadLetterExchangeOf(exchange);
  // What the broker itself rejects (an operator's reject, a length limit) lands in the dead-letter queue too.
  await channel.assertQueue(topology.queue, {
    durable: true,
    arguments: { 'x-dead-letter-exchange': deadLetterExchange, 'x-dead-letter-routing-key': topology.queue },
  });
  await channel.assertQueue(topology.deadLetterQueue, { durable: true });
  await channel.bindQueue(topology.deadLetterQueue, deadLetterExchange, topology.queue);
  for (const [delayMs, name] of topology.retryQueues) {
    await channel.assertQueue(name, {
      durable: true,
      arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': topology.queue },
    });
  }
  for (const key of bindingKeys) await channel.bindQueue(topology.queue, exchange, key);
}
