import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import type { Database } from '../db/index.js';

export interface QueueMessage {
  id: string;
  /** The key it was published with (also on a retry, which travels through other queues). */
  routingKey: string;
  orderId?: string;
  body: unknown;
  /** 1 on the first delivery, 2 on the first retry, … */
  attempt: number;
  /** Deliveries of those that waited (the database was unreachable, or the message was not ready) rather than failed: they spend no attempt. */
  waits: number;
  /** When the message was first found not ready (epoch ms); absent until then. */
  waitingSince?: number;
  /** Transport headers: `traceparent`, and on a dead letter `x-dead-letter-reason`. */
  headers: Record<string, unknown>;
}

export interface OutgoingMessage {
  id?: string;
  orderId?: string;
  body: unknown;
  /** The publishing service's logger: the relay writes its R11/R13 lines with it, so they carry that service's name. */
  publisher?: Logger;
}

export interface ConsumeOptions {
  /** Deliveries in all before the message goes to the dead-letter queue (default 5). */
  maxAttempts?: number;
  /** Wait before the first retry; doubles for each further one (default 1000 ms). */
  retryDelayMs?: number;
  /** How long a message whose handler throws `MessageNotReady` is delivered again before it is dead-lettered (default 10 min). */
  maxWaitMs?: number;
  /** Messages handled at the same time by this consumer (default 10). */
  prefetch?: number;
  /** The consuming service's logger, so its R11–R13 lines carry its `service.name` (default: the queue's). */
  log?: Logger;
}

/**
 * Messages between the workshop's services, delivered at least once: a handler may see a
 * message again (after a crash or a lost connection), so it checks the message id or makes
 * its change idempotent. Per consumer, messages arrive in publication order, except that a
 * retried message comes back after those published behind it.
 */
export interface MessageQueue {
  /** Writes the message to the outbox inside `tx` (the caller's DB transaction): it is published after commit, even if the broker is down now. */
  publish(tx: Database, routingKey: string, message: OutgoingMessage): Promise<string>;
  /**
   * Binds a durable queue to the routing keys and runs the handler; a throw → retry with
   * delay, after maxAttempts (or at once for a LoupeError with status 422) → dead-letter
   * queue (R12 logged). Two failures spend no attempt: the database unreachable (the message
   * waits for it, however long) and `MessageNotReady` (it waits up to `maxWaitMs`).
   */
  consume(queue: string, bindingKeys: string[], handler: (message: QueueMessage) => Promise<void>, options?: ConsumeOptions): Promise<{ stop(): Promise<void> }>;
  /** Messages in the dead-letter queue (for tests and operators), oldest first, at most 1,000. */
  deadLetters(queue: string): Promise<QueueMessage[]>;
  /**
   * Sends dead letters back to their consumer's queue as first deliveries (attempts and waits
   * start again), all of them or those with the given ids; returns the messages sent back.
   * For after the cause was fixed: a handler already done with a message skips it by its id.
   */
  replayDeadLetters(queue: string, messageIds?: readonly string[]): Promise<QueueMessage[]>;
  /** Stops the relay and the consumers (waiting for handlers running now); the database stays open. */
  close(): Promise<void>;
}

export interface OpenQueueOptions {
  /** `amqp://…`; absent → the PostgreSQL-backed queue in `db`. */
  url?: string;
  /** Holds the outbox (and the embedded queue): opened with `workshopMigrations`. */
  db: Database;
  log: Logger;
  /** The topic exchange messages are published to (default 'workshop'). */
  exchange?: string;
  /** Put before every exchange and queue name, to keep test runs apart on a shared server. */
  prefix?: string;
  /** How often the outbox relay and the embedded consumers look for work when idle (default 200 ms). */
  pollIntervalMs?: number;
  /**
   * How long a process that died holds what it took (default 30 s after its last renewal; it
   * renews a few times a lease while it works): an embedded consumer's delivered message, a
   * RabbitMQ relay's claimed outbox rows (and with them the later messages of their orders).
   */
  leaseMs?: number;
  /** Backoff while the broker is unreachable: first delay, doubled up to `maxDelayMs` (defaults 200 ms, 5 s). */
  reconnect?: { baseDelayMs?: number; maxDelayMs?: number };
}

/**
 * How long what a process took stays taken unless it renews the lease (it does, a few times a
 * lease, while it works): a delivered message of the embedded queue, the RabbitMQ relay's claims.
 */
export const DEFAULT_LEASE_MS = 30_000;

/** The consume options with their defaults filled in. */
export interface DeliveryPolicy {
  maxAttempts: number;
  retryDelayMs: number;
  maxWaitMs: number;
  prefetch: number;
}

export function deliveryPolicy(options: ConsumeOptions = {}): DeliveryPolicy {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    retryDelayMs: Math.max(0, options.retryDelayMs ?? 1_000),
    maxWaitMs: Math.max(0, options.maxWaitMs ?? 10 * 60_000),
    prefetch: Math.max(1, options.prefetch ?? 10),
  };
}

/** How long to wait before delivering again a message whose `attempt`-th delivery failed. */
export function retryDelayAfter(policy: DeliveryPolicy, attempt: number): number {
  return policy.retryDelayMs * 2 ** (attempt - 1);
}

/** The delays retries use: one per attempt but the last, and at least one, which waits use too. */
export function retryDelays(policy: DeliveryPolicy): number[] {
  const delays: number[] = [];
  for (let attempt = 1; attempt < Math.max(2, policy.maxAttempts); attempt++) delays.push(retryDelayAfter(policy, attempt));
  return delays;
}

/** How long to wait before delivering again a message that waited `waits` times: growing like retries, up to the longest retry delay. */
export function waitDelayAfter(policy: DeliveryPolicy, waits: number): number {
  return retryDelayAfter(policy, Math.min(waits, Math.max(1, policy.maxAttempts - 1)));
}

/**
 * Thrown by a handler whose message came before one it depends on (a report on an order
 * whose earlier report is still on its way): the message is delivered again later without
 * spending an attempt, for up to the consumer's `maxWaitMs`, then dead-lettered.
 */
export class MessageNotReady extends LoupeError {
  constructor(code: string, message: string) {
    super(code, message, 409);
    this.name = 'MessageNotReady';
  }
}
