import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { loadPlatformConfig, platformAddress } from '@loupe/platform';
import type { Command } from '../command.js';
import { runnableComponents, stopOnSignals } from './run.js';

const cli = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * Starts `loupe run <component>` in its own process, adds it to `started` at once (so a stop
 * reaches it while it is still starting) and waits for its first line of output.
 */
async function startComponent(component: string, started: ChildProcess[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  // Its own process group: Ctrl-C reaches only this process, which then stops each component in order.
  const child = spawn(process.execPath, [cli, 'run', component], { stdio: ['ignore', 'pipe', 'inherit'], detached: true, env });
  started.push(child);
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // The banner is the first line that is not one of the component's JSON log lines.
  const banner = () => output.split('\n').slice(0, -1).find((line) => !line.startsWith('{'));
  while (!banner()) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`loupe run ${component} exited with ${child.signalCode ?? `code ${child.exitCode}`}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // After the banner, a component's stdout is its JSON log lines: they go to files, not to this terminal.
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  return banner()!;
}

/** The banner's word on access: with no sign-in yet, who can read the logs depends on the interface. */
export function accessNotice(host: string): string {
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  return loopback
    ? `No sign-in yet: the platform listens on ${host} only until access control lands.`
    : `No sign-in yet, and the platform listens on ${host} (LOUPE_PLATFORM_HOST): anyone who can reach it reads every log.`;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

export const startCommand: Command = {
  name: 'start',
  summary: 'Run the whole system on embedded defaults: the log platform, the workshop and the shipper between them, each in its own process',
  usage: 'loupe start',
  async run() {
    const config = loadPlatformConfig();
    console.log(`Loupe — data in ${config.dataDir}`);
    const children: ChildProcess[] = [];
    const stopAll = async () => {
      // The workshop first, so its last lines are written before the shipper's last round; the platform last.
      for (const child of children.slice(1)) await stopChild(child);
      if (children[0]) await stopChild(children[0]);
    };
    // Ctrl-C while the components start stops those already running, not only this process.
    stopOnSignals(stopAll, 'everything');
    try {
      console.log(`  ${await startComponent('platform', children)}`);
      if (runnableComponents().includes('workshop')) console.log(`  ${await startComponent('workshop', children)}`);
      // The shipper tails the workshop's (and the platform's own) log files into the platform (R23).
      console.log(`  ${await startComponent('shipper', children, { ...process.env, LOUPE_URL: platformAddress(config) })}`);
    } catch (error) {
      // A component that cannot start stops those before it: none is left holding its port and data.
      await stopAll();
      throw error;
    }
    console.log([
      '',
      'In another terminal:',
      '  npx loupe tail --text                          the logs as they arrive',
      "  npx loupe search 'log.level:error' --from 1h   the last hour's errors",
      "  npx loupe top service.name 'log.level:error'   which service fails most",
      "  npx loupe fields 'service.name:mes-api'        what MES logs carry, field by field",
      '  npx loupe journey ORD-1001                     one order across every service',
      '  npx loupe status                               what the platform holds, how far behind the shipper is',
      `The platform's API: ${platformAddress(config)}/api/search?q=*`,
    ].join('\n'));
    console.log(`${accessNotice(config.host)} Ctrl-C stops everything.`);
    for (const child of children) {
      child.on('exit', (code) => {
        if (code !== 0 && code !== null) console.error(`a component exited with code ${code}; Ctrl-C to stop the rest`);
      });
    }
    await new Promise(() => undefined);
    return 0;
  },
};
