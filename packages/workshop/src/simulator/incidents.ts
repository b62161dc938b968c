import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { ApiClient } from './api-client.js';
import type { CustomerProfile } from './people.js';
import type { Random } from './random.js';

export const incidentNames = ['login-brute-force', 'request-flood', 'broker-outage', 'slow-database', 'database-outage', 'orders-stuck'] as const;
export type IncidentName = (typeof incidentNames)[number];
/** The incidents the simulator cannot cause over HTTP: they need the runner's servers. */
export type InfrastructureIncident = 'broker-outage' | 'slow-database' | 'database-outage';

/** What each incident does, as `GET /simulator` and `loupe incident` show it. */
export const incidentDescriptions: Readonly<Record<IncidentName, string>> = {
  'login-brute-force': 'one address tries common passwords on known logins: failed logins, R16 at WARN',
  'request-flood': '50 clients fetch Shop pages back to back: a traffic spike',
  'broker-outage': 'the queue loses its broker: messages wait in the outbox, R2/R3 retries until it is back',
  'slow-database': 'every database round trip is held up: slow queries (R14) and slow requests (R1)',
  'database-outage': 'the workshop loses PostgreSQL: 503 DB_UNAVAILABLE, R2/R3/R15 lines; messages wait and orders carry on once it is back',
  'orders-stuck': 'staff stop handling accepted, in-production and printed orders: they pile up',
};

export function isIncidentName(name: string): name is IncidentName {
  return (incidentNames as readonly string[]).includes(name);
}

/**
 * Switches for what the simulator cannot do over HTTP: the runner wires them to the real
 * servers (e.g. a TCP proxy in front of RabbitMQ it can pause). Without them those
 * incidents are refused.
 */
export interface InfrastructureSwitches {
  brokerOutage?: (on: boolean) => void | Promise<void>;
  slowDatabase?: (on: boolean) => void | Promise<void>;
  databaseOutage?: (on: boolean) => void | Promise<void>;
  /** Why the runner has no switch for an incident on its servers, and what would give one: the refusal says it. */
  unavailable?: Partial<Record<InfrastructureIncident, string>>;
}

/** One incident as the control endpoint shows it. */
export interface IncidentState {
  name: IncidentName;
  on: boolean;
  /** False when the runner gave no switch for it: asking for it answers 409 with `reason`. */
  available: boolean;
  reason?: string;
  description: string;
}

export interface IncidentContext {
  shopUrl: string;
  random: Random;
  customers: CustomerProfile[];
  count: (what: string) => void;
  switches: InfrastructureSwitches;
  /** Told of every incident switched on or off, so the logs show when one began. */
  log?: Logger;
}

/** Why `name` cannot be switched on with these switches, or undefined when it can. */
export function unavailableReason(name: IncidentName, switches: InfrastructureSwitches): string | undefined {
  if (name === 'broker-outage' && !switches.brokerOutage) return switches.unavailable?.[name] ?? noSwitch(name);
  if (name === 'slow-database' && !switches.slowDatabase) return switches.unavailable?.[name] ?? noSwitch(name);
  if (name === 'database-outage' && !switches.databaseOutage) return switches.unavailable?.[name] ?? noSwitch(name);
  return undefined;
}

/** Throws SIMULATOR_INCIDENT_UNAVAILABLE (409) for the first of `names` these switches cannot turn on. */
export function checkIncidentsAvailable(names: readonly IncidentName[], switches: InfrastructureSwitches): void {
  for (const name of names) {
    const reason = unavailableReason(name, switches);
    if (reason !== undefined) throw new LoupeError('SIMULATOR_INCIDENT_UNAVAILABLE', reason, 409);
  }
}

function noSwitch(name: IncidentName): string {
  return `The ${name} incident needs a switch from the runner (real servers behind a proxy); none was given`;
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
  // One switch at a time: two requests for the same incident must not both flip a proxy.
  private switching: Promise<unknown> = Promise.resolve();

  constructor(private readonly context: IncidentContext) {}

  isOn(name: IncidentName): boolean {
    return this.on.has(name);
  }

  active(): IncidentName[] {
    return [...this.on];
  }

  states(): IncidentState[] {
    return incidentNames.map((name) => {
      const reason = unavailableReason(name, this.context.switches);
      return { name, on: this.on.has(name), available: reason === undefined, ...(reason !== undefined && { reason }), description: incidentDescriptions[name] };
    });
  }

  set(name: IncidentName, on: boolean): Promise<void> {
    const turn = this.switching.then(() => this.apply(name, on));
    this.switching = turn.catch(() => undefined);
    return turn;
  }

  private switchFor(name: IncidentName): ((on: boolean) => void | Promise<void>) | undefined {
    if (name === 'broker-outage') return this.context.switches.brokerOutage;
    if (name === 'slow-database') return this.context.switches.slowDatabase;
    if (name === 'database-outage') return this.context.switches.databaseOutage;
    return undefined;
  }

  private async apply(name: IncidentName, on: boolean): Promise<void> {
    if (on === this.on.has(name)) return;
    checkIncidentsAvailable([name], this.context.switches);
    await this.switchFor(name)?.(on);
    if (on) this.on.add(name);
    else this.on.delete(name);
    this.context.log?.info(on ? `Simulator incident ${name} started: ${incidentDescriptions[name]}` : `Simulator incident ${name} ended`, {
      'event.action': on ? 'simulator-incident-started' : 'simulator-incident-ended',
      'labels.incident': name,
    });
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
