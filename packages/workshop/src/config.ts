import { resolve } from 'node:path';
import { isLogLevel, LoupeError, type LogLevel } from '@loupe/schema';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from './db/index.js';
import { metals, pricingConfigWith, type Metal, type PartialPricingConfig, type PricingConfig } from './domain/index.js';

export interface WorkshopPorts {
  shop: number;
  crm: number;
  mes: number;
  files: number;
}

export interface WorkshopConfig {
  /** Models, PGlite's files and logs live here (`LOUPE_DATA_DIR`, default `./data`). */
  dataDir: string;
  /** PostgreSQL (`DATABASE_URL`); absent → PGlite in `<dataDir>/pglite`. */
  databaseUrl?: string;
  /** RabbitMQ (`AMQP_URL`); absent → the PostgreSQL-backed queue. */
  amqpUrl?: string;
  /** Interface the APIs listen on (`LOUPE_HOST`, default 127.0.0.1). */
  host: string;
  /** `LOUPE_SHOP_PORT` 8081, `LOUPE_CRM_PORT` 8082, `LOUPE_MES_PORT` 8083, `LOUPE_FILES_PORT` 8084; 0 = any free port. */
  ports: WorkshopPorts;
  /** `LOUPE_LOG_LEVEL`, default info (R18 debug is off unless asked for). */
  logLevel: LogLevel;
  /** `LOUPE_MAX_MODEL_BYTES`, default 50 MiB. */
  maxModelBytes: number;
  /** Prices: defaults overridden by `LOUPE_PRICE_PER_GRAM_GOLD_585` … `LOUPE_LABOUR_RING`, see `readPricingOverrides`. */
  pricing: PricingConfig;
  /** Bearer token of `PUT /admin/log-level` on every API (`LOUPE_ADMIN_TOKEN`); absent → the route is not mounted. */
  adminToken?: string;
  /** Bearer token the Shop sends to CRM (`LOUPE_INTERNAL_TOKEN`); absent → a random one per start (one process). */
  internalToken?: string;
  /** Longest a database statement may run, `LOUPE_DB_STATEMENT_TIMEOUT_MS` (default 5000; 0 = no limit); a statement waiting on a lock longer fails with 503 DB_TIMEOUT. */
  statementTimeoutMs: number;
  /** With `LOUPE_STAFF_PASSWORD`, the accounts `manager` and `operator` are created at start with this password. */
  staffPassword?: string;
}

export const defaultPorts: WorkshopPorts = { shop: 8081, crm: 8082, mes: 8083, files: 8084 };
/** The setting that moves each service's port. */
export const portSettings: Record<keyof WorkshopPorts, string> = { shop: 'LOUPE_SHOP_PORT', crm: 'LOUPE_CRM_PORT', mes: 'LOUPE_MES_PORT', files: 'LOUPE_FILES_PORT' };

type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, problems: string[], check: (n: number) => boolean, rule: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || !check(value)) {
    problems.push(`${name}="${text}" must be ${rule}`);
    return undefined;
  }
  return value;
}

function urlFrom(env: Env, name: string, protocols: string[], problems: string[]): string | undefined {
  const text = env[name];
  if (!text) return undefined;
  try {
    if (protocols.includes(new URL(text).protocol)) return text;
  } catch {
    // Reported below with the expected form.
  }
  problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return undefined;
}

const metalEnvName = (metal: Metal) => `LOUPE_PRICE_PER_GRAM_${metal.replace('-', '_').toUpperCase()}`;

/** `LOUPE_PRICE_PER_GRAM_GOLD_585` (and _GOLD_750, _SILVER_925, _PLATINUM_950), `LOUPE_LABOUR_RING`, `LOUPE_LABOUR_PENDANT`, `LOUPE_POLISHING_PER_CM2`, `LOUPE_CASTING_ALLOWANCE`, `LOUPE_CURRENCY`. */
export function readPricingOverrides(env: Env, problems: string[]): PartialPricingConfig {
  const positive = (n: number) => n > 0;
  const overrides: PartialPricingConfig = { metals: {}, labourPerPiece: {} };
  for (const metal of metals) {
    const price = numberFrom(env, metalEnvName(metal), problems, positive, 'a positive number');
    if (price !== undefined) overrides.metals![metal] = { pricePerGram: price };
  }
  const ring = numberFrom(env, 'LOUPE_LABOUR_RING', problems, (n) => n >= 0, 'zero or more');
  const pendant = numberFrom(env, 'LOUPE_LABOUR_PENDANT', problems, (n) => n >= 0, 'zero or more');
  if (ring !== undefined) overrides.labourPerPiece!.ring = ring;
  if (pendant !== undefined) overrides.labourPerPiece!.pendant = pendant;
  const polishing = numberFrom(env, 'LOUPE_POLISHING_PER_CM2', problems, (n) => n >= 0, 'zero or more');
  if (polishing !== undefined) overrides.polishingPerCm2 = polishing;
  const allowance = numberFrom(env, 'LOUPE_CASTING_ALLOWANCE', problems, (n) => n >= 0 && n < 1, 'a fraction from 0 to 1 (0.1 = 10%)');
  if (allowance !== undefined) overrides.castingAllowance = allowance;
  const currency = env.LOUPE_CURRENCY;
  if (currency !== undefined) {
    if (/^[A-Z]{3}$/.test(currency)) overrides.currency = currency;
    else problems.push(`LOUPE_CURRENCY="${currency}" must be an ISO 4217 code such as RUB`);
  }
  return overrides;
}

/**
 * The workshop's settings from the environment, read and checked once at start. Every
 * problem is reported at once: CONFIG_INVALID lists them all.
 */
export function readWorkshopConfig(env: Env = process.env): WorkshopConfig {
  const problems: string[] = [];
  const port = (name: string, fallback: number) => numberFrom(env, name, problems, (n) => Number.isInteger(n) && n >= 0 && n <= 65_535, 'a port from 0 to 65535') ?? fallback;
  const logLevel = env.LOUPE_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) problems.push(`LOUPE_LOG_LEVEL="${logLevel}" must be one of trace, debug, info, warn, error, fatal`);
  const staffPassword = env.LOUPE_STAFF_PASSWORD;
  if (staffPassword !== undefined && staffPassword.length < 10) problems.push('LOUPE_STAFF_PASSWORD must have at least 10 characters');
  const internalToken = env.LOUPE_INTERNAL_TOKEN;
  if (internalToken !== undefined && internalToken.length < 24) problems.push('LOUPE_INTERNAL_TOKEN must have at least 24 characters');
  const config: WorkshopConfig = {
    dataDir: resolve(env.LOUPE_DATA_DIR || 'data'),
    host: env.LOUPE_HOST || '127.0.0.1',
    ports: {
      shop: port(portSettings.shop, defaultPorts.shop),
      crm: port(portSettings.crm, defaultPorts.crm),
      mes: port(portSettings.mes, defaultPorts.mes),
      files: port(portSettings.files, defaultPorts.files),
    },
    logLevel: isLogLevel(logLevel) ? logLevel : 'info',
    maxModelBytes: numberFrom(env, 'LOUPE_MAX_MODEL_BYTES', problems, (n) => Number.isInteger(n) && n >= 1024, 'a whole number of bytes, at least 1024') ?? 50 * 2 ** 20,
    pricing: pricingConfigWith(readPricingOverrides(env, problems)),
    statementTimeoutMs: numberFrom(env, 'LOUPE_DB_STATEMENT_TIMEOUT_MS', problems, (n) => Number.isInteger(n) && n >= 0, 'a whole number of milliseconds, 0 for no limit') ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  };
  const databaseUrl = urlFrom(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const amqpUrl = urlFrom(env, 'AMQP_URL', ['amqp:', 'amqps:'], problems);
  if (problems.length > 0) throw new LoupeError('CONFIG_INVALID', `Workshop configuration: ${problems.join('; ')}`);
  return {
    ...config,
    ...(databaseUrl && { databaseUrl }), ...(amqpUrl && { amqpUrl }),
    ...(env.LOUPE_ADMIN_TOKEN && { adminToken: env.LOUPE_ADMIN_TOKEN }),
    ...(internalToken && { internalToken }), ...(staffPassword && { staffPassword }),
  };
}
