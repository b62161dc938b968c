import type { ChannelModel, ConfirmChannel, ConsumeMessage, Message, Options } from 'amqplib';
import { describeFailure, type Logger } from '@loupe/log';
import { logDeadLettered, runHandler, waitHeaders, waitsFromHeaders, type Verdict } from './delivery.js';
import type { DeliveryPolicy, QueueMessage } from './message-queue.js';
import type { BrokerConnection } from './rabbit-connection.js';
import { deadLetterExchangeOf, declareConsumerQueues, declareExchanges, HEADER, type ConsumerTopology } from './rabbit-topology.js';

export interface RabbitConsumerOptions {
  connection: BrokerConnection;
  log: Logger;
  exchange: string;
  topology: ConsumerTopology;
  bindingKeys: readonly string[];
  handler: (message: QueueMessage) => Promise<void>;
  policy: DeliveryPolicy;
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** A delivery as the workshop sees it; `body` is undefined when the content is not JSON. */
export function toQueueMessage(delivery: Message): { message: QueueMessage; parsed: boolean } {
  const headers: Record<string, unknown> = { ...(delivery.properties.headers ?? {}) };
  let body: unknown;
  let parsed = true;
  try {
    body = JSON.parse(delivery.content.toString('utf8'));
  } catch {
    parsed = false;
  }
  const orderId = headerText(headers, HEADER.orderId);
  const attempt = Math.max(1, Number(headers[HEADER.attempt]) || 1);
  const message: QueueMessage = {
    id: typeof delivery.properties.messageId === 'string' ? delivery.properties.messageId : `delivery-${delivery.fields.deliveryTag}`,
    routingKey: headerText(headers, HEADER.routingKey) ?? delivery.fields.routingKey,
    ...(orderId !== undefined && { orderId }),
    body,
    attempt,
    ...waitsFromHeaders(headers, attempt),
    headers,
  };
  return { message, parsed };
}

/** Sends a copy of `delivery` (same body and properties, these headers) and resolves once the broker confirmed it. */
export function sendConfirmed(channel: ConfirmChannel, exchange: string, routingKey: string, delivery: Message, headers: Record<string, unknown>): Promise<void> {
  const properties: Options.Publish = {
    persistent: true,
    contentType: delivery.properties.contentType as string | undefined,
    messageId: delivery.properties.messageId as string | undefined,
    timestamp: delivery.properties.timestamp as number | undefined,
    headers,
  };
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, delivery.content, properties, (error: unknown) => (error ? reject(error) : resolve()));
  });
}

/**
 * Consumes one queue with manual acknowledgements. A failed message is sent on to the retry
 * queue of its delay (it comes back when the TTL runs out) or, after the last attempt, to
 * the dead-letter queue; the original is acknowledged only once that copy is confirmed.
 * Set up again after every reconnection.
 */
export async function startRabbitConsumer(options: RabbitConsumerOptions): Promise<{ stop(): Promise<void> }> {
  const { connection, log, exchange, topology, policy } = options;
  const running = new Set<Promise<void>>();
  let current: { channel: ConfirmChannel; consumerTag: string } | undefined;
  let stopping = false;

  async function settle(channel: ConfirmChannel, delivery: ConsumeMessage): Promise<void> {
    const { message, parsed } = toQueueMessage(delivery);
    const verdict: Verdict = parsed
      ? await runHandler(log, topology.queue, message, options.handler, policy)
      : { action: 'dead-letter', reason: 'The body is not JSON' };
    // The copy travels under another routing key: the original one goes in a header.
    const headers = { ...message.headers, [HEADER.routingKey]: message.routingKey };
    try {
      if (verdict.action === 'retry') {
        const retryQueue = topology.retryQueues.get(verdict.delayMs)!;
        await sendConfirmed(channel, '', retryQueue, delivery, {
          ...headers,
          [HEADER.attempt]: message.attempt + 1,
          ...waitHeaders(verdict),
        });
      } else if (verdict.action === 'dead-letter') {
        await sendConfirmed(channel, deadLetterExchangeOf(exchange), topology.queue, delivery, { ...headers, [HEADER.deadLetterReason]: verdict.reason });
      }
      channel.ack(delivery);
      if (verdict.action === 'dead-letter') logDeadLettered(log, message, verdict.reason);
    } catch (error) {
      // Not acknowledged: the broker delivers the message again once the channel is back.
      const failure = describeFailure(error);
      log.messageFailed({
        operation: verdict.action,
        messageId: message.id,
        orderId: message.orderId,
        routingKey: message.routingKey,
        errorCode: failure.errorCode ?? 'SETTLE_FAILED',
        errorMessage: failure.errorMessage,
      });
    }
  }

  async function setup(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (current?.channel === channel) current = undefined;
      if (!stopping) connection.reset(model, `the channel of queue ${topology.queue} closed`);
    });
    await declareExchanges(channel, exchange);
    await declareConsumerQueues(channel, exchange, topology, options.bindingKeys);
    await channel.prefetch(policy.prefetch);
    const { consumerTag } = await channel.consume(topology.queue, (delivery) => {
      if (!delivery) {
        connection.reset(model, `RabbitMQ cancelled the consumer of queue ${topology.queue}`);
        return;
      }
      const handled: Promise<void> = settle(channel, delivery).finally(() => running.delete(handled));
      running.add(handled);
    });
    current = { channel, consumerTag };
  }

  const unregister = await connection.register(setup);
  return {
    async stop() {
      stopping = true;
      unregister();
      const live = current;
      if (live) await live.channel.cancel(live.consumerTag).catch(() => undefined);
      await Promise.allSettled([...running]);
      if (live) await live.channel.close().catch(() => undefined);
    },
  };
}
