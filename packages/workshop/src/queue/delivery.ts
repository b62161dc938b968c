import { consumeWithLog, describeFailure, extractTraceContext, maskedPayload, runInSpan, type Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { isTransientDatabaseError } from '../db/index.js';
import { MessageNotReady, retryDelayAfter, waitDelayAfter, type DeliveryPolicy, type QueueMessage } from './message-queue.js';
import { HEADER } from './rabbit-topology.js';

/** A handler's 422 (MESSAGE_INVALID: the body lacks what its routing key needs) fails the same way on every delivery. */
function cannotEverSucceed(error: unknown): boolean {
  return error instanceof LoupeError && error.status === 422;
}

/**
 * Why a failed delivery waits instead of spending an attempt: the consumer's database is
 * unreachable (every message would fail alike until it is back), or the message came
 * before one it depends on.
 */
function waitReason(error: unknown): 'database' | 'not-ready' | undefined {
  if (isTransientDatabaseError(error)) return 'database';
  if (error instanceof MessageNotReady) return 'not-ready';
  return undefined;
}

/** What becomes of a delivered message once its handler ran. A retry carries the message's wait count (and start) for its next delivery. */
export type Verdict =
  | { action: 'ack' }
  | { action: 'retry'; delayMs: number; error: string; waits: number; waitingSince?: number }
  | { action: 'dead-letter'; reason: string };

function decide(message: QueueMessage, failure: unknown, policy: DeliveryPolicy): Verdict {
  const error = describeFailure(failure).errorMessage;
  const spent = message.attempt - message.waits;
  if (cannotEverSucceed(failure)) return { action: 'dead-letter', reason: `Cannot be processed (attempt ${spent}): ${error}` };
  const reason = waitReason(failure);
  const waitingSince = reason === 'not-ready' ? (message.waitingSince ?? Date.now()) : message.waitingSince;
  if (reason === 'not-ready' && Date.now() - waitingSince! >= policy.maxWaitMs) {
    return { action: 'dead-letter', reason: `Still not ready after waiting ${Math.round((Date.now() - waitingSince!) / 1000)} s: ${error}` };
  }
  if (reason !== undefined) {
    const waits = message.waits + 1;
    return { action: 'retry', delayMs: waitDelayAfter(policy, waits), error, waits, ...(waitingSince !== undefined && { waitingSince }) };
  }
  if (spent >= policy.maxAttempts) {
    return { action: 'dead-letter', reason: `Failed ${spent} of ${policy.maxAttempts} attempts; last error: ${error}` };
  }
  return { action: 'retry', delayMs: retryDelayAfter(policy, spent), error, waits: message.waits, ...(waitingSince !== undefined && { waitingSince }) };
}

/**
 * Runs the handler in the producer's trace (R21), logging R11 when it succeeds and R13
 * when it throws, and decides: acknowledge, retry after a delay, or dead-letter after the
 * last attempt (at once when the handler refused the message with a 422). A delivery that
 * waited for the database or for an earlier message spends no attempt.
 */
export async function runHandler(
  log: Logger,
  queue: string,
  message: QueueMessage,
  handler: (message: QueueMessage) => Promise<void>,
  policy: DeliveryPolicy,
): Promise<Verdict> {
  let failure: unknown;
  const described = {
    messageId: message.id, routingKey: message.routingKey, orderId: message.orderId, headers: message.headers, queue, payload: message.body,
    attempt: message.attempt - message.waits, maxAttempts: policy.maxAttempts, spendsAttempt: (error: unknown) => waitReason(error) === undefined,
  };
  const outcome = await consumeWithLog(log, described, async () => {
    try {
      await handler(message);
      return 'ack';
    } catch (error) {
      failure = error;
      throw error;
    }
  });
  return outcome === 'ack' ? { action: 'ack' } : decide(message, failure, policy);
}

/** The headers a message's waits travel in, and that a replay from the dead-letter queue clears with its reason. */
export const DELIVERY_STATE_HEADERS: readonly string[] = [HEADER.deadLetterReason, HEADER.waits, HEADER.waitingSince];

/** A delivery's waits as its headers hold them, never more than the deliveries before it (`attempt` counts this one). */
export function waitsFromHeaders(headers: Record<string, unknown>, attempt: number): Pick<QueueMessage, 'waits' | 'waitingSince'> {
  const waitingSince = Number(headers[HEADER.waitingSince]);
  return {
    waits: Math.min(Math.max(0, Number(headers[HEADER.waits]) || 0), attempt - 1),
    ...(waitingSince > 0 && { waitingSince }),
  };
}

/** The headers a retried message carries its waits in, for its next delivery. */
export function waitHeaders(verdict: { waits: number; waitingSince?: number }): Record<string, number> {
  return { [HEADER.waits]: verdict.waits, ...(verdict.waitingSince !== undefined && { [HEADER.waitingSince]: verdict.waitingSince }) };
}

/** R12, in the message's trace so the order's journey shows where it stopped. */
export function logDeadLettered(log: Logger, message: QueueMessage, reason: string): void {
  runInSpan(`dead-letter ${message.routingKey}`, () =>
    log.messageDeadLettered({ messageId: message.id, orderId: message.orderId, reason, routingKey: message.routingKey, payload: maskedPayload(message.body) }),
    extractTraceContext(message.headers),
  );
}
