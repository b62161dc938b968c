import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KqlNode } from '../kql/index.js';
import type { LogStore } from '../store/log-store.js';

/** Events read per page, and pages per poll: past that, the tail carries on at the next poll. */
const PAGE = 1000;
const MAX_PAGES_PER_POLL = 20;
/** Indices of days before this are not followed: an event stamped that long ago is found by a search. */
const FOLLOWED_DAYS = 2;
const DAY_MS = 86_400_000;

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
 * Live tail (R28) as server-sent events: the latest events first, then each new match in the
 * order it is stored, until the client goes away. It follows the store's arrival order, not
 * timestamps, so an event a shipper delivers late is sent when it arrives, however many came
 * between (events stamped more than two days before are left to searches). Comments keep proxies from
 * closing an idle stream.
 */
export async function liveTail(store: LogStore, request: FastifyRequest, reply: FastifyReply, options: LiveTailOptions): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  let closed = false;
  request.raw.on('close', () => { closed = true; });
  const follow = () => ({ query: options.query, indices: options.indices, since: Date.now() - FOLLOWED_DAYS * DAY_MS, limit: PAGE });
  // The cursor before the backlog: what arrives meanwhile is sent by the first poll, once.
  // Before the stream starts, so a query the store refuses (a word for a number) is an ordinary 400.
  let { cursor } = await store.arrivals(follow());
  const latest = await store.search({ query: options.query, indices: options.indices, from: Date.now() - 3_600_000, limit: options.backlog ?? 20 });
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });

  const pick = options.pick ?? ((event) => event);
  const send = (event: Record<string, unknown>) => out.write(`id: ${String(event._id)}\ndata: ${JSON.stringify(pick(event))}\n\n`);
  // The backlog's ids: an event of it that the first poll brings again is not sent twice.
  const backlog = new Set(latest.events.map((event) => String(event._id)));
  for (const event of latest.events.reverse()) send(event);

  while (!closed) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (closed) break;
    try {
      let sent = 0;
      for (let pages = 0; pages < MAX_PAGES_PER_POLL && !closed; pages++) {
        const page = await store.arrivals({ ...follow(), after: cursor });
        for (const event of page.events) {
          if (backlog.size > 0 && backlog.delete(String(event._id))) continue;
          send(event);
          sent++;
        }
        cursor = page.cursor;
        if (!page.more) break;
      }
      if (sent === 0) out.write(': keep-alive\n\n');
    } catch (error) {
      out.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
      break;
    }
  }
  out.end();
}
