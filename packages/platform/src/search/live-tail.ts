import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KqlNode } from '../kql/index.js';
import type { LogStore, SortKey } from '../store/log-store.js';

/** How far back each poll looks for events that arrived after their timestamp. */
const LATE_ARRIVAL_MS = 30_000;
/** Events read per search, and searches per poll: past that, the tail carries on at the next poll. */
const PAGE = 1000;
const MAX_PAGES_PER_POLL = 20;

const keyOf = (event: Record<string, unknown>): SortKey => ({ ts: Date.parse(String(event['@timestamp'])), id: String(event._id) });

export interface LiveTailOptions {
  query: KqlNode;
  indices?: string;
  /** How often the store is asked for new events (default 1 s). */
  pollMs?: number;
  /** Events already there when the tail starts that are sent first (default 20). */
  backlog?: number;
  /** What of each event is sent (see pick-fields.ts); the whole event without it. */
  pick?: (event: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Live tail (R28) as server-sent events: the latest events first, then each new match as
 * it is stored, oldest first, until the client goes away. An event stamped up to 30 s before
 * the newest one sent is still sent when it arrives late (the newest 1,000 of them per poll;
 * a search finds the rest). Comments keep proxies from closing an idle stream.
 */
export async function liveTail(store: LogStore, request: FastifyRequest, reply: FastifyReply, options: LiveTailOptions): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  let closed = false;
  request.raw.on('close', () => { closed = true; });
  // Before the stream starts, so a query the store refuses (a word for a number) is an ordinary 400.
  const latest = await store.search({ query: options.query, indices: options.indices, from: Date.now() - 3_600_000, limit: options.backlog ?? 20 });
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });

  const pick = options.pick ?? ((event) => event);
  const send = (event: Record<string, unknown>) => out.write(`id: ${String(event._id)}\ndata: ${JSON.stringify(pick(event))}\n\n`);

  const sent = new Set<string>();
  const sendNew = (events: Record<string, unknown>[]) => {
    let fresh = 0;
    for (const event of events) {
      const id = String(event._id);
      if (sent.has(id)) continue;
      send(event);
      sent.add(id);
      fresh++;
    }
    return fresh;
  };
  sendNew(latest.events.reverse());
  // The newest event sent: each poll reads forward from it, page by page, so a busy stream
  // is followed however many events a second bring.
  let cursor: SortKey = latest.events.length > 0 ? keyOf(latest.events.at(-1)!) : { ts: Date.now() - LATE_ARRIVAL_MS, id: '' };

  while (!closed) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (closed) break;
    try {
      let fresh = 0;
      for (let pages = 0; pages < MAX_PAGES_PER_POLL && !closed; pages++) {
        const page = await store.search({ query: options.query, indices: options.indices, from: cursor.ts, order: 'asc', after: cursor, limit: PAGE });
        fresh += sendNew(page.events);
        if (page.events.length > 0) cursor = keyOf(page.events.at(-1)!);
        if (!page.next) break;
      }
      // Shippers deliver late: the newest events stamped shortly before the cursor that were not sent yet.
      const late = await store.search({ query: options.query, indices: options.indices, from: cursor.ts - LATE_ARRIVAL_MS, to: cursor.ts + 1, limit: PAGE });
      fresh += sendNew(late.events.reverse());
      if (fresh === 0) out.write(': keep-alive\n\n');
      if (sent.size > 50_000) for (const id of [...sent].slice(0, 25_000)) sent.delete(id);
    } catch (error) {
      out.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
      break;
    }
  }
  out.end();
}
