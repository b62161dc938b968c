import { loadPlatformConfig, startPlatform } from '@loupe/platform';
import { loadShipperConfig, startShipper } from '@loupe/shipper';
import type { Command } from '../command.js';
import { runWorkshop } from '../run-workshop.js';

interface Running {
  describe: string;
  stop(): Promise<void>;
}

/** Components `loupe run` can start on their own, each reading its settings from the environment. */
const components: Record<string, () => Promise<Running>> = {
  async platform() {
    const platform = await startPlatform(loadPlatformConfig());
    return { describe: `Loupe platform listening on ${platform.url} (data in ${loadPlatformConfig().dataDir})`, stop: () => platform.stop() };
  },
  workshop: () => runWorkshop(),
  async shipper() {
    const config = loadShipperConfig();
    const shipper = await startShipper(config);
    const paths = config.inputs.map((input) => input.glob).join(', ');
    return { describe: `Loupe shipper: ${paths} → ${config.platformUrl}; status on ${shipper.statusUrl} (state in ${config.stateDir})`, stop: () => shipper.stop() };
  },
};

/**
 * Stops cleanly on Ctrl-C or SIGTERM; a second signal exits at once. `what` names what stops:
 * Ctrl-C reaches `loupe start` and each of its components, and each says which it is.
 */
export function stopOnSignals(stop: () => Promise<void>, what: string): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.error(`\n${signal}: stopping ${what}…`);
    stop().then(() => process.exit(0), (error: unknown) => {
      console.error(`stop failed: ${(error as Error).message}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Names `loupe run` accepts. */
export function runnableComponents(): string[] {
  return Object.keys(components);
}

export const runCommand: Command = {
  name: 'run',
  summary: `Run one component on its own: ${Object.keys(components).join(', ')}`,
  usage: `loupe run <${Object.keys(components).join('|')}>`,
  async run(argv) {
    const name = argv[0];
    const start = name ? components[name] : undefined;
    if (!start) {
      console.error(`loupe run: ${name ? `unknown component "${name}"` : 'name a component'}; one of ${Object.keys(components).join(', ')}`);
      return 2;
    }
    if (argv.length > 1) {
      console.error(`loupe run ${name}: unexpected argument "${argv[1]}"; a component takes its settings from the environment (LOUPE_*), not from arguments`);
      return 2;
    }
    const running = await start();
    console.log(running.describe);
    stopOnSignals(running.stop, `the ${name}`);
    await new Promise(() => undefined);
    return 0;
  },
};
