import type { Logger } from '@loupe/log';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTransientDatabaseError, type Database } from '../db/index.js';
import { logDeadLettered, runHandler, waitHeaders, waitsFromHeaders } from './delivery.js';
import { DEFAULT_LEASE_MS, type DeliveryPolicy, type QueueMessage } from './message-queue.js';
import { logLoopError } from './outbox.js';
import { startPollLoop } from './poll-loop.js';

export interface EmbeddedConsumerOptions {
  db: Database;
  log: Logger;
  exchange: string;
  /** The queue's full name (prefix included). */
  queue: string;
  bindingKeys: readonly string[];
  handler: (message: QueueMessage) => Promise<void>;
  policy: DeliveryPolicy;
  pollIntervalMs: number;
  maxErrorDelayMs: number;
  /** See `DEFAULT_LEASE_MS`: a consumer that died gives its messages up this long after its last renewal. */
  leaseMs?: number;
}

export interface EmbeddedConsumer {
  wake(): void;
  stop(): Promise<void>;
}

const HAS_READY = `SELECT 1 FROM queue_messages WHERE queue = $1 AND state = 'ready' AND available_at <= now() LIMIT 1`;

const CLAIM = `UPDATE queue_messages SET attempt = attempt + 1, available_at = now() + ($3::int * interval '1 millisecond')
WHERE id IN (
  SELECT id FROM queue_messages WHERE queue = $1 AND state = 'ready' AND available_at <= now()
  ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
) RETURNING id, message_id, routing_key, order_id, body, headers, attempt`;

// Each outcome names the delivery it settles (id and attempt), so a late answer after the
// lease ran out cannot settle the next delivery of the same message.
const ACK = 'DELETE FROM queue_messages WHERE id = $1 AND attempt = $2';
const RENEW = `UPDATE queue_messages AS m SET available_at = now() + ($3::int * interval '1 millisecond')
FROM unnest($1::bigint[], $2::int[]) AS held (id, attempt) WHERE m.id = held.id AND m.attempt = held.attempt`;
const RETRY = `UPDATE queue_messages SET available_at = now() + ($3::int * interval '1 millisecond'), last_error = $4,
  headers = headers || $5::text::jsonb WHERE id = $1 AND attempt = $2`;
const DEAD_LETTER = `UPDATE queue_messages SET state = 'dead', last_error = $3,
  headers = headers || jsonb_build_object('x-dead-letter-reason', $3::text) WHERE id = $1 AND attempt = $2`;

/** A row of `queue_messages` as the consumer reads it. */
export interface QueueMessageRow {
  id: number;
  message_id: string;
  routing_key: string;
  order_id: string | null;
  body: unknown;
  headers: Record<string, unknown>;
  attempt: number;
}

export function toQueueMessage(row: QueueMessageRow): QueueMessage {
  return {
    id: row.message_id,
    routingKey: row.routing_key,
    ...(row.order_id !== null && { orderId: row.order_id }),
    body: row.body,
    attempt: row.attempt,
    // A lease that ran out counts as a failed attempt.
    ...waitsFromHeaders(row.headers, row.attempt),
    headers: row.headers,
  };
}

/** Declares the queue's bindings (kept, like a durable queue) and starts polling it. */
export async function startEmbeddedConsumer(options: EmbeddedConsumerOptions): Promise<EmbeddedConsumer> {
  const { db, log, queue, policy } = options;
  await db.query(
    'INSERT INTO queue_bindings (exchange, queue, pattern) SELECT $1, $2, unnest($3::text[]) ON CONFLICT DO NOTHING',
    [options.exchange, queue, [...options.bindingKeys]],
  );
  const running = new Set<Promise<void>>();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // The deliveries this consumer holds (row id → attempt), their leases renewed until their outcome is written.
  const held = new Map<number, number>();
  let renewing: Promise<unknown> = Promise.resolve();
  const renewal = setInterval(() => {
    if (held.size === 0) return;
    // A failed renewal is logged by the database layer; the next one tries again.
    renewing = db.query(RENEW, [[...held.keys()], [...held.values()], leaseMs]).catch(() => undefined);
  }, Math.max(10, Math.floor(leaseMs / 3)));
  renewal.unref();

  const stopping = new AbortController();

  /**
   * Writes a delivery's outcome. While the database is unreachable it tries again (each try
   * logged by the database layer, R2 / R3) until the write lands or the consumer stops:
   * otherwise the message would stay hidden until its lease ran out, minutes after the
   * database came back.
   */
  async function record(sql: string, params: unknown[], context: { orderId?: string; log: Logger }): Promise<void> {
    for (let round = 0; ; round++) {
      try {
        await db.query(sql, params, context);
        return;
      } catch (error) {
        if (stopping.signal.aborted || !isTransientDatabaseError(error)) throw error;
        await sleep(Math.min(options.maxErrorDelayMs, 200 * 2 ** round), undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  }

  async function settle(row: QueueMessageRow): Promise<void> {
    const message = toQueueMessage(row);
    // Logged as the consuming service's: the statements carry the order's id.
    const context = { orderId: message.orderId, log };
    const verdict = await runHandler(log, queue, message, options.handler, policy);
    // No renewal may land after the outcome: it would push a retry's delay out to a whole lease.
    held.delete(row.id);
    await renewing;
    if (verdict.action === 'ack') {
      await record(ACK, [row.id, row.attempt], context);
    } else if (verdict.action === 'retry') {
      await record(RETRY, [row.id, row.attempt, verdict.delayMs, verdict.error, JSON.stringify(waitHeaders(verdict))], context);
    } else {
      await record(DEAD_LETTER, [row.id, row.attempt, verdict.reason], context);
      logDeadLettered(log, message, verdict.reason);
    }
  }

  const loop = startPollLoop(
    async () => {
      const free = policy.prefetch - running.size;
      if (free <= 0 || !(await db.query(HAS_READY, [queue])).rows.length) return false;
      const claimed = await db.query<QueueMessageRow>(CLAIM, [queue, free, leaseMs]);
      for (const row of claimed.rows.sort((a, b) => a.id - b.id)) {
        held.set(row.id, row.attempt);
        const delivery: Promise<void> = settle(row)
          .catch((error: unknown) => logLoopError(log, error))
          .finally(() => {
            held.delete(row.id);
            running.delete(delivery);
            loop.wake();
          });
        running.add(delivery);
      }
      return claimed.rows.length > 0;
    },
    { intervalMs: options.pollIntervalMs, maxErrorDelayMs: options.maxErrorDelayMs, onError: (error) => logLoopError(log, error) },
  );

  return {
    wake: () => loop.wake(),
    async stop() {
      stopping.abort();
      await loop.stop();
      await Promise.allSettled([...running]);
      clearInterval(renewal);
    },
  };
}
