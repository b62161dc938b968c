import type { ConfirmChannel } from 'amqplib';
import { describeFailure, publishWithLog, withRetry, type Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';
import { inMessageTrace, logLoopError, OUTBOX_COLUMNS, outboxHasWork, publisherLog, toOutboxMessages, type OutboxMessage, type OutboxRow } from './outbox.js';
import { startPollLoop, type PollLoop } from './poll-loop.js';
import type { BrokerConnection } from './rabbit-connection.js';
import { HEADER } from './rabbit-topology.js';

export interface RabbitRelayOptions {
  db: Database;
  log: Logger;
  /** Publishers' loggers by service name (see `publisherLog`). */
  publishers: ReadonlyMap<string, Logger>;
  connection: BrokerConnection;
  exchange: string;
  pollIntervalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claim on outbox rows outlives its last renewal (renewed a few times a claim while a round runs). */
  claimMs: number;
}

// Messages published per round before waiting for the broker's confirms.
const BATCH_SIZE = 100;
// Publish attempts per round; a failed round logs R3, leaves the rest in the outbox and starts over.
const ATTEMPTS_PER_ROUND = 8;

// Claiming lets several processes relay one outbox without sending a message twice. An
// order's message is not claimed while an earlier one of the same order is claimed by
// another relay (or by one that died, until its claim runs out), so an order's messages
// leave in the order they were written. A live relay renews its claim while its round runs,
// so a relay that died gives its messages up one claim time (`claimMs`) after it stopped.
const RENEW = `UPDATE outbox SET claimed_until = now() + ($2::int * interval '1 millisecond') WHERE id = ANY($1::bigint[])`;
const CLAIM = `UPDATE outbox SET claimed_until = now() + ($3::int * interval '1 millisecond')
WHERE id IN (
  SELECT id FROM outbox AS o WHERE exchange = $1 AND (claimed_until IS NULL OR claimed_until < now())
    AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.order_id = o.order_id AND earlier.id < o.id AND earlier.claimed_until >= now())
  ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
) RETURNING ${OUTBOX_COLUMNS}`;

function confirmPublish(channel: ConfirmChannel, exchange: string, message: OutboxMessage, traceHeaders: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(
      exchange,
      message.routingKey,
      Buffer.from(JSON.stringify(message.body)),
      {
        persistent: true,
        // Unroutable messages come back (logged) instead of vanishing silently.
        mandatory: true,
        contentType: 'application/json',
        messageId: message.messageId,
        timestamp: Math.floor(Date.now() / 1000),
        headers: {
          ...traceHeaders,
          [HEADER.attempt]: 1,
          [HEADER.routingKey]: message.routingKey,
          ...(message.orderId !== undefined && { [HEADER.orderId]: message.orderId }),
        },
      },
      (error: unknown) => (error ? reject(error instanceof Error ? error : new LoupeError('QUEUE_NACKED', `RabbitMQ refused message ${message.messageId}`, 503)) : resolve()),
    );
  });
}

/**
 * The outbox relay for RabbitMQ: claims pending rows in order, publishes them on a confirm
 * channel (R11 / R13 per message, in the publisher's trace), and deletes a row only once the
 * broker confirmed it. While the broker is down it retries with backoff (R2, R3 per round)
 * and the messages wait in the outbox. A crash between confirm and delete sends a message
 * again: delivery is at least once.
 */
export function startRabbitRelay(options: RabbitRelayOptions): PollLoop {
  const { db, log, connection, exchange } = options;
  const call = { target: 'amqp', method: 'publish', endpoint: `${connection.endpoint} ${exchange}` };

  async function publishUnconfirmed(messages: readonly OutboxMessage[], confirmed: Set<number>, failedOnce: Set<number>): Promise<void> {
    const channel = connection.publisher;
    if (!channel) throw new LoupeError('QUEUE_BROKER_DOWN', `Not connected to RabbitMQ at ${connection.endpoint}; reconnecting`, 503);
    const pending = messages.filter((message) => !confirmed.has(message.id));
    // Sent in order on one channel; the confirms come back in any order.
    const results = await Promise.allSettled(
      pending.map((message) =>
        inMessageTrace(message, () =>
          publishWithLog(publisherLog(options.publishers, message, log), { messageId: message.messageId, routingKey: message.routingKey, orderId: message.orderId, payload: message.body }, (headers) =>
            confirmPublish(channel, exchange, message, headers),
          ),
        ),
      ),
    );
    results.forEach((result, i) => (result.status === 'fulfilled' ? confirmed : failedOnce).add(pending[i]!.id));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  async function relayRound(stopping: AbortSignal): Promise<boolean> {
    if (!(await outboxHasWork(db, exchange))) return false;
    const claimed = await db.query<OutboxRow>(CLAIM, [exchange, BATCH_SIZE, options.claimMs]);
    const messages = toOutboxMessages(claimed.rows);
    if (messages.length === 0) return false;
    const ids = messages.map((message) => message.id);
    // A failed renewal is logged by the database layer; the next one tries again.
    let renewing: Promise<unknown> = Promise.resolve();
    const renewal = setInterval(() => (renewing = db.query(RENEW, [ids, options.claimMs]).catch(() => undefined)), Math.max(10, Math.floor(options.claimMs / 3)));
    renewal.unref();
    const confirmed = new Set<number>();
    // Messages whose publish was tried and failed: their R13 line is written already.
    const failedOnce = new Set<number>();
    let sentAll = false;
    try {
      await withRetry(log, call, () => publishUnconfirmed(messages, confirmed, failedOnce), {
        attempts: ATTEMPTS_PER_ROUND,
        baseDelayMs: options.baseDelayMs,
        maxDelayMs: options.maxDelayMs,
        // On stop the retries end, so the claims below are released now rather than held for CLAIM_MS after the process is gone.
        signal: stopping,
      });
      sentAll = true;
    } catch (error) {
      // withRetry logged R3; the unconfirmed messages are released below and tried again. Each
      // one never tried (no connection) gets its R13 line too, so its order's journey shows the wait.
      const failure = describeFailure(error);
      for (const message of messages) {
        if (confirmed.has(message.id) || failedOnce.has(message.id)) continue;
        publisherLog(options.publishers, message, log).messageFailed({
          operation: 'publish', messageId: message.messageId, routingKey: message.routingKey, orderId: message.orderId,
          errorCode: failure.errorCode ?? 'PUBLISH_FAILED', errorMessage: `${failure.errorMessage}; it waits in the outbox and is sent once RabbitMQ is back`,
        });
      }
    } finally {
      // No renewal may land after the release below: it would hold the unsent messages for a whole claim.
      clearInterval(renewal);
      await renewing;
    }
    if (confirmed.size > 0) await db.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [[...confirmed]]);
    const unsent = messages.filter((message) => !confirmed.has(message.id)).map((message) => message.id);
    if (unsent.length > 0) await db.query('UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])', [unsent]);
    return sentAll;
  }

  return startPollLoop(relayRound, {
    intervalMs: options.pollIntervalMs,
    maxErrorDelayMs: options.maxDelayMs,
    onError: (error) => logLoopError(log, error),
  });
}
