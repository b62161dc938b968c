import { LoupeError } from '@loupe/schema';
import { ApiClient } from './api-client.js';
import type { CustomerProfile } from './people.js';
import type { Random } from './random.js';

export const incidentNames = ['login-brute-force', 'request-flood', 'broker-outage', 'slow-database', 'orders-stuck'] as const;
export type IncidentName = (typeof incidentNames)[number];

/**
 * Switches for what the simulator cannot do over HTTP: the runner wires them to the real
 * servers (e.g. a TCP proxy in front of RabbitMQ it can pause). Without them those
 * incidents are refused.
 */
export interface InfrastructureSwitches {
  brokerOutage?: (on: boolean) => void | Promise<void>;
  slowDatabase?: (on: boolean) => void | Promise<void>;
}

export interface IncidentContext {
  shopUrl: string;
  random: Random;
  customers: CustomerProfile[];
  count: (what: string) => void;
  switches: InfrastructureSwitches;
}

/** Statuses staff stop handling while `orders-stuck` is on: orders pile up in production and waiting for a hand-off. */
export const stuckStatuses: ReadonlySet<string> = new Set(['ACCEPTED', 'IN_PRODUCTION', 'PRINTED']);

const commonPasswords = ['123456', 'password', 'qwerty', '111111', 'admin', 'letmein', 'йцукен', '12345678'];

/** Runs `step` back to back on `workers` loops until `active()` turns false. */
async function loop(workers: number, active: () => boolean, step: () => Promise<unknown>): Promise<void> {
  await Promise.all(Array.from({ length: workers }, async () => {
    while (active()) await step().catch(() => undefined);
  }));
}

export class Incidents {
  private readonly on = new Set<IncidentName>();
  private readonly running: Promise<void>[] = [];

  constructor(private readonly context: IncidentContext) {}

  isOn(name: IncidentName): boolean {
    return this.on.has(name);
  }

  active(): IncidentName[] {
    return [...this.on];
  }

  async set(name: IncidentName, on: boolean): Promise<void> {
    if (on === this.on.has(name)) return;
    if (name === 'broker-outage' || name === 'slow-database') {
      const flip = name === 'broker-outage' ? this.context.switches.brokerOutage : this.context.switches.slowDatabase;
      if (!flip) throw new LoupeError('SIMULATOR_INCIDENT_UNAVAILABLE', `The ${name} incident needs a switch from the runner (real servers behind a proxy); none was given`, 409);
      await flip(on);
    }
    if (on) this.on.add(name);
    else this.on.delete(name);
    if (on && name === 'login-brute-force') this.running.push(this.bruteForce());
    if (on && name === 'request-flood') this.running.push(this.flood());
  }

  /** One address trying common passwords on known logins, as fast as the Shop answers. */
  private bruteForce(): Promise<void> {
    const { random, customers } = this.context;
    return loop(4, () => this.isOn('login-brute-force'), async () => {
      const login = customers.length > 0 && random.chance(0.7) ? random.pick(customers).email : `admin${random.int(1, 99)}@example.com`;
      await new ApiClient(this.context.shopUrl).login(login, random.pick(commonPasswords));
      this.context.count('brute-force-attempt');
    });
  }

  /** Many clients fetching pages at once: a traffic spike on the Shop. */
  private flood(): Promise<void> {
    const client = new ApiClient(this.context.shopUrl);
    return loop(50, () => this.isOn('request-flood'), async () => {
      await client.call('GET', this.context.random.chance(0.5) ? '/health' : '/orders');
      this.context.count('flood-request');
    });
  }

  async stop(): Promise<void> {
    for (const name of [...this.on]) await this.set(name, false).catch(() => undefined);
    await Promise.all(this.running);
  }
}
