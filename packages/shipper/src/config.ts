import { join, resolve } from 'node:path';
import { integerSetting, LoupeError, MAX_TIMER_MS } from '@loupe/schema';
import { parserNames, type ParserName } from './parsers/parser.js';

/** One `LOUPE_SHIPPER_PATHS` entry: a glob, and the parser its files get (chosen by file name when absent). */
export interface InputPattern {
  glob: string;
  parser?: ParserName;
}

export interface ShipperConfig {
  /** LOUPE_DATA_DIR (default ./data): the workshop writes `<dataDir>/logs/<service>/<service>.log`. */
  dataDir: string;
  /** `<dataDir>/shipper`: the offset registry and the disk buffer. */
  stateDir: string;
  /** `<dataDir>/logs`: `*.log` files under it are the workshop's JSON lines. */
  workshopLogDir: string;
  /** LOUPE_URL (default http://127.0.0.1:9280): the platform, whose `/_bulk` takes the events. */
  platformUrl: string;
  /** LOUPE_SHIPPER_PATHS: comma-separated globs, each optionally `parser:glob` (default `<dataDir>/logs/**\/*.log`). */
  inputs: InputPattern[];
  /** LOUPE_SHIPPER_START_AT: where a file never seen before is read from on the first scan (default beginning). */
  startAt: 'beginning' | 'end';
  /** LOUPE_SHIPPER_PORT (default 9281; 0 picks a free port): `GET /status` on 127.0.0.1. */
  port: number;
  /** LOUPE_SHIPPER_BATCH_BYTES (default 2 MiB): a batch is sent once its NDJSON body is this big … */
  batchMaxBytes: number;
  /** LOUPE_SHIPPER_BATCH_WAIT_MS (default 1000): … or once its first event has waited this long. */
  batchWaitMs: number;
  /** LOUPE_SHIPPER_IN_FLIGHT (default 2): batches sent at once from memory; more wait, or go to the disk buffer. */
  maxInFlightBatches: number;
  /** LOUPE_SHIPPER_BUFFER_BYTES (default 256 MiB): disk buffer size; when full, reading pauses (nothing is dropped). */
  bufferMaxBytes: number;
  /**
   * LOUPE_SHIPPER_COMPRESSION: `gzip` (level 1) or `none` for request bodies. The default,
   * `auto`, is gzip unless the platform is on this machine, where compressing costs more CPU
   * than it saves (measured: BENCHMARKS.md). Disk buffer segments are always gzipped.
   */
  compression: 'gzip' | 'none';
  /** LOUPE_SHIPPER_MAX_LINE_BYTES (default 1,000,000): longer lines are truncated, with a marker. */
  maxLineBytes: number;
  /** LOUPE_SHIPPER_POLL_MS (default 250): how often open files are checked for new bytes. */
  pollMs: number;
  /** LOUPE_SHIPPER_SCAN_MS (default 1000): how often the globs are expanded to find new files. */
  scanMs: number;
  /** LOUPE_SHIPPER_MULTILINE_WAIT_MS (default 2000): a multi-line event at the end of an idle file is sent after this. */
  multilineWaitMs: number;
  /** LOUPE_SHIPPER_CLOSE_INACTIVE_MS (default 5000): a renamed-away or deleted file, read to its end, is closed after this idle time. */
  closeInactiveMs: number;
  /** LOUPE_SHIPPER_METRICS_MS (default 30000): how often the shipper logs its metrics. */
  metricsIntervalMs: number;
  /** LOUPE_SHIPPER_RETRY_MAX_MS (default 30000): the longest wait between two attempts to send (backoff with jitter). */
  retryMaxMs: number;
}

/** Largest batch: the platform (and Elasticsearch) refuse bodies over 100 MiB by default. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;
/** Longest line kept whole: the read buffer holds two of them. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new LoupeError('CONFIG_INVALID', `${name}="${raw}" must be one of ${allowed.join(', ')}`);
  return raw as T;
}

function inputsFrom(raw: string | undefined, workshopLogDir: string): InputPattern[] {
  if (raw === undefined || raw.trim() === '') return [{ glob: join(workshopLogDir, '**', '*.log') }];
  return raw.split(',').map((item) => item.trim()).filter((item) => item !== '').map((item) => {
    const colon = item.indexOf(':');
    const prefix = colon > 0 ? item.slice(0, colon) : '';
    const known = (parserNames as readonly string[]).includes(prefix);
    // `xml:/var/log/*.log` is a parser name mistyped, not a folder called "xml:": say so instead of tailing nothing.
    if (!known && /^[a-z][a-z0-9-]+$/i.test(prefix)) {
      throw new LoupeError('CONFIG_INVALID', `LOUPE_SHIPPER_PATHS names the parser "${prefix}" in "${item}": use one of ${parserNames.join(', ')}, e.g. postgresql:/var/log/postgresql/*.log`);
    }
    const glob = known ? item.slice(colon + 1).trim() : item;
    if (glob === '') throw new LoupeError('CONFIG_INVALID', `LOUPE_SHIPPER_PATHS has "${item}" without a path after the parser: write ${prefix}:/path/to/*.log`);
    return known ? { glob: resolve(glob), parser: prefix as ParserName } : { glob: resolve(glob) };
  });
}

function platformUrlFrom(raw: string | undefined): string {
  const url = raw || 'http://127.0.0.1:9280';
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new LoupeError('CONFIG_INVALID', `LOUPE_URL="${url}" must be an http:// or https:// address, e.g. http://127.0.0.1:9280`);
  }
  return url.replace(/\/+$/, '');
}

function compressionFor(choice: 'auto' | 'gzip' | 'none', platformUrl: string): 'gzip' | 'none' {
  if (choice !== 'auto') return choice;
  const host = new URL(platformUrl).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.') ? 'none' : 'gzip';
}

/** The shipper's settings, read from the environment once and validated. */
export function loadShipperConfig(env: NodeJS.ProcessEnv = process.env): ShipperConfig {
  const dataDir = resolve(env.LOUPE_DATA_DIR || './data');
  const workshopLogDir = join(dataDir, 'logs');
  const platformUrl = platformUrlFrom(env.LOUPE_URL);
  return {
    dataDir,
    stateDir: join(dataDir, 'shipper'),
    workshopLogDir,
    platformUrl,
    inputs: inputsFrom(env.LOUPE_SHIPPER_PATHS, workshopLogDir),
    startAt: oneOf(env, 'LOUPE_SHIPPER_START_AT', ['beginning', 'end'], 'beginning'),
    port: integerSetting(env, 'LOUPE_SHIPPER_PORT', 9281, 0, 65_535),
    batchMaxBytes: integerSetting(env, 'LOUPE_SHIPPER_BATCH_BYTES', 2 * 1024 * 1024, 1024, MAX_BATCH_BYTES),
    batchWaitMs: integerSetting(env, 'LOUPE_SHIPPER_BATCH_WAIT_MS', 1000, 1, MAX_TIMER_MS),
    maxInFlightBatches: integerSetting(env, 'LOUPE_SHIPPER_IN_FLIGHT', 2, 1, 64),
    bufferMaxBytes: integerSetting(env, 'LOUPE_SHIPPER_BUFFER_BYTES', 256 * 1024 * 1024, 1024 * 1024),
    compression: compressionFor(oneOf(env, 'LOUPE_SHIPPER_COMPRESSION', ['auto', 'gzip', 'none'], 'auto'), platformUrl),
    maxLineBytes: integerSetting(env, 'LOUPE_SHIPPER_MAX_LINE_BYTES', 1_000_000, 1024, MAX_LINE_BYTES),
    pollMs: integerSetting(env, 'LOUPE_SHIPPER_POLL_MS', 250, 10, MAX_TIMER_MS),
    scanMs: integerSetting(env, 'LOUPE_SHIPPER_SCAN_MS', 1000, 10, MAX_TIMER_MS),
    multilineWaitMs: integerSetting(env, 'LOUPE_SHIPPER_MULTILINE_WAIT_MS', 2000, 0, MAX_TIMER_MS),
    closeInactiveMs: integerSetting(env, 'LOUPE_SHIPPER_CLOSE_INACTIVE_MS', 5000, 0, MAX_TIMER_MS),
    metricsIntervalMs: integerSetting(env, 'LOUPE_SHIPPER_METRICS_MS', 30_000, 100, MAX_TIMER_MS),
    retryMaxMs: integerSetting(env, 'LOUPE_SHIPPER_RETRY_MAX_MS', 30_000, 10, MAX_TIMER_MS),
  };
}
