import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { waitFor } from '../testing/index.js';
import { startTcpProxy } from './tcp-proxy.js';

/** A server on 127.0.0.1 that writes back what it reads, behind a proxy; and a client of the proxy. */
async function echoBehindProxy(t: TestContext) {
  const accepted = new Set<Socket>();
  const echo = createServer((socket) => {
    accepted.add(socket);
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const proxy = await startTcpProxy('127.0.0.1', (echo.address() as { port: number }).port);
  const client = connect(proxy.port, '127.0.0.1');
  // The echo server's close waits for its connections: end them all first.
  t.after(async () => {
    client.destroy();
    await proxy.close();
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => echo.close(resolve));
  });
  await once(client, 'connect');
  let received = '';
  client.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  return { proxy, client, received: () => received };
}

function send(client: Socket, text: string): Promise<void> {
  return new Promise((resolve, reject) => client.write(text, (error) => (error ? reject(error) : resolve())));
}

test('a delayed proxy holds every chunk both ways and keeps their order; delay 0 passes them on again', async (t) => {
  const { proxy, client, received } = await echoBehindProxy(t);
  await send(client, 'before ');
  await waitFor(() => received() === 'before ', { what: 'the undelayed echo' });

  proxy.delay(150);
  const sentAt = Date.now();
  for (const word of ['one ', 'two ', 'three ']) await send(client, word);
  await waitFor(() => received().length > 'before '.length, { what: 'the first delayed echo' });
  // Held 150 ms on the way there and 150 ms on the way back: never sooner.
  assert.ok(Date.now() - sentAt >= 300, `the echo came back after ${Date.now() - sentAt} ms`);
  proxy.delay(0);
  await send(client, 'after');
  await waitFor(() => received().endsWith('after'), { what: 'the echo after the delay ended' });
  assert.equal(received(), 'before one two three after', 'nothing lost, nothing reordered');
});

test('a paused proxy resets open and new connections until it resumes', async (t) => {
  const { proxy, client } = await echoBehindProxy(t);
  client.on('error', () => undefined);
  const closed = new Promise((resolve) => client.once('close', resolve));
  proxy.pause();
  await closed;
  const refused = connect(proxy.port, '127.0.0.1');
  const [error] = await once(refused, 'error') as [NodeJS.ErrnoException];
  assert.equal(error.code, 'ECONNRESET');

  proxy.resume();
  const again = connect(proxy.port, '127.0.0.1');
  t.after(() => again.destroy());
  let echoed = '';
  again.on('data', (chunk: Buffer) => {
    echoed += chunk.toString();
  });
  await send(again, 'back');
  await waitFor(() => echoed === 'back', { what: 'an echo after resume' });
});
