import { randomBytes } from 'node:crypto';
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

let installed = false;

/**
 * Registers an AsyncLocalStorage context manager and the W3C propagator with the
 * OpenTelemetry API (R21). When an OpenTelemetry SDK is already registered, the API
 * keeps it and this is a no-op, so Loupe's lines carry the SDK's span ids.
 */
export function installTraceContext(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

// Ids are drawn from a pooled random buffer: one syscall per 256 spans instead of one each.
const POOL_SPANS = 256;
let pool = randomBytes(24 * POOL_SPANS);
let poolOffset = 0;
function nextRandom(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(24 * POOL_SPANS);
    poolOffset = 0;
  }
  const id = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return id;
}

/** The active trace id and span id, or undefined outside any request or message handler. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpan(context.active());
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/**
 * Starts a span as a child of `parent` (or of the active context; a new trace when there
 * is none) and runs `fn` inside it. Uses the registered tracer when an SDK provides one,
 * and otherwise creates a span context of its own, so trace ids exist with the bare API.
 */
export function runInSpan<T>(name: string, fn: () => T, parent: Context = context.active()): T {
  return context.with(contextWithNewSpan(name, parent), fn);
}

/** A context holding a fresh span that is a child of `parent`'s span, if any. */
export function contextWithNewSpan(name: string, parent: Context = context.active()): Context {
  installTraceContext();
  const parentContext = trace.getSpanContext(parent);
  const sdkSpan = trace.getTracer('loupe').startSpan(name, undefined, parent);
  const sdkContext = sdkSpan.spanContext();
  // Without an SDK the API's tracer hands back the parent's span context: make a child of our own.
  if (isSpanContextValid(sdkContext) && sdkContext.spanId !== parentContext?.spanId) return trace.setSpan(parent, sdkSpan);
  const traceId = parentContext && isSpanContextValid(parentContext) ? parentContext.traceId : nextRandom(16);
  const span = trace.wrapSpanContext({ traceId, spanId: nextRandom(8), traceFlags: TraceFlags.SAMPLED });
  return trace.setSpan(parent, span);
}

/** Writes the active context's `traceparent` (and `tracestate`) into HTTP or AMQP headers. */
export function injectTraceHeaders<H extends Record<string, unknown>>(headers: H, from: Context = context.active()): H {
  installTraceContext();
  propagation.inject(from, headers);
  return headers;
}

/** Reads `traceparent` from incoming HTTP or AMQP headers; a context with no span when absent or invalid. */
export function extractTraceContext(headers: Record<string, unknown> | undefined): Context {
  installTraceContext();
  if (!headers) return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = headers[key];
    if (typeof value === 'string') carrier[key] = value;
    else if (Buffer.isBuffer(value)) carrier[key] = value.toString('utf8');
    else if (Array.isArray(value) && typeof value[0] === 'string') carrier[key] = value[0];
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The `traceparent` header value of a context, e.g. for a response header. */
export function traceparentOf(ctx: Context): string | undefined {
  return injectTraceHeaders({} as Record<string, string>, ctx).traceparent;
}
