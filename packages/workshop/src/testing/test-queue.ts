import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { Logger, MemoryDestination } from '@loupe/log';
import { openDatabase, workshopMigrations, type Database } from '../db/index.js';
import { openQueue, type ConsumeOptions, type MessageQueue, type QueueMessage } from '../queue/index.js';
import { removeRabbitTopology } from './rabbit-cleanup.js';
import { requireServer } from './serverProbes.js';
import { testDatabaseTarget, type TestDatabaseTarget, type TestEngine } from './test-database.js';
import { createTestLog } from './test-log.js';

/** Where a queue test runs: the embedded queue on an engine, or RabbitMQ with an engine for the outbox. */
export interface QueueBackend {
  name: string;
  engine: TestEngine;
  broker: boolean;
}

export const queueBackends: readonly QueueBackend[] = [
  { name: 'the embedded queue on PGlite', engine: 'pglite', broker: false },
  { name: 'the embedded queue on PostgreSQL', engine: 'postgres', broker: false },
  { name: 'RabbitMQ with PostgreSQL', engine: 'postgres', broker: true },
];

export interface TestQueue {
  db: Database;
  /** Where `db` lives, to open another handle on the same database (through a proxy, say). */
  target: TestDatabaseTarget;
  queue: MessageQueue;
  log: Logger;
  lines: MemoryDestination;
  /** The run's prefix, before every exchange and queue name. */
  prefix: string;
  /** `queue.consume`, remembering the queue so the test's topology is removed at the end. */
  consume(queue: string, bindingKeys: string[], handler: (message: QueueMessage) => Promise<void>, options?: ConsumeOptions): Promise<{ stop(): Promise<void> }>;
}

/**
 * A queue of the test's own: a fresh database (schema) and, on RabbitMQ, names under a
 * unique prefix, all removed when the test ends. Short delays keep the test fast.
 * Undefined when a server the backend needs is not reachable (the test is skipped).
 */
export async function openTestQueue(
  t: TestContext,
  backend: QueueBackend,
  options: { amqpUrl?: string; databaseUrl?: string; leaseMs?: number } = {},
): Promise<TestQueue | undefined> {
  const target = await testDatabaseTarget(t, backend.engine);
  if (!target) return undefined;
  const brokerUrl = backend.broker ? await requireServer(t, 'rabbitmq') : undefined;
  if (backend.broker && !brokerUrl) return undefined;
  const { log, lines } = createTestLog({ level: 'info' });
  const db = await openDatabase({ ...target, url: options.databaseUrl ?? target.url, log, migrations: workshopMigrations });
  const prefix = `loupe-test-${randomBytes(4).toString('hex')}.`;
  const consumers: { queue: string; options?: ConsumeOptions }[] = [];
  let queue: MessageQueue;
  try {
    queue = await openQueue({ url: brokerUrl && (options.amqpUrl ?? brokerUrl), db, log, prefix, pollIntervalMs: 20, reconnect: { baseDelayMs: 20, maxDelayMs: 200 }, ...(options.leaseMs !== undefined && { leaseMs: options.leaseMs }) });
  } catch (error) {
    await db.close();
    throw error;
  }
  t.after(async () => {
    await queue.close();
    await db.close();
    if (brokerUrl) await removeRabbitTopology(brokerUrl, { exchange: `${prefix}workshop`, consumers });
  });
  return {
    db,
    target,
    queue,
    log,
    lines,
    prefix,
    consume(name, bindingKeys, handler, consumeOptions) {
      consumers.push({ queue: prefix + name, options: consumeOptions });
      return queue.consume(name, bindingKeys, handler, consumeOptions);
    },
  };
}
