export interface BackoffOptions {
  /** Wait after the first failure (default 250 ms). */
  initialMs?: number;
  /** Longest wait (default 30 s). */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the doubled wait, plus a random part up to
 * the other half, so shippers that failed together do not all retry together.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions): number {
  const initial = options.initialMs ?? 250;
  const ceiling = Math.min(options.maxMs, initial * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
