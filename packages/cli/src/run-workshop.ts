import { randomBytes } from 'node:crypto';
import { readWorkshopConfig, startSimulator, startWorkshop, workshopOptionsFrom } from '@loupe/workshop';

export interface RunningWorkshop {
  describe: string;
  stop(): Promise<void>;
}

/**
 * The four workshop services in one process, and the traffic simulator unless
 * LOUPE_SIMULATOR=off. Without LOUPE_STAFF_PASSWORD the staff accounts get a password made
 * for this run, printed once so a person can sign in as the manager.
 */
export async function runWorkshop(env: NodeJS.ProcessEnv = process.env): Promise<RunningWorkshop> {
  const generated = env.LOUPE_STAFF_PASSWORD ? undefined : randomBytes(9).toString('base64url');
  const config = readWorkshopConfig({ ...env, ...(generated && { LOUPE_STAFF_PASSWORD: generated }) });
  const workshop = await startWorkshop(workshopOptionsFrom(config));
  const password = config.staffPassword!;
  const simulator = env.LOUPE_SIMULATOR === 'off'
    ? undefined
    : startSimulator({
        urls: { shop: workshop.urls.shop, crm: workshop.urls.crm, mes: workshop.urls.mes },
        staff: { manager: { login: 'manager@workshop', password }, operator: { login: 'operator@workshop', password } },
      });
  const urls = Object.entries(workshop.urls).map(([name, url]) => `${name} ${url}`).join(', ');
  return {
    describe: `Workshop: ${urls}; ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'} + ${config.amqpUrl ? 'RabbitMQ' : 'embedded queue'}; `
      + `staff sign-in manager@workshop / ${generated ? `${password} (made for this run)` : 'LOUPE_STAFF_PASSWORD'}; `
      + `simulator ${simulator ? 'on' : 'off'}; logs in ${config.dataDir}/logs`,
    async stop() {
      await simulator?.stop();
      await workshop.stop();
    },
  };
}
