import { commandArgs, type Command } from '../command.js';
import { eventLine } from '../event-line.js';
import { getJson } from '../platform-client.js';

interface JourneyBody {
  orderId?: string;
  traceIds: string[];
  services: string[];
  events: Array<Record<string, unknown>>;
  statuses: Array<{ status: string; enteredAt: number; durationMs: number; current: boolean }>;
  stoppedAt?: { status?: string; sinceMs?: number; lastError?: Record<string, unknown> };
  truncated: boolean;
}

/** Trace ids written out in the heading; more are counted. */
const MAX_TRACES_LISTED = 3;

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)}s`;
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export const journeyCommand: Command = {
  name: 'journey',
  summary: 'Show every event of one order (or one trace) across all services and days, with time in each status (R29)',
  usage: 'loupe journey ORDER_ID | TRACE_ID [--trace] [--json]',
  async run(argv) {
    const parsed = commandArgs(journeyCommand, { args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false }, trace: { type: 'boolean', default: false } } });
    if (!parsed) return 2;
    const [orderId, ...extra] = parsed.positionals;
    if (!orderId || extra.length > 0) {
      console.error(`loupe journey: ${orderId ? `one order at a time, not "${extra.join(' ')}" too` : 'name the order'}\nUsage: ${journeyCommand.usage}`);
      return 2;
    }
    // A W3C trace id (32 hex digits) is a trace's journey: every event of it, whatever its order.
    const trace = parsed.values.trace || /^[0-9a-f]{32}$/i.test(orderId);
    const what = trace ? 'trace' : 'order';
    const journey = await getJson<JourneyBody>(`/api/${trace ? 'traces' : 'journey'}/${encodeURIComponent(orderId)}`, 'statuses');
    if (parsed.values.json) {
      console.log(JSON.stringify(journey, null, 2));
      return 0;
    }
    if (journey.events.length === 0) {
      // The workshop's order ids are ORD-<number>; a bare number is most likely one without its prefix.
      const hint = !trace && /^\d+$/.test(orderId) ? `; order ids look like ORD-${orderId}: try loupe journey ORD-${orderId}` : '';
      console.error(`loupe journey: no events for ${what} ${orderId} in any retained index${hint}`);
      return 1;
    }
    // A long-lived order has a trace per request and message: past a few, a count keeps the line readable.
    const traces = journey.traceIds.length <= MAX_TRACES_LISTED ? `traces ${journey.traceIds.join(', ') || '-'}` : `${journey.traceIds.length} traces (--json lists them)`;
    const orders = [...new Set(journey.events.flatMap((event) => (typeof event['order.id'] === 'string' ? [event['order.id']] : [])))];
    const heading = trace ? `Trace ${orderId}: ${journey.events.length} events, services ${journey.services.join(' → ')}, ${orders.length > 0 ? `orders ${orders.join(', ')}` : 'no order'}`
      : `Order ${orderId}: ${journey.events.length} events, services ${journey.services.join(' → ')}, ${traces}`;
    console.log(heading);
    for (const span of journey.statuses) console.log(`  ${span.current ? '▶' : ' '} ${span.status.padEnd(18)} ${new Date(span.enteredAt).toISOString()}  ${duration(span.durationMs)}${span.current ? ' (current)' : ''}`);
    console.log('');
    for (const event of journey.events) {
      console.log(eventLine(event));
    }
    if (journey.stoppedAt?.lastError) console.log(`\nLast error: ${String(journey.stoppedAt.lastError.message)}`);
    if (journey.truncated) console.log('\n(more events exist than were read)');
    return 0;
  },
};
