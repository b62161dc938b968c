import { DEAD_LETTER_PREFIX } from '@loupe/platform';
import { loadShipperConfig, type ShipperStatus } from '@loupe/shipper';
import { count } from '../count.js';
import { commandArgs, type Command } from '../command.js';
import { getJson, platformUrl } from '../platform-client.js';

interface IndexRow {
  name: string;
  events: number;
  tier: 'hot' | 'cold';
  day: number | null;
}

const counted = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function mebibytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${count(bytes)} bytes` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The platform's indices in two lines: logs (with their days) and dead letters. */
function indicesLines(indices: IndexRow[]): string[] {
  const logs = indices.filter((index) => !index.name.startsWith(DEAD_LETTER_PREFIX));
  const dead = indices.filter((index) => index.name.startsWith(DEAD_LETTER_PREFIX));
  const events = logs.reduce((sum, index) => sum + index.events, 0);
  const hot = logs.filter((index) => index.tier === 'hot').length;
  const days = logs.flatMap((index) => (index.day === null ? [] : [index.day])).sort((a, b) => a - b);
  const lines = [`  indices       ${count(logs.length)} (${hot} hot, ${logs.length - hot} cold), ${counted(events, 'event')}${days.length > 0 ? `, days ${day(days[0]!)} to ${day(days.at(-1)!)}` : ''}`];
  const deadEvents = dead.reduce((sum, index) => sum + index.events, 0);
  if (deadEvents > 0) lines.push(`  dead letters  ${counted(deadEvents, 'event')} that could not be read (loupe search '*' --indices '${DEAD_LETTER_PREFIX}*')`);
  return lines;
}

function shipperLines(status: ShipperStatus): string[] {
  const c = status.counters;
  return [
    `  platform      ${status.platformReachable ? 'reachable' : `NOT reachable${status.lastError ? `: ${status.lastError}` : ''}`} (${status.platformUrl})`,
    `  shipped       ${counted(c.eventsShipped, 'event')} (${count(c.eventsRejected)} dead-lettered), ${counted(c.retries, 'retry', 'retries')} since start`,
    `  lag           ${mebibytes(status.lag.bytes)}, ${status.lag.seconds} s; ${counted(status.files.filter((file) => file.live).length, 'file')} followed${status.readingPaused ? '; reading paused (buffer full)' : ''}`,
    `  disk buffer   ${mebibytes(status.buffer.bytes)} of ${mebibytes(status.buffer.maxBytes)}`,
    ...((status.unreadable ?? []).length > 0 ? [`  unreadable    ${counted(status.unreadable.length, 'file')} it may not open, not shipped: ${status.unreadable.slice(0, 3).join(', ')}${status.unreadable.length > 3 ? ', …' : ''} (check their permissions)`] : []),
  ];
}

/** GET a JSON status, or undefined when nothing answers there. */
async function tryJson<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

export const statusCommand: Command = {
  name: 'status',
  summary: "Show the platform's indices and the local shipper's progress: events, days, dead letters, lag, disk buffer",
  usage: 'loupe status [--json]',
  async run(argv) {
    const parsed = commandArgs(statusCommand, { args: argv, options: { json: { type: 'boolean', default: false } } });
    if (!parsed) return 2;
    // The platform down is when the shipper's side matters most: show it either way.
    let indices: IndexRow[] | undefined;
    let platformError: string | undefined;
    try {
      indices = (await getJson<{ indices: IndexRow[] }>('/api/indices', 'indices')).indices;
    } catch (error) {
      platformError = (error as Error).message;
    }
    const shipperUrl = `http://127.0.0.1:${loadShipperConfig(process.env).port}/status`;
    const shipper = await tryJson<ShipperStatus>(shipperUrl);
    if (parsed.values.json) {
      console.log(JSON.stringify({ platform: { url: platformUrl(), ...(indices ? { indices } : { error: platformError }) }, shipper: shipper ?? null }, null, 2));
    } else {
      console.log(`Platform  ${platformUrl()}${indices ? '' : `: ${platformError}`}`);
      if (indices) for (const line of indicesLines(indices)) console.log(line);
      console.log(`Shipper   ${shipperUrl.replace(/\/status$/, '')}${shipper ? '' : ': not running here (LOUPE_SHIPPER_PORT says where)'}`);
      if (shipper) for (const line of shipperLines(shipper)) console.log(line);
    }
    return indices ? 0 : 1;
  },
};
