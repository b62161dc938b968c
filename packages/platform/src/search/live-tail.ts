import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KqlNode } from '../kql/index.js';
import type { LogStore } from '../store/log-store.js';

/** How far back each poll looks for events that arrived after their timestamp. */
const LATE_ARRIVAL_MS = 30_000;

export interface LiveTailOptions {
  query: KqlNode;
  indices?: string;
  /** How often the store is asked for new events (default 1 s). */
  pollMs?: number;
  /** Events already there when the tail starts that are sent first (default 20). */
  backlog?: number;
}

/**
 * Live tail (R28) as server-sent events: the latest events first, then each new match as
 * it is stored, oldest first, until the client goes away. Comments keep proxies from
 * closing an idle stream.
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

  const send = (event: Record<string, unknown>) => out.write(`id: ${String(event._id)}\ndata: ${JSON.stringify(event)}\n\n`);

  const sent = new Set<string>();
  for (const event of latest.events.reverse()) {
    send(event);
    sent.add(String(event._id));
  }
  // Shippers deliver late: each poll looks back a while and skips what was already sent.
  let since = Date.now() - LATE_ARRIVAL_MS;

  while (!closed) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (closed) break;
    try {
      const polledAt = Date.now();
      const page = await store.search({ query: options.query, indices: options.indices, from: since, order: 'asc', limit: 1000 });
      let fresh = 0;
      for (const event of page.events) {
        const id = String(event._id);
        if (sent.has(id)) continue;
        send(event);
        sent.add(id);
        fresh++;
      }
      if (fresh === 0) out.write(': keep-alive\n\n');
      since = polledAt - LATE_ARRIVAL_MS;
      if (sent.size > 50_000) for (const id of [...sent].slice(0, 25_000)) sent.delete(id);
    } catch (error) {
      out.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
      break;
    }
  }
  out.end();
}
