import type { ChannelModel, ConfirmChannel, GetMessage } from 'amqplib';
import { LoupeError } from '@loupe/schema';
import type { QueueMessage } from './message-queue.js';
import { sendConfirmed, toQueueMessage } from './rabbit-consumer.js';
import { DELIVERY_STATE_HEADERS } from './delivery.js';
import { HEADER } from './rabbit-topology.js';

// Dead letters read or replayed per call: this is an operator's tool, not an export.
const MAX_DEAD_LETTERS = 1_000;

/** A queue never consumed has no dead-letter queue yet: nothing was dead-lettered. */
function isMissingQueue(error: unknown): boolean {
  return (error as { code?: unknown }).code === 404;
}

/**
 * Calls `visit` with each message of the dead-letter queue `name`, oldest first, without
 * acknowledging: when the channel closes, every message not acknowledged by `visit` goes back.
 * Returns false when the queue does not exist.
 */
async function visitDeadLetters(model: ChannelModel, name: string, visit: (channel: ConfirmChannel, delivery: GetMessage) => Promise<void>): Promise<boolean> {
  const channel = await model.createConfirmChannel();
  channel.on('error', () => undefined);
  try {
    for (let i = 0; i < MAX_DEAD_LETTERS; i++) {
      const delivery = await channel.get(name, { noAck: false });
      if (!delivery) break;
      await visit(channel, delivery);
    }
    return true;
  } catch (error) {
    if (isMissingQueue(error)) return false;
    throw error;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** The messages of a consumer's dead-letter queue, left where they are. */
export async function readDeadLetters(model: ChannelModel, queue: string): Promise<QueueMessage[]> {
  const messages: QueueMessage[] = [];
  await visitDeadLetters(model, `${queue}.dead-letter`, async (_channel, delivery) => void messages.push(toQueueMessage(delivery).message));
  return messages;
}

/**
 * Sends dead letters back to `queue` (through the default exchange, straight to it) as first
 * deliveries, each acknowledged in the dead-letter queue only once the broker confirmed its copy.
 */
export async function replayDeadLetters(model: ChannelModel, queue: string, messageIds?: readonly string[]): Promise<QueueMessage[]> {
  const wanted = messageIds && new Set(messageIds);
  const replayed: QueueMessage[] = [];
  const found = await visitDeadLetters(model, `${queue}.dead-letter`, async (channel, delivery) => {
    const { message } = toQueueMessage(delivery);
    if (wanted && !wanted.has(message.id)) return;
    const headers: Record<string, unknown> = { ...message.headers, [HEADER.attempt]: 1, [HEADER.routingKey]: message.routingKey };
    for (const name of DELIVERY_STATE_HEADERS) delete headers[name];
    await sendConfirmed(channel, '', queue, delivery, headers);
    channel.ack(delivery);
    const { waitingSince: _waited, ...rest } = message;
    replayed.push({ ...rest, attempt: 1, waits: 0, headers });
  });
  if (!found) throw new LoupeError('QUEUE_NOT_FOUND', `Queue "${queue}" has no dead-letter queue on this broker: no consumer of that name ever ran`, 404);
  return replayed;
}
