import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@loupe/schema';

const cli = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/** `loupe run platform` in its own process, as in production: the benchmark client does not share its CPU time. */
export async function startPlatformProcess(dataDir: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.LOUPE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'run', 'platform'], {
    env: { ...process.env, LOUPE_DATA_DIR: dataDir, LOUPE_PLATFORM_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const started = Date.now();
  while (!output.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`platform exited: ${output}`);
    if (Date.now() - started > 30_000) throw new Error('platform did not start in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/**
 * The events the platform holds, from `/api/indices`. Like every read, it first loads the
 * batches acknowledged and waiting (LOUPE_LOAD_INTERVAL_MS), so a clock stopped after it
 * counts the time until every event is searchable.
 */
export async function storedEvents(url: string): Promise<number> {
  const { indices } = (await (await fetch(`${url}/api/indices`)).json()) as { indices: Array<{ events: number }> };
  return indices.reduce((sum, index) => sum + index.events, 0);
}
