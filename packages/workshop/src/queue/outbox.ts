import type { OutgoingMessage } from './message-queue.js';
import { randomUUID } from 'node:crypto';
import { describeFailure, extractTraceContext, injectTraceHeaders, runInSpan, type Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { wasLoggedByDatabase, type Database } from '../db/index.js';

/** A message waiting in the outbox for the relay. */
export interface OutboxMessage {
  /** The outbox row: its order is the publication order. */
  id: number;
  messageId: string;
  routingKey: string;
  orderId?: string;
  body: unknown;
  /** `traceparent` of the transaction that published it (R21). */
  headers: Record<string, string>;
}

/** An outbox row as SELECT or RETURNING gives it. */
export interface OutboxRow {
  id: number;
  message_id: string;
  routing_key: string;
  order_id: string | null;
  body: unknown;
  headers: Record<string, string>;
}

export const OUTBOX_COLUMNS = 'id, message_id, routing_key, order_id, body, headers';

/** Outbox rows as messages, in publication order (RETURNING gives no order). */
export function toOutboxMessages(rows: readonly OutboxRow[]): OutboxMessage[] {
  return rows
    .map((row) => ({
      id: row.id,
      messageId: row.message_id,
      routingKey: row.routing_key,
      ...(row.order_id !== null && { orderId: row.order_id }),
      body: row.body,
      headers: row.headers,
    }))
    .sort((a, b) => a.id - b.id);
}

const WILDCARD = /[*#]/;

/** Header naming the service that published a message; the relay logs with that service's logger. */
export const PUBLISHER_HEADER = 'x-loupe-publisher';

/** The logger a relay writes a message's R11/R13 lines with: its publisher's when known in this process. */
export function publisherLog(publishers: ReadonlyMap<string, Logger>, message: { headers: Record<string, unknown> }, fallback: Logger): Logger {
  return publishers.get(String(message.headers[PUBLISHER_HEADER])) ?? fallback;
}

/**
 * Writes a message to the outbox in the caller's transaction, with the trace context of the
 * code publishing it, so it leaves only if the transaction commits and keeps its trace.
 */
export async function writeToOutbox(
  tx: Database,
  exchange: string,
  routingKey: string,
  message: OutgoingMessage,
  publishers?: Map<string, Logger>,
): Promise<string> {
  if (!routingKey || WILDCARD.test(routingKey) || Buffer.byteLength(routingKey) > 255) {
    throw new LoupeError('QUEUE_BAD_ROUTING_KEY', `Routing key "${routingKey.slice(0, 60)}" cannot be published to: use 1–255 bytes of words separated by ".", without "*" or "#"`, 500);
  }
  const body = JSON.stringify(message.body);
  if (body === undefined) {
    throw new LoupeError('QUEUE_BAD_BODY', `The body of a message to "${routingKey}" is not JSON: publish an object, array, string, number, boolean or null`, 500);
  }
  const id = message.id ?? randomUUID();
  const traceHeaders = injectTraceHeaders({} as Record<string, string>);
  if (message.publisher) {
    publishers?.set(message.publisher.service, message.publisher);
    traceHeaders[PUBLISHER_HEADER] = message.publisher.service;
  }
  const headers = JSON.stringify(traceHeaders);
  await tx.query(
    'INSERT INTO outbox (exchange, message_id, routing_key, order_id, body, headers) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb)',
    [exchange, id, routingKey, message.orderId ?? null, body, headers],
    { orderId: message.orderId },
  );
  return id;
}

/** Whether a message waits for `exchange` and no relay holds it: a hot read, logged at DEBUG. */
export async function outboxHasWork(db: Database, exchange: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM outbox WHERE exchange = $1 AND (claimed_until IS NULL OR claimed_until < now()) LIMIT 1',
    [exchange],
  );
  return rows.length > 0;
}

/** Runs `fn` in a new span of the trace the message was published in (R21). */
export function inMessageTrace<T>(message: { routingKey: string; headers: Record<string, unknown> }, fn: () => Promise<T>): Promise<T> {
  return runInSpan(`publish ${message.routingKey}`, fn, extractTraceContext(message.headers));
}

/**
 * Logs a failed round of a relay or consumer loop, unless the database already did (R15,
 * R3): an error nobody logged is unexpected, an R17 line with its stack.
 */
export function logLoopError(log: Logger, error: unknown): void {
  if (wasLoggedByDatabase(error)) return;
  const failure = describeFailure(error);
  log.unhandledError({
    errorType: error instanceof Error ? error.name : typeof error,
    errorMessage: failure.errorMessage,
    stack: error instanceof Error ? (error.stack ?? '') : '',
    ...(failure.errorCode !== undefined && { errorCode: failure.errorCode }),
  });
}
