import { F, LoupeError } from '@loupe/schema';
import type { LogStore } from '../store/log-store.js';

export interface StatusSpan {
  status: string;
  /** Epoch ms the order entered the status. */
  enteredAt: number;
  /** Time spent in it: until the next change, or until now for the current status. */
  durationMs: number;
  current: boolean;
}

export interface Journey {
  orderId?: string;
  traceIds: string[];
  /** Services in the order they first appear. */
  services: string[];
  events: Record<string, unknown>[];
  statuses: StatusSpan[];
  /** Where the order is now, and the last thing that happened to it. */
  stoppedAt?: { status?: string; sinceMs?: number; lastEvent: Record<string, unknown>; lastError?: Record<string, unknown> };
  /** True when the journey has more events than were read. */
  truncated: boolean;
}

const MAX_EVENTS = 5_000;
const MAX_TRACES = 200;

/**
 * Every event of one order (or one trace) across all services and all retained days, in
 * time order (R29): the order's own events, plus every event of the traces they belong
 * to (requests, queries and messages that carry no order id), with time spent per status.
 */
export async function orderJourney(store: LogStore, key: { orderId?: string; traceId?: string }, now = Date.now()): Promise<Journey> {
  if (!key.orderId && !key.traceId) throw new LoupeError('JOURNEY_NO_KEY', 'Give an order id or a trace id');
  // An order's events live on a few days: read those days' indices (all services), not every index.
  const indices = key.orderId ? (await store.orderScopes(key.orderId)).join(',') : 'logs-*';
  if (indices === '') return { ...(key.orderId && { orderId: key.orderId }), traceIds: [], services: [], events: [], statuses: [], truncated: false };
  const { events, traceIds, truncated } = await store.journeyEvents(indices, { ...key, limit: MAX_EVENTS, maxTraces: MAX_TRACES });
  const services = [...new Set(events.map((e) => e[F.service]).filter((s): s is string => typeof s === 'string'))];
  const statuses = statusSpans(events, now);
  const last = events.at(-1);
  const lastError = [...events].reverse().find((e) => e[F.level] === 'error' || e[F.level] === 'fatal');
  const current = statuses.at(-1);
  return {
    ...(key.orderId && { orderId: key.orderId }),
    traceIds,
    services,
    events,
    statuses,
    ...(last && { stoppedAt: { status: current?.status, sinceMs: current?.durationMs, lastEvent: last, ...(lastError && { lastError }) } }),
    truncated,
  };
}

/** Status spans from order-created and order-status-changed events (R4, R5); a status logged by several services counts once. */
export function statusSpans(events: readonly Record<string, unknown>[], now: number): StatusSpan[] {
  const changes: Array<{ status: string; at: number }> = [];
  for (const event of events) {
    const action = event[F.action];
    if (action !== 'order-created' && action !== 'order-status-changed') continue;
    const status = event[F.orderStatus];
    if (typeof status !== 'string' || changes.at(-1)?.status === status) continue;
    changes.push({ status, at: Date.parse(String(event['@timestamp'])) });
  }
  return changes.map((change, i) => {
    const next = changes[i + 1];
    return { status: change.status, enteredAt: change.at, durationMs: (next ? next.at : now) - change.at, current: !next };
  });
}
