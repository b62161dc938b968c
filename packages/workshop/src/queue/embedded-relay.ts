import { publishWithLog, type Logger } from '@loupe/log';
import type { Database } from '../db/index.js';
import { inMessageTrace, logLoopError, OUTBOX_COLUMNS, outboxHasWork, publisherLog, toOutboxMessages, type OutboxMessage, type OutboxRow } from './outbox.js';
import { startPollLoop, type PollLoop } from './poll-loop.js';
import { compileTopicPattern } from './topic-pattern.js';

export interface EmbeddedRelayOptions {
  db: Database;
  log: Logger;
  /** Publishers' loggers by service name (see `publisherLog`). */
  publishers: ReadonlyMap<string, Logger>;
  exchange: string;
  pollIntervalMs: number;
  maxErrorDelayMs: number;
  /** Told after messages reached their queues, so consumers in this process look at once. */
  onRouted: () => void;
}

// Messages moved per transaction: enough to drain a burst quickly, short enough to hold few locks.
const BATCH_SIZE = 100;

const TAKE_BATCH = `DELETE FROM outbox WHERE id IN (
  SELECT id FROM outbox WHERE exchange = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
) RETURNING ${OUTBOX_COLUMNS}`;

const ENQUEUE = `INSERT INTO queue_messages (queue, message_id, routing_key, order_id, body, headers)
SELECT queue, $2, $3, $4, $5::text::jsonb, $6::text::jsonb FROM unnest($1::text[]) AS queue
ON CONFLICT (queue, message_id) DO NOTHING`;

interface Route {
  queue: string;
  matches: (routingKey: string) => boolean;
}

async function loadRoutes(tx: Database, exchange: string): Promise<Route[]> {
  const { rows } = await tx.query<{ queue: string; pattern: string }>('SELECT queue, pattern FROM queue_bindings WHERE exchange = $1', [exchange]);
  return rows.map((row) => ({ queue: row.queue, matches: compileTopicPattern(row.pattern) }));
}

/**
 * The outbox relay of the PostgreSQL-backed queue: moves committed outbox rows, in order,
 * into `queue_messages`, one copy per queue bound to a matching key, in one transaction,
 * so a message is routed exactly once. Logs R11 per message, in the publisher's trace.
 */
export function startEmbeddedRelay(options: EmbeddedRelayOptions): PollLoop {
  const { db, log, exchange } = options;

  async function route(tx: Database, message: OutboxMessage, routes: readonly Route[]): Promise<void> {
    const queues = [...new Set(routes.filter((r) => r.matches(message.routingKey)).map((r) => r.queue))];
    const description = { messageId: message.messageId, routingKey: message.routingKey, orderId: message.orderId, payload: message.body };
    const publisher = publisherLog(options.publishers, message, log);
    await inMessageTrace(message, () =>
      publishWithLog(publisher, description, async (headers) => {
        if (queues.length === 0) {
          log.warn(`Message ${message.messageId} to ${message.routingKey} matched no queue bound to ${exchange}: dropped`, {
            'message.id': message.messageId,
            'message.routing_key': message.routingKey,
            ...(message.orderId !== undefined && { 'order.id': message.orderId }),
          });
          return;
        }
        const params = [queues, message.messageId, message.routingKey, message.orderId ?? null, JSON.stringify(message.body), JSON.stringify(headers)];
        // Logged as the publisher's, like the R11 line: the statement carries the order's id.
        await tx.query(ENQUEUE, params, { orderId: message.orderId, log: publisher });
      }),
    );
  }

  return startPollLoop(
    async () => {
      if (!(await outboxHasWork(db, exchange))) return false;
      const moved = await db.transaction(async (tx) => {
        const taken = await tx.query<OutboxRow>(TAKE_BATCH, [exchange, BATCH_SIZE]);
        if (taken.rows.length === 0) return 0;
        const routes = await loadRoutes(tx, exchange);
        for (const message of toOutboxMessages(taken.rows)) await route(tx, message, routes);
        return taken.rows.length;
      });
      if (moved > 0) options.onRouted();
      return moved > 0;
    },
    { intervalMs: options.pollIntervalMs, maxErrorDelayMs: options.maxErrorDelayMs, onError: (error) => logLoopError(log, error) },
  );
}
