import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port on 127.0.0.1 to connect to instead of the target's. */
  readonly port: number;
  /** Simulates an outage: resets every open connection and every new one until `resume()`. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server, to cut a client off and let it back in
 * without touching the server (never stop the machine's own PostgreSQL or RabbitMQ).
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let paused = false;

  function cut(client: Socket, upstream: Socket): void {
    // A reset, not a clean close: the client sees ECONNRESET, as when a server dies.
    if (!client.destroyed) client.resetAndDestroy();
    upstream.destroy();
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
    client.on('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => {
      pairs.delete(pair);
      if (!client.destroyed) client.end();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The TCP proxy has no port');

  return {
    port: address.port,
    pause() {
      paused = true;
      for (const [client, upstream] of pairs) cut(client, upstream);
      pairs.clear();
    },
    resume() {
      paused = false;
    },
    close() {
      paused = true;
      for (const [client, upstream] of pairs) cut(client, upstream);
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
