import type { TestContext } from 'node:test';
import { connect as connectAmqp } from 'amqplib';
import pg from 'pg';

export type TestServer = 'postgres' | 'rabbitmq';

const PROBE_TIMEOUT_MS = 2_000;

/** The PostgreSQL the tests may use: `LOUPE_TEST_DATABASE_URL`, or the machine's own. */
export function postgresTestUrl(): string {
  return process.env.LOUPE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The RabbitMQ the tests may use: `LOUPE_TEST_AMQP_URL`, or the machine's own. */
export function amqpTestUrl(): string {
  return process.env.LOUPE_TEST_AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
}

/** A URL fit for a message: the password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function probePostgres(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A probe's lost connection is an answer, not a crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRabbitMq(url: string): Promise<boolean> {
  try {
    const connection = await connectAmqp(url, { timeout: PROBE_TIMEOUT_MS });
    connection.on('error', () => undefined);
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

// One probe per server per test process: each test file asks, the answer does not change.
const probes = new Map<TestServer, Promise<string | undefined>>();

function probe(server: TestServer): Promise<string | undefined> {
  let answer = probes.get(server);
  if (!answer) {
    const url = server === 'postgres' ? postgresTestUrl() : amqpTestUrl();
    answer = (server === 'postgres' ? probePostgres(url) : probeRabbitMq(url)).then((up) => (up ? url : undefined));
    probes.set(server, answer);
  }
  return answer;
}

/** The test PostgreSQL's URL when it answers `SELECT 1`, else undefined. */
export function postgresUrl(): Promise<string | undefined> {
  return probe('postgres');
}

/** The test RabbitMQ's URL when it accepts a connection, else undefined. */
export function amqpUrl(): Promise<string | undefined> {
  return probe('rabbitmq');
}

/**
 * The server's URL for a test that needs it. When it is not reachable the test is skipped
 * with a reason, or fails when `CI=true` (CI must run every server test).
 */
export async function requireServer(t: TestContext, server: TestServer): Promise<string | undefined> {
  const url = await probe(server);
  if (url) return url;
  const name = server === 'postgres' ? 'PostgreSQL' : 'RabbitMQ';
  const where = redactUrl(server === 'postgres' ? postgresTestUrl() : amqpTestUrl());
  if (process.env.CI === 'true') throw new Error(`${name} not reachable at ${where}: CI runs every server test, so start it or set the URL`);
  t.skip(`${name} not reachable at ${where}: server test skipped`);
  return undefined;
}
