import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Logger } from '@loupe/log';
import { LoupeError } from '@loupe/schema';
import { createServiceApp, errorSchema } from '../http/index.js';
import { incidentNames, isIncidentName } from './incidents.js';
import type { Simulator } from './index.js';

export interface SimulatorControlDeps {
  simulator: Simulator;
  /** R1 lines of the control requests, and R17 for anything unexpected. */
  log: Logger;
}

const incidentSchema = {
  type: 'object',
  required: ['name', 'on', 'available', 'description'],
  properties: {
    name: { type: 'string', enum: [...incidentNames] },
    on: { type: 'boolean' },
    available: { type: 'boolean' },
    reason: { type: 'string', description: 'Why it cannot be switched on here, and what would allow it' },
    description: { type: 'string' },
  },
} as const;

const stateSchema = {
  type: 'object',
  required: ['clock', 'active', 'incidents', 'counts'],
  properties: {
    clock: { type: 'string', format: 'date-time', description: 'The simulated time now' },
    active: { type: 'array', items: { type: 'string' } },
    incidents: { type: 'array', items: incidentSchema },
    counts: { type: 'object', additionalProperties: { type: 'integer' }, description: 'How often each thing happened: registered, upload-422, accept-200, …' },
  },
} as const;

const switchSchema = {
  summary: 'Switch an incident on or off',
  tags: ['incidents'],
  params: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
  body: { type: 'object', required: ['on'], additionalProperties: false, properties: { on: { type: 'boolean' } } },
  response: { 200: incidentSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
};

/** `GET /simulator` and `PUT /simulator/incidents/:name`. */
const simulatorRoutes: FastifyPluginAsync<{ simulator: Simulator }> = async (app, { simulator }) => {
  app.get('/simulator', { schema: { summary: 'The simulated clock, the incidents and the counters', tags: ['simulator'], response: { 200: stateSchema } } }, async () => ({
    clock: simulator.clock().toISOString(),
    active: simulator.activeIncidents(),
    incidents: simulator.incidents(),
    counts: simulator.counts(),
  }));

  app.put<{ Params: { name: string }; Body: { on: boolean } }>('/simulator/incidents/:name', { schema: switchSchema }, async (request) => {
    const { name } = request.params;
    if (!isIncidentName(name)) {
      throw new LoupeError('SIMULATOR_UNKNOWN_INCIDENT', `There is no incident "${name}": use one of ${incidentNames.join(', ')}`, 404);
    }
    await simulator.setIncident(name, request.body.on);
    return simulator.incidents().find((incident) => incident.name === name);
  });
};

/**
 * The simulator's control endpoint: what it is doing, and incidents switched on and off
 * while it runs. Errors answer `{error:{code,message}}` as every workshop API does. Serve it
 * on 127.0.0.1 only: it has no sign-in, and it can take the workshop's broker away. Does
 * not listen.
 */
export async function buildSimulatorControlApp({ simulator, log }: SimulatorControlDeps): Promise<FastifyInstance> {
  const app = await createServiceApp({
    service: 'simulator', log, title: 'Loupe traffic simulator', bodyLimitBytes: 1024,
    description: 'Simulated customers and staff on the workshop, and incidents to switch on and off: login-brute-force, request-flood, broker-outage, slow-database, database-outage, orders-stuck.',
  });
  await app.register(simulatorRoutes, { simulator });
  return app;
}
