import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The compiled `loupe` entry point, for tests that run the command as a user would. */
export const cli = fileURLToPath(new URL('../main.js', import.meta.url));

/** A port free on 127.0.0.1 right now, for a component the test starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
