import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { booleanSetting, httpAddress, integerSetting, LoupeError, MAX_TIMER_MS } from '@loupe/schema';
import { defaultIndexLayout, type IndexLayout } from './store/index-names.js';
import { defaultIngestLimits, type IngestLimits } from './ingest/ingest-limits.js';

export interface PlatformConfig {
  /** All platform state: the DuckDB file, staging files (LOUPE_DATA_DIR, default ./data). */
  dataDir: string;
  /** LOUPE_PLATFORM_HOST: 127.0.0.1 until access control lands. */
  host: string;
  /** LOUPE_PLATFORM_PORT (default 9280; 0 picks a free port). */
  port: number;
  /** LOUPE_INDEX_LAYOUT: `per-service-day` (default, R26) or `shared:<index name>`. */
  layout: IndexLayout;
  limits: IngestLimits;
  /**
   * LOUPE_INGEST_WORKERS: threads that prepare ingested bodies beside the request thread
   * (default: one per core, at most 4; 0 prepares in the request thread). Once batches were
   * loaded into DuckDB in groups, two workers on two cores ingested about a fifth more than
   * one (BENCHMARKS.md).
   */
  ingestWorkers: number;
  /**
   * LOUPE_LOAD_INTERVAL_MS: how long a batch acknowledged once on disk may wait to be loaded
   * into DuckDB with the batches after it (default 1000; 0 loads each batch before
   * acknowledging it). Searches always find what was acknowledged.
   */
  loadIntervalMs: number;
  /**
   * LOUPE_LOAD_WHEN_IDLE: whether an idle writer loads an acknowledged batch at once, unless
   * many gathered during its last load (default true); `false` lets every batch wait for the
   * interval, for the fewest, largest inserts.
   */
  loadWhenIdle: boolean;
  /**
   * LOUPE_SEARCH_READERS: searches that run at once (default 3), so a heavy one does not hold
   * up the rest; LOUPE_SEARCH_TIMEOUT_MS: how long one may run before it is stopped and
   * answered 503 SEARCH_TIMEOUT (default 30,000).
   */
  readers: { size: number; timeoutMs: number };
}

function layoutFrom(raw: string | undefined): IndexLayout {
  if (!raw || raw === 'per-service-day') return defaultIndexLayout;
  const shared = /^shared:([a-z0-9][a-z0-9._-]{0,199})$/.exec(raw);
  if (shared) return { kind: 'shared', name: shared[1]! };
  throw new LoupeError('CONFIG_INVALID', `LOUPE_INDEX_LAYOUT="${raw}" must be "per-service-day" or "shared:<index name>"`);
}

/** The platform's settings, read from the environment once and validated. */
/**
 * Where a client on this machine reaches the platform: its host (an IPv6 one in brackets; a
 * wildcard address reaches this machine too) and port.
 */
export function platformAddress(config: Pick<PlatformConfig, 'host' | 'port'>): string {
  return httpAddress(config.host, config.port);
}

export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  return {
    dataDir: resolve(env.LOUPE_DATA_DIR || './data'),
    host: env.LOUPE_PLATFORM_HOST || '127.0.0.1',
    port: integerSetting(env, 'LOUPE_PLATFORM_PORT', 9280, 0),
    layout: layoutFrom(env.LOUPE_INDEX_LAYOUT),
    limits: {
      maxBodyBytes: integerSetting(env, 'LOUPE_MAX_BODY_BYTES', defaultIngestLimits.maxBodyBytes, 1024),
      maxLineBytes: integerSetting(env, 'LOUPE_MAX_LINE_BYTES', defaultIngestLimits.maxLineBytes, 256),
      maxInFlightBytes: integerSetting(env, 'LOUPE_MAX_INFLIGHT_BYTES', defaultIngestLimits.maxInFlightBytes, 1024),
    },
    ingestWorkers: integerSetting(env, 'LOUPE_INGEST_WORKERS', Math.max(1, Math.min(4, availableParallelism())), 0),
    loadIntervalMs: integerSetting(env, 'LOUPE_LOAD_INTERVAL_MS', 1000, 0),
    loadWhenIdle: booleanSetting(env, 'LOUPE_LOAD_WHEN_IDLE', true),
    readers: { size: integerSetting(env, 'LOUPE_SEARCH_READERS', 3, 1), timeoutMs: integerSetting(env, 'LOUPE_SEARCH_TIMEOUT_MS', 30_000, 100, MAX_TIMER_MS) },
  };
}
