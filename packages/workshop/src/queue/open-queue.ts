import { LoupeError } from '@loupe/schema';
import { createEmbeddedQueue } from './embedded-queue.js';
import { DEFAULT_LEASE_MS, type MessageQueue, type OpenQueueOptions } from './message-queue.js';
import { createRabbitQueue } from './rabbit-queue.js';

/**
 * Opens the workshop's message queue: RabbitMQ at `url`, or the PostgreSQL-backed queue in
 * `db` when there is none. Either way messages leave through the outbox in `db`, so
 * `db` must have been opened with `workshopMigrations`. Starts the outbox relay.
 */
export async function openQueue(options: OpenQueueOptions): Promise<MessageQueue> {
  const { db, log, url } = options;
  const { rows } = await db.query<{ outbox: string | null }>(`SELECT to_regclass('outbox')::text AS outbox`);
  if (!rows[0]?.outbox) {
    throw new LoupeError('QUEUE_NO_OUTBOX', 'The database has no outbox table: open it with workshopMigrations (from db/migrations.ts) among its migrations', 500);
  }
  const prefix = options.prefix ?? '';
  const exchange = prefix + (options.exchange ?? 'workshop');
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const baseDelayMs = options.reconnect?.baseDelayMs ?? 200;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 5_000;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  if (url) return createRabbitQueue({ url, db, log, exchange, prefix, pollIntervalMs, baseDelayMs, maxDelayMs, leaseMs });
  return createEmbeddedQueue({ db, log, exchange, prefix, pollIntervalMs, maxErrorDelayMs: maxDelayMs, leaseMs });
}
