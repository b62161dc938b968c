import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './create-logger.js';

export interface CallDescription {
  /** What is called: `http`, `db`, `amqp`, … */
  target: string;
  /** HTTP method, SQL verb or broker operation. */
  method: string;
  /** URL, table or exchange/routing key; never a secret. */
  endpoint: string;
}

export interface RetryOptions {
  /** Ends the retries when aborted (the process is stopping): the last failure is logged as final and thrown. */
  signal?: AbortSignal;
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Delay before the first retry; doubles each time, with full jitter (default 100 ms). */
  baseDelayMs?: number;
  /** Upper bound of one delay (default 5 s). */
  maxDelayMs?: number;
  /** Whether a failure is worth retrying (default: every failure). */
  retryable?: (error: unknown) => boolean;
  /**
   * Whether an error is the callee's answer rather than a failed call (a service refusing a
   * request with 4xx): rethrown at once without R2 or R3, for the caller to handle and log.
   */
  answered?: (error: unknown) => boolean;
}

interface FailureFields {
  statusCode?: number;
  errorCode?: string;
  errorMessage: string;
}

/** The status code, error code and message of a failed call, from the usual error shapes. */
export function describeFailure(error: unknown): FailureFields {
  const e = error as { status?: unknown; statusCode?: unknown; code?: unknown; message?: unknown } | undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : undefined;
  return {
    ...(status !== undefined && { statusCode: status }),
    ...(e?.code !== undefined && { errorCode: String(e.code) }),
    errorMessage: e && typeof e.message === 'string' ? e.message : String(error),
  };
}

/**
 * Runs an outgoing call with retries: each retry logs R2 (WARN, with the attempt and the
 * attempts left), and running out logs R3 (ERROR) before the last error is rethrown.
 */
export async function withRetry<T>(log: Logger, call: CallDescription, fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.answered?.(error)) throw error;
      const failure = describeFailure(error);
      const attemptsLeft = attempts - attempt;
      const retryable = options.retryable?.(error) ?? true;
      if (attemptsLeft <= 0 || !retryable || options.signal?.aborted) {
        log.callFailed({ ...call, ...failure, attempts: attempt });
        throw error;
      }
      log.callRetried({ ...call, ...failure, attempt, attemptsLeft });
      // An abort ends the wait early; the next attempt then runs once more and is the last.
      await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)), undefined, { signal: options.signal }).catch(() => undefined);
    }
  }
}
