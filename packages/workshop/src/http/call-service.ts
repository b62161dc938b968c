import { randomUUID } from 'node:crypto';
import { injectTraceHeaders, withRetry, type Logger, type RetryOptions } from '@loupe/log';
import { LoupeError } from '@loupe/schema';

export interface ServiceCall {
  /** The called service, written as `call.target` on R2 / R3 lines: `file-storage`, `crm-api`. */
  target: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The service's base URL. */
  baseUrl: string;
  /** Path and query; only the path is logged. */
  path: string;
  /** A JSON value, or raw bytes sent as `contentType`. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
}

/** The called service answered 5xx: worth another attempt. */
class UpstreamFailure extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
  }
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error?.code) return { code: body.error.code, message: body.error.message ?? text };
  } catch {
    // Not our error format: a proxy's page or a crash; keep the start of the text.
  }
  return { code: `HTTP_${response.status}`, message: text.slice(0, 200) || response.statusText };
}

/**
 * Calls another workshop service over HTTP with the active trace context (`traceparent`,
 * R21), retrying network failures and 5xx answers (R2 each retry, R3 when out of attempts).
 * A call that is not a GET carries one `Idempotency-Key` over all its attempts, so a change
 * whose answer was lost is not refused, nor made twice, when it is sent again.
 * A 4xx answer is not retried nor logged as a failed call: its `{error}` comes back as a
 * LoupeError with the same code and status, for the caller to handle (401/403 become 502
 * UPSTREAM_REFUSED, logged R3: our credentials, not the caller's).
 * Out of attempts, the error is 503 UPSTREAM_UNAVAILABLE naming the service.
 */
export async function callService<T>(log: Logger, call: ServiceCall, retry: RetryOptions = {}): Promise<T> {
  const url = new URL(call.path, call.baseUrl);
  const endpoint = `${url.origin}${url.pathname}`;
  const raw = call.body instanceof Uint8Array;
  const headers = injectTraceHeaders({
    ...(call.body !== undefined && { 'content-type': raw ? (call.contentType ?? 'application/octet-stream') : 'application/json' }),
    // One key for every attempt: a service that honours it makes the change once however often it is sent.
    ...(call.method !== 'GET' && { 'idempotency-key': randomUUID() }),
    ...call.headers,
  } as Record<string, string>);
  const body = call.body === undefined ? undefined : raw ? (call.body as Uint8Array) : JSON.stringify(call.body);
  try {
    return await withRetry(log, { target: call.target, method: call.method, endpoint }, async () => {
      const response = await fetch(url, { method: call.method, headers, body, signal: AbortSignal.timeout(call.timeoutMs ?? 10_000) });
      if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
      const { code, message } = await errorOf(response);
      if (response.status >= 500) throw new UpstreamFailure(response.status, code, message);
      if (response.status === 401 || response.status === 403) {
        throw new LoupeError('UPSTREAM_REFUSED', `${call.target} refused ${call.method} ${url.pathname}: ${message}`, 502);
      }
      throw new LoupeError(code, message, response.status);
    }, {
      retryable: (error) => !(error instanceof LoupeError),
      // A 4xx is the service's answer (a broken model, an invalid step), not a failed call: no R3.
      // 401/403 became UPSTREAM_REFUSED (502), our own credentials: that one is a failure.
      answered: (error) => error instanceof LoupeError && error.status < 500,
      ...retry,
    });
  } catch (error) {
    if (error instanceof LoupeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LoupeError('UPSTREAM_UNAVAILABLE', `${call.target} did not answer ${call.method} ${url.pathname}: ${reason}; try again shortly`, 503);
  }
}
