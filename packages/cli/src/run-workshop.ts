import { randomBytes } from 'node:crypto';
import type { Logger } from '@loupe/log';
import {
  buildSimulatorControlApp, checkIncidentsAvailable, putServersBehindProxies, readSimulatorConfig, readWorkshopConfig, startSimulator, startWorkshop, workshopOptionsFrom,
  type ProxiedServers, type Simulator, type SimulatorConfig, type Workshop, type WorkshopConfig,
} from '@loupe/workshop';

export interface RunningWorkshop {
  describe: string;
  stop(): Promise<void>;
}

type ControlApp = Awaited<ReturnType<typeof buildSimulatorControlApp>>;

interface SimulatorParts {
  servers?: ProxiedServers;
  workshop?: Workshop;
  simulator?: Simulator;
  control?: ControlApp;
}

/** Stops what was started, the control endpoint and the traffic first, the proxies last. */
async function stopParts(parts: SimulatorParts): Promise<void> {
  await parts.control?.close();
  await parts.simulator?.stop();
  await parts.workshop?.stop();
  await parts.servers?.close();
}

/**
 * Serves the control endpoint on 127.0.0.1. A port in use (another workshop, a test) leaves
 * the simulator running without it, said in the banner and logged: the traffic and
 * LOUPE_SIMULATOR_INCIDENTS do not need it.
 */
async function serveControl(simulator: Simulator, log: Logger, port: number): Promise<{ control?: ControlApp; where: string }> {
  const control = await buildSimulatorControlApp({ simulator, log });
  try {
    await control.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await control.close();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log.warn(`The simulator's control endpoint is not served: 127.0.0.1:${port} is in use; set LOUPE_SIMULATOR_PORT to switch incidents at run time`, { 'error.code': 'EADDRINUSE' });
    return { where: `no incident control (127.0.0.1:${port} is in use: set LOUPE_SIMULATOR_PORT)` };
  }
  const address = control.server.address();
  const served = typeof address === 'object' && address ? address.port : port;
  return { control, where: `incidents at http://127.0.0.1:${served}/simulator (\`loupe incident\`)` };
}

/**
 * The workshop with its servers behind the simulator's proxies, the simulator with the
 * incidents of LOUPE_SIMULATOR_INCIDENTS on, and its control endpoint on 127.0.0.1.
 */
async function startWithSimulator(config: WorkshopConfig, simulatorConfig: SimulatorConfig): Promise<{ parts: SimulatorParts; simulator: Simulator; workshop: Workshop; where: string }> {
  const parts: SimulatorParts = {};
  try {
    parts.servers = await putServersBehindProxies({
      ...(config.databaseUrl && { databaseUrl: config.databaseUrl }), ...(config.amqpUrl && { amqpUrl: config.amqpUrl }),
      slowDatabaseDelayMs: simulatorConfig.slowDatabaseDelayMs,
    });
    // An incident these servers cannot have stops the start with its reason, before anything else runs.
    checkIncidentsAvailable(simulatorConfig.incidents, parts.servers.switches);
    const { databaseUrl, amqpUrl, queueDatabaseUrl } = parts.servers;
    const workshop = parts.workshop = await startWorkshop({ ...workshopOptionsFrom(config), databaseUrl, amqpUrl, queueDatabaseUrl });
    const password = config.staffPassword!;
    const simulator = parts.simulator = startSimulator({
      urls: { shop: workshop.urls.shop, crm: workshop.urls.crm, mes: workshop.urls.mes },
      staff: { manager: { login: 'manager@workshop', password }, operator: { login: 'operator@workshop', password } },
      switches: parts.servers.switches,
      log: workshop.logs.infrastructure,
    });
    for (const name of simulatorConfig.incidents) await simulator.setIncident(name, true);
    const { control, where } = await serveControl(simulator, workshop.logs.infrastructure, simulatorConfig.port);
    parts.control = control;
    return { parts, simulator, workshop, where };
  } catch (error) {
    await stopParts(parts).catch(() => undefined);
    throw error;
  }
}

/**
 * The four workshop services in one process, and the traffic simulator unless
 * LOUPE_SIMULATOR=off. Without LOUPE_STAFF_PASSWORD the staff accounts get a password made
 * for this run, printed once so a person can sign in as the manager.
 */
export async function runWorkshop(env: NodeJS.ProcessEnv = process.env): Promise<RunningWorkshop> {
  const generated = env.LOUPE_STAFF_PASSWORD ? undefined : randomBytes(9).toString('base64url');
  const config = readWorkshopConfig({ ...env, ...(generated && { LOUPE_STAFF_PASSWORD: generated }) });
  const simulatorConfig = readSimulatorConfig(env);
  const describe = (workshop: Workshop, simulator: string) => {
    const urls = Object.entries(workshop.urls).map(([name, url]) => `${name} ${url}`).join(', ');
    return `Workshop: ${urls}; ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'} + ${config.amqpUrl ? 'RabbitMQ' : 'embedded queue'}; `
      + `staff sign-in manager@workshop / ${generated ? `${config.staffPassword} (made for this run)` : 'LOUPE_STAFF_PASSWORD'}; `
      + `${simulator}; logs in ${config.dataDir}/logs`;
  };

  if (!simulatorConfig.enabled) {
    const workshop = await startWorkshop(workshopOptionsFrom(config));
    return { describe: describe(workshop, 'simulator off'), stop: () => workshop.stop() };
  }
  const { parts, simulator, workshop, where } = await startWithSimulator(config, simulatorConfig);
  const active = simulator.activeIncidents();
  return {
    describe: describe(workshop, `simulator on, ${where}${active.length > 0 ? `, on: ${active.join(', ')}` : ''}`),
    stop: () => stopParts(parts),
  };
}
