import { context } from '@opentelemetry/api';
import type { Logger } from './create-logger.js';
import { maskRecord } from './mask/index.js';
import { describeFailure } from './retry.js';
import { contextWithNewSpan, extractTraceContext, injectTraceHeaders } from './trace-context.js';

export interface MessageDescription {
  messageId: string;
  routingKey: string;
  orderId?: string;
  /** Logged only after masking (R11). */
  payload?: unknown;
}

export type ConsumeOutcome = 'ack' | 'retry' | 'dead-letter';

/** A payload as one masked JSON string: personal data is masked by key and by content. */
export function maskedPayload(payload: unknown): string | undefined {
  if (payload === undefined) return undefined;
  if (payload !== null && typeof payload === 'object' && !Buffer.isBuffer(payload)) {
    return JSON.stringify(maskRecord(payload as Record<string, unknown>));
  }
  return Buffer.isBuffer(payload) ? payload.toString('utf8') : String(payload);
}

/**
 * Publishes with the active trace context in the headers (R21), then logs R11 on success or
 * R13 on failure (rethrown). `publish` gets the headers to send and resolves once confirmed.
 */
export async function publishWithLog(log: Logger, message: MessageDescription, publish: (headers: Record<string, string>) => Promise<void>): Promise<void> {
  const headers = injectTraceHeaders({} as Record<string, string>);
  try {
    await publish(headers);
    log.messagePublished({ messageId: message.messageId, orderId: message.orderId, routingKey: message.routingKey, outcome: 'confirmed', payload: maskedPayload(message.payload) });
  } catch (error) {
    const failure = describeFailure(error);
    log.messageFailed({ operation: 'publish', messageId: message.messageId, orderId: message.orderId, routingKey: message.routingKey, errorCode: failure.errorCode ?? 'PUBLISH_FAILED', errorMessage: failure.errorMessage });
    throw error;
  }
}

export interface ConsumedMessage extends MessageDescription {
  /** The message's headers, where the producer's `traceparent` travels. */
  headers?: Record<string, unknown>;
  queue?: string;
  /** This delivery (from 1) and the deliveries the queue allows, for the R13 line when it fails. */
  attempt?: number;
  maxAttempts?: number;
  /** Whether a failure spends this attempt (default: every failure); one that does not leaves as many attempts as before it. */
  spendsAttempt?: (error: unknown) => boolean;
}

/**
 * Runs a consumer in the producer's trace (R21) and logs R11 with the outcome it returns,
 * or R13 when it throws (then the outcome is `retry`, and the error is not rethrown so the
 * caller can nack and let the broker retry or dead-letter).
 */
export async function consumeWithLog(log: Logger, message: ConsumedMessage, handle: () => Promise<ConsumeOutcome>): Promise<ConsumeOutcome> {
  const span = contextWithNewSpan(`consume ${message.routingKey}`, extractTraceContext(message.headers));
  return context.with(span, async () => {
    const base = { messageId: message.messageId, orderId: message.orderId, routingKey: message.routingKey };
    try {
      const outcome = await handle();
      log.messageConsumed({ ...base, queue: message.queue, outcome, payload: maskedPayload(message.payload) });
      return outcome;
    } catch (error) {
      const failure = describeFailure(error);
      const spent = message.spendsAttempt?.(error) ?? true;
      const attempts = message.attempt === undefined ? {} : {
        attempt: message.attempt,
        ...(message.maxAttempts !== undefined && { attemptsLeft: Math.max(0, message.maxAttempts - message.attempt + (spent ? 0 : 1)) }),
      };
      log.messageFailed({ ...base, operation: 'consume', errorCode: failure.errorCode ?? 'CONSUME_FAILED', errorMessage: failure.errorMessage, ...attempts });
      return 'retry';
    }
  });
}
