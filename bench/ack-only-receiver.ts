// A minimal `_bulk` receiver in its own process, for the shipper benchmark: it reads each
// body (gunzipping it when asked), counts the events and acknowledges them without storing
// anything, so the figure is the shipper's own rate rather than the platform's.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const unzip = promisify(gunzip);
const NEWLINE = 10;

function serve(): void {
  let events = 0;
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.end(JSON.stringify({ events }));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? await unzip(raw) : raw;
      let lines = 0;
      for (let at = body.indexOf(NEWLINE); at !== -1; at = body.indexOf(NEWLINE, at + 1)) lines++;
      events += lines / 2;
      response.setHeader('content-type', 'application/json');
      response.end('{"took":0,"errors":false,"items":[]}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
}

/** Starts the receiver in a child process; `events()` asks it how many it has acknowledged. */
export async function startAckOnlyReceiver(): Promise<{ url: string; events(): Promise<number>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  const url = `http://127.0.0.1:${message.port}`;
  return {
    url,
    events: async () => ((await (await fetch(url)).json()) as { events: number }).events,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

if (process.argv.includes('--serve')) serve();
