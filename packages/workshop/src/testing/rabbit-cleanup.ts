import { connect } from 'amqplib';
import { consumerTopology, deadLetterExchangeOf, deliveryPolicy, type ConsumeOptions } from '../queue/index.js';

export interface RabbitTopologyToRemove {
  /** The full exchange name (prefix included). */
  exchange: string;
  /** Full queue names (prefix included) with the options they were consumed with. */
  consumers: readonly { queue: string; options?: ConsumeOptions }[];
}

/** Deletes what a test declared on the shared RabbitMQ: its queues (retry and dead-letter too) and exchanges. */
export async function removeRabbitTopology(url: string, topology: RabbitTopologyToRemove): Promise<void> {
  const connection = await connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const consumer of topology.consumers) {
      const names = consumerTopology(consumer.queue, deliveryPolicy(consumer.options));
      for (const name of [names.queue, names.deadLetterQueue, ...names.retryQueues.values()]) await channel.deleteQueue(name);
    }
    await channel.deleteExchange(topology.exchange);
    await channel.deleteExchange(deadLetterExchangeOf(topology.exchange));
  } finally {
    await connection.close();
  }
}
