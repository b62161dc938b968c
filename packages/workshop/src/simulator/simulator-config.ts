import { LoupeError } from '@loupe/schema';
import { incidentNames, isIncidentName, type IncidentName } from './incidents.js';

/** The control endpoint's port when `LOUPE_SIMULATOR_PORT` is not set. */
export const defaultSimulatorPort = 9290;

export interface SimulatorConfig {
  /** `LOUPE_SIMULATOR`: `on` (default), or `off` to run the workshop without simulated traffic. */
  enabled: boolean;
  /** `LOUPE_SIMULATOR_PORT` (default 9290; 0 = any free port): the control endpoint, on 127.0.0.1 only. */
  port: number;
  /** `LOUPE_SIMULATOR_INCIDENTS`: incidents switched on at start, comma-separated (default none). */
  incidents: IncidentName[];
  /**
   * `LOUPE_SIMULATOR_DB_DELAY_MS` (default 200): how long slow-database holds each chunk
   * each way, so a query's round trip takes at least twice this longer.
   */
  slowDatabaseDelayMs: number;
}

type Env = Record<string, string | undefined>;

function wholeNumber(env: Env, name: string, max: number, fallback: number, problems: string[]): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (Number.isInteger(value) && value >= 0 && value <= max) return value;
  problems.push(`${name}="${text}" must be a whole number from 0 to ${max}`);
  return fallback;
}

/**
 * The simulator's settings from the environment, read and checked once at start; every
 * problem is reported at once in one CONFIG_INVALID, as the workshop's own settings are.
 */
export function readSimulatorConfig(env: Env = process.env): SimulatorConfig {
  const problems: string[] = [];
  const mode = env.LOUPE_SIMULATOR || 'on';
  if (mode !== 'on' && mode !== 'off') problems.push(`LOUPE_SIMULATOR="${mode}" must be on or off`);
  const enabled = mode !== 'off';
  const named = (env.LOUPE_SIMULATOR_INCIDENTS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = named.filter((name) => !isIncidentName(name));
  if (unknown.length > 0) {
    problems.push(`LOUPE_SIMULATOR_INCIDENTS names ${unknown.map((name) => `"${name}"`).join(', ')}, not an incident: use ${incidentNames.join(', ')}`);
  }
  const incidents = [...new Set(named.filter(isIncidentName))];
  if (!enabled && incidents.length > 0) problems.push('LOUPE_SIMULATOR_INCIDENTS needs the simulator: remove LOUPE_SIMULATOR=off or the incidents');
  const config: SimulatorConfig = {
    enabled,
    port: wholeNumber(env, 'LOUPE_SIMULATOR_PORT', 65_535, defaultSimulatorPort, problems),
    incidents,
    slowDatabaseDelayMs: wholeNumber(env, 'LOUPE_SIMULATOR_DB_DELAY_MS', 60_000, 200, problems),
  };
  if (problems.length > 0) throw new LoupeError('CONFIG_INVALID', `Simulator configuration: ${problems.join('; ')}`);
  return config;
}
