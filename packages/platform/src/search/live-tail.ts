import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KqlNode } from '../kql/index.js';
import type { LogStore, SortKey } from '../store/log-store.js';

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
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  request.raw.on('close', () => { closed = true; });

  const send = (event: Record<string, unknown>) => out.write(`id: ${String(event._id)}\ndata: ${JSON.stringify(event)}\n\n`);
  const keyOf = (event: Record<string, unknown>): SortKey => ({ ts: Date.parse(String(event['@timestamp'])), id: String(event._id) });

  const latest = await store.search({ query: options.query, indices: options.indices, from: Date.now() - 3_600_000, limit: options.backlog ?? 20 });
  const backlog = latest.events.reverse();
  for (const event of backlog) send(event);
  let cursor: SortKey = backlog.length > 0 ? keyOf(backlog.at(-1)!) : { ts: Date.now(), id: '' };

  while (!closed) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (closed) break;
    try {
      const page = await store.search({ query: options.query, indices: options.indices, from: cursor.ts, order: 'asc', after: cursor, limit: 500 });
      for (const event of page.events) send(event);
      if (page.events.length > 0) cursor = keyOf(page.events.at(-1)!);
      else out.write(': keep-alive\n\n');
    } catch (error) {
      out.write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
      break;
    }
  }
  out.end();
}
