import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now, for a component a test or benchmark starts in another process. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A port held on 127.0.0.1 until the test ends, for a test of a component whose port is taken. */
export async function takenPort(t: { after(fn: () => void | Promise<void>): void }): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}
