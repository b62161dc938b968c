import { incidentNames, readSimulatorConfig, type IncidentState } from '@loupe/workshop';
import { commandArgs, type Command } from '../command.js';

const usage = `loupe incident [NAME on|off] [--json]   NAME: ${incidentNames.join(', ')}`;

interface SimulatorState {
  clock: string;
  active: string[];
  incidents: IncidentState[];
  counts: Record<string, number>;
}

interface ErrorBody {
  error?: { code: string; message: string };
}

/** The running workshop's simulator control endpoint: on 127.0.0.1, at LOUPE_SIMULATOR_PORT (default 9290). */
export function simulatorUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://127.0.0.1:${readSimulatorConfig(env).port}/simulator`;
}

/** Calls the control endpoint; a clear message when the workshop (or its simulator) is not running. */
async function callSimulator<T>(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: T & ErrorBody }> {
  const base = simulatorUrl();
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      // Switching an incident on the servers waits for the proxies; never for ever.
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const reason = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new Error(`the workshop's simulator does not answer at ${base} (${reason}): start the workshop with \`npm start\` or \`loupe run workshop\` `
      + '(without LOUPE_SIMULATOR=off), or set LOUPE_SIMULATOR_PORT to the port it serves on');
  }
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T & ErrorBody };
}

function printIncidents(state: SimulatorState): void {
  const width = Math.max(...state.incidents.map((incident) => incident.name.length));
  console.log(`Simulated time ${state.clock}. Incidents (loupe incident NAME on|off):`);
  for (const incident of state.incidents) {
    const mark = incident.on ? 'on ' : incident.available ? 'off' : ' - ';
    const about = incident.available ? incident.description : `unavailable: ${incident.reason ?? ''}`;
    console.log(`  ${mark}  ${incident.name.padEnd(width)}  ${about}`);
  }
  const counts = Object.entries(state.counts).sort(([a], [b]) => a.localeCompare(b));
  if (counts.length > 0) console.log(`Counts: ${counts.map(([what, n]) => `${what} ${n}`).join(', ')}`);
}

function refused(status: number, body: ErrorBody): number {
  console.error(`loupe incident: ${body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${status} from ${simulatorUrl()}`}`);
  return 1;
}

/** `loupe incident`: lists the simulator's incidents, or switches one on or off, on the running workshop. */
export const incidentCommand: Command = {
  name: 'incident',
  summary: 'List the traffic simulator\'s incidents, or switch one on or off in the running workshop',
  usage,
  async run(argv) {
    const parsed = commandArgs({ name: 'incident', usage }, { args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    if (!parsed) return 2;
    const { positionals, values } = parsed;
    const [name, state] = positionals;
    if (positionals.length === 0) {
      const answer = await callSimulator<SimulatorState>('GET', '');
      if (answer.status !== 200) return refused(answer.status, answer.body);
      if (values.json) console.log(JSON.stringify(answer.body, null, 2));
      else printIncidents(answer.body);
      return 0;
    }
    if (positionals.length !== 2 || (state !== 'on' && state !== 'off')) {
      console.error(`Usage: ${usage}`);
      return 2;
    }
    const answer = await callSimulator<IncidentState>('PUT', `/incidents/${encodeURIComponent(name!)}`, { on: state === 'on' });
    if (answer.status !== 200) return refused(answer.status, answer.body);
    if (values.json) console.log(JSON.stringify(answer.body, null, 2));
    else console.log(`${answer.body.name} is ${answer.body.on ? 'on' : 'off'}${answer.body.on ? `: ${answer.body.description}` : ''}`);
    return 0;
  },
};
