import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@loupe/log';
import { customerVisit, type VisitContext } from './customer-visit.js';
import { Incidents, stuckStatuses, type IncidentName, type IncidentState, type InfrastructureSwitches } from './incidents.js';
import type { CustomerProfile } from './people.js';
import { Random } from './random.js';
import { staffShift, type StaffLogin } from './staff-shift.js';

export interface SimulatorOptions {
  urls: { shop: string; crm: string; mes: string };
  staff: { manager: StaffLogin; operator: StaffLogin };
  /** Simulated time runs this many times faster than real time (default 60: a day in 24 minutes). */
  speed?: number;
  /** Visits started per simulated hour at the busiest hour (default 40). */
  peakVisitsPerHour?: number;
  /** Visits in progress at most; arrivals beyond are turned away (default 40). */
  maxConcurrentVisits?: number;
  /** Share of uploads with a flawed file (default 0.08). */
  flawRate?: number;
  /** Share of customers who leave an order half-way (default 0.15). */
  abandonRate?: number;
  /** Real milliseconds between two rounds of the staff (default 2000). */
  staffRoundMs?: number;
  /** The simulated clock's start (default now): sets where in the daily rhythm traffic begins. */
  startAt?: Date;
  seed?: number;
  switches?: InfrastructureSwitches;
  /** Where an incident's start and end are logged (default: nowhere). */
  log?: Logger;
}

export interface Simulator {
  /** The simulated time now. */
  clock(): Date;
  /** Rejects with SIMULATOR_INCIDENT_UNAVAILABLE (409) when the runner gave no switch for it. */
  setIncident(name: IncidentName, on: boolean): Promise<void>;
  activeIncidents(): IncidentName[];
  /** Every incident: on or off, and whether it can be switched on here. */
  incidents(): IncidentState[];
  /** How often each thing happened: `registered`, `upload-422`, `accept-200`, … */
  counts(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * Share of the busiest hour's traffic in each hour of the day: quiet at night, a lunch peak
 * and a bigger evening peak, as a shop's orders per hour usually look.
 */
export const hourlyRhythm = [
  0.05, 0.03, 0.02, 0.02, 0.02, 0.04, 0.1, 0.25, 0.45, 0.6, 0.75, 0.85, 1, 0.95, 0.8, 0.7, 0.7, 0.75, 0.85, 1, 0.95, 0.7, 0.4, 0.15,
];

/** Customers and staff using the workshop over HTTP, around the clock at `speed`. */
export function startSimulator(options: SimulatorOptions): Simulator {
  const speed = options.speed ?? 60;
  const random = new Random(options.seed ?? Date.now());
  const realStart = Date.now();
  const simStart = (options.startAt ?? new Date()).getTime();
  const clock = () => new Date(simStart + (Date.now() - realStart) * speed);
  const tally = new Map<string, number>();
  const count = (what: string): void => {
    tally.set(what, (tally.get(what) ?? 0) + 1);
  };
  const customers: CustomerProfile[] = [];
  let serial = 0;
  let stopped = false;
  // Stopping cuts every wait short, so no visit sits out a simulated hour of thinking.
  const stopping = new AbortController();
  setMaxListeners(0, stopping.signal);
  const incidents = new Incidents({ shopUrl: options.urls.shop, random, customers, count, switches: options.switches ?? {}, ...(options.log && { log: options.log }) });

  const context: VisitContext = {
    shopUrl: options.urls.shop, random, customers, count,
    nextSerial: () => ++serial,
    minutes: (simulated) => (simulated * 60_000) / speed,
    sleep: (ms) => sleep(ms, undefined, { ref: false, signal: stopping.signal }).catch(() => undefined),
    stopped: () => stopped,
    flawRate: options.flawRate ?? 0.08,
    abandonRate: options.abandonRate ?? 0.15,
  };
  const visits = new Set<Promise<void>>();
  const maxVisits = options.maxConcurrentVisits ?? 40;

  const arrivals = (async () => {
    while (!stopped) {
      const perHour = (options.peakVisitsPerHour ?? 40) * hourlyRhythm[clock().getHours()]!;
      await context.sleep(random.exponential(3_600_000 / perHour) / speed);
      if (stopped) break;
      if (visits.size >= maxVisits) {
        count('turned-away');
        continue;
      }
      const visit = customerVisit(context).catch(() => count('visit-error')).finally(() => visits.delete(visit));
      visits.add(visit);
    }
  })();

  const round = staffShift({
    crmUrl: options.urls.crm, mesUrl: options.urls.mes, manager: options.staff.manager, operator: options.staff.operator, random, count,
    ignored: () => (incidents.isOn('orders-stuck') ? stuckStatuses : new Set()),
  });
  const staff = (async () => {
    while (!stopped) {
      await round().catch(() => count('staff-error'));
      await context.sleep(options.staffRoundMs ?? 2_000);
    }
  })();

  return {
    clock,
    setIncident: (name, on) => incidents.set(name, on),
    activeIncidents: () => incidents.active(),
    incidents: () => incidents.states(),
    counts: () => Object.fromEntries(tally),
    async stop() {
      stopped = true;
      stopping.abort();
      await incidents.stop();
      await Promise.all([arrivals, staff, ...visits]);
    },
  };
}

export { incidentNames, incidentDescriptions, isIncidentName, checkIncidentsAvailable, type IncidentName, type IncidentState, type InfrastructureIncident, type InfrastructureSwitches } from './incidents.js';
export { buildSimulatorControlApp, type SimulatorControlDeps } from './control-app.js';
export { putServersBehindProxies, type ProxiedServers, type ProxiedServersOptions } from './proxied-servers.js';
export { readSimulatorConfig, defaultSimulatorPort, type SimulatorConfig } from './simulator-config.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { ApiClient, modelForm, type ApiResponse, type ApiError, type CallOptions } from './api-client.js';
export { customerProfile, type CustomerProfile } from './people.js';
export { simulatedModel, type ModelFlaw, type SimulatedModel } from './models.js';
export { Random } from './random.js';
