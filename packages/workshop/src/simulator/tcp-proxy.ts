import { createServer, connect, type Socket } from 'node:net';
import { registerForward } from '../endpoint-names.js';

export interface TcpProxy {
  /** The port on 127.0.0.1 to connect to instead of the target's. */
  readonly port: number;
  /** Simulates an outage: resets every open connection and every new one until `resume()`. */
  pause(): void;
  resume(): void;
  /**
   * Holds every chunk, in both directions, `ms` after it arrived before passing it on, in
   * order: a round trip takes at least `2 × ms` longer. 0 passes chunks on at once again.
   */
  delay(ms: number): void;
  close(): Promise<void>;
}

/**
 * Copies `from` to `to`, each chunk held `delayMs()` from when it arrived. Chunks keep their
 * order, and `from` is paused while `to` cannot take more (back-pressure, as `pipe` does).
 */
function relay(from: Socket, to: Socket, delayMs: () => number): void {
  const held: { chunk: Buffer; dueAt: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  let draining = false;
  // Ended or closed, `from` ends `to` once the chunks it holds are passed on.
  const finish = () => {
    ended = true;
    if (held.length === 0) to.end();
  };

  const write = (chunk: Buffer) => {
    if (to.destroyed || to.write(chunk) || draining) return;
    draining = true;
    from.pause();
    to.once('drain', () => {
      draining = false;
      from.resume();
    });
  };
  const flush = () => {
    timer = undefined;
    const now = Date.now();
    while (held.length > 0 && held[0]!.dueAt <= now) write(held.shift()!.chunk);
    if (held.length > 0) timer = setTimeout(flush, held[0]!.dueAt - now);
    else if (ended) to.end();
  };

  from.on('data', (chunk: Buffer) => {
    const ms = delayMs();
    // Behind held chunks even an undelayed one waits its turn, so the order holds.
    if (ms <= 0 && held.length === 0) return write(chunk);
    held.push({ chunk, dueAt: Date.now() + ms });
    timer ??= setTimeout(flush, ms);
  });
  from.on('end', finish);
  from.on('close', finish);
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server, to cut a client off and let it back in, or
 * slow it down, without touching the server (never stop the machine's own PostgreSQL or
 * RabbitMQ). The simulator puts the workshop's servers behind these for its incidents.
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let paused = false;
  let delayMs = 0;
  const currentDelay = () => delayMs;

  function cut(client: Socket, upstream: Socket): void {
    // A reset, not a clean close: the client sees ECONNRESET, as when a server dies.
    if (!client.destroyed) client.resetAndDestroy();
    upstream.destroy();
  }

  function cutAll(): void {
    for (const [client, upstream] of pairs) cut(client, upstream);
    pairs.clear();
  }

  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (paused) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    upstream.on('error', () => cut(client, upstream));
    client.on('close', () => pairs.delete(pair));
    upstream.on('close', () => pairs.delete(pair));
    relay(client, upstream, currentDelay);
    relay(upstream, client, currentDelay);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The TCP proxy has no port');
  // Log lines of connections through the proxy name the server it leads to.
  const unregister = registerForward(`127.0.0.1:${address.port}`, `${targetHost}:${targetPort}`);

  return {
    port: address.port,
    pause() {
      paused = true;
      cutAll();
    },
    resume() {
      paused = false;
    },
    delay(ms) {
      delayMs = Math.max(0, ms);
    },
    close() {
      paused = true;
      unregister();
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A proxy in front of the server a URL names, and the same URL through it (its port by default when the URL names none). */
export async function proxyServer(url: URL, defaultPort: number): Promise<{ proxy: TcpProxy; url: string }> {
  // URL keeps IPv6 hosts in brackets; a socket wants them bare.
  const proxy = await startTcpProxy(url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', Number(url.port || defaultPort));
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
}
