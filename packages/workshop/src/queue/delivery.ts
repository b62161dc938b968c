import { consumeWithLog, describeFailure, extractTraceContext, maskedPayload, runInSpan, type Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { retryDelayAfter, type DeliveryPolicy, type QueueMessage } from './message-queue.js';

/** A handler's 422 (MESSAGE_INVALID: the body lacks what its routing key needs) fails the same way on every delivery. */
function cannotEverSucceed(error: unknown): boolean {
  return error instanceof LoupeError && error.status === 422;
}

/** What becomes of a delivered message once its handler ran. */
export type Verdict = { action: 'ack' } | { action: 'retry'; delayMs: number; error: string } | { action: 'dead-letter'; reason: string };

/**
 * Runs the handler in the producer's trace (R21), logging R11 when it succeeds and R13
 * when it throws, and decides: acknowledge, retry after a delay, or dead-letter after the
 * last attempt (at once when the handler refused the message with a 422).
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
    attempt: message.attempt, maxAttempts: policy.maxAttempts,
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
  if (outcome === 'ack') return { action: 'ack' };
  const error = describeFailure(failure).errorMessage;
  if (cannotEverSucceed(failure)) return { action: 'dead-letter', reason: `Cannot be processed (attempt ${message.attempt}): ${error}` };
  if (message.attempt >= policy.maxAttempts) {
    return { action: 'dead-letter', reason: `Failed ${message.attempt} of ${policy.maxAttempts} attempts; last error: ${error}` };
  }
  return { action: 'retry', delayMs: retryDelayAfter(policy, message.attempt), error };
}

/** R12, in the message's trace so the order's journey shows where it stopped. */
export function logDeadLettered(log: Logger, message: QueueMessage, reason: string): void {
  runInSpan(`dead-letter ${message.routingKey}`, () =>
    log.messageDeadLettered({ messageId: message.id, orderId: message.orderId, reason, routingKey: message.routingKey, payload: maskedPayload(message.body) }),
    extractTraceContext(message.headers),
  );
}
