import type { InfrastructureSwitches } from './incidents.js';
import { proxyServer, type TcpProxy } from './tcp-proxy.js';

export interface ProxiedServersOptions {
  /** The workshop's PostgreSQL (`DATABASE_URL`); absent → PGlite, which no proxy can reach. */
  databaseUrl?: string;
  /** RabbitMQ (`AMQP_URL`); absent → the embedded queue in the database. */
  amqpUrl?: string;
  /** How long slow-database holds each chunk each way (default 200 ms). */
  slowDatabaseDelayMs?: number;
}

export interface ProxiedServers {
  /** Give the workshop these instead of the real URLs: the same servers, through the proxies. */
  databaseUrl?: string;
  amqpUrl?: string;
  /**
   * The embedded queue's own connection to PostgreSQL (no RabbitMQ): broker-outage cuts it,
   * while the APIs keep theirs. See `StartWorkshopOptions.queueDatabaseUrl`.
   */
  queueDatabaseUrl?: string;
  /** For `startSimulator`: broker-outage, slow-database and database-outage, or why they cannot be had here. */
  switches: InfrastructureSwitches;
  /** Where each proxy leads, for the start-up banner. */
  describe: string;
  close(): Promise<void>;
}

/** Why a URL cannot go through a TCP proxy on 127.0.0.1 unchanged, if it cannot. */
function unproxiable(url: URL): string | undefined {
  if (url.protocol === 'amqps:') return 'TLS (amqps:) checks the broker\'s name, which a proxy on 127.0.0.1 does not have';
  if (url.searchParams.has('host')) return 'a host given as a query parameter (a Unix socket) bypasses the proxy';
  const sslmode = url.searchParams.get('sslmode') ?? (url.searchParams.get('ssl') === 'true' ? 'require' : 'disable');
  if (!['disable', 'allow', 'prefer'].includes(sslmode)) return 'TLS (sslmode) checks the server\'s name, which a proxy on 127.0.0.1 does not have';
  return undefined;
}

/**
 * Puts the workshop's servers behind TCP proxies the simulator can pause or slow down, so
 * broker-outage, slow-database and database-outage are real for the workshop and leave the servers alone:
 *
 * - RabbitMQ: its connection goes through a proxy that broker-outage pauses (resets).
 * - The embedded queue on PostgreSQL: the queue gets a connection of its own through a
 *   proxy broker-outage pauses; the APIs keep theirs, as they would keep a database when a
 *   broker dies.
 * - PostgreSQL: the connections go through a proxy that slow-database makes hold each
 *   chunk and database-outage pauses (resets); the queue's own connection passes through it
 *   too, as it reaches the same server.
 * - PGlite runs inside the process: no connection to cut or slow, so these stay unavailable,
 *   with a reason that says what to set.
 */
export async function putServersBehindProxies(options: ProxiedServersOptions): Promise<ProxiedServers> {
  const proxies: TcpProxy[] = [];
  const switches: InfrastructureSwitches = { unavailable: {} };
  const routes: string[] = [];
  const result: Omit<ProxiedServers, 'close' | 'describe'> = { switches };
  const delayMs = options.slowDatabaseDelayMs ?? 200;
  try {
    const database = options.databaseUrl ? new URL(options.databaseUrl) : undefined;
    const databaseProblem = database && unproxiable(database);
    if (!database) {
      switches.unavailable!['slow-database'] = 'slow-database needs PostgreSQL: PGlite runs inside this process, with no connection to hold up. Set DATABASE_URL and start the workshop again';
      switches.unavailable!['database-outage'] = 'database-outage needs PostgreSQL: PGlite runs inside this process, with no connection to cut. Set DATABASE_URL and start the workshop again';
    } else if (databaseProblem) {
      switches.unavailable!['slow-database'] = `slow-database cannot proxy DATABASE_URL: ${databaseProblem}`;
      switches.unavailable!['database-outage'] = `database-outage cannot proxy DATABASE_URL: ${databaseProblem}`;
      result.databaseUrl = options.databaseUrl;
    } else {
      const { proxy, url } = await proxyServer(database, 5432);
      proxies.push(proxy);
      result.databaseUrl = url;
      routes.push(`PostgreSQL via 127.0.0.1:${proxy.port}`);
      switches.slowDatabase = (on) => proxy.delay(on ? delayMs : 0);
      switches.databaseOutage = (on) => (on ? proxy.pause() : proxy.resume());
    }

    if (options.amqpUrl) {
      const broker = new URL(options.amqpUrl);
      const problem = unproxiable(broker);
      if (problem) {
        switches.unavailable!['broker-outage'] = `broker-outage cannot proxy AMQP_URL: ${problem}`;
        result.amqpUrl = options.amqpUrl;
      } else {
        const { proxy, url } = await proxyServer(broker, 5672);
        proxies.push(proxy);
        result.amqpUrl = url;
        routes.push(`RabbitMQ via 127.0.0.1:${proxy.port}`);
        switches.brokerOutage = (on) => (on ? proxy.pause() : proxy.resume());
      }
    } else if (result.databaseUrl && !databaseProblem) {
      // Behind the database's proxy, so slow-database holds up the queue too.
      const { proxy, url } = await proxyServer(new URL(result.databaseUrl), 5432);
      proxies.push(proxy);
      result.queueDatabaseUrl = url;
      routes.push(`the embedded queue's PostgreSQL connection via 127.0.0.1:${proxy.port}`);
      switches.brokerOutage = (on) => (on ? proxy.pause() : proxy.resume());
    } else {
      switches.unavailable!['broker-outage'] = database
        ? `broker-outage needs a connection of the embedded queue to cut, but ${databaseProblem ?? 'DATABASE_URL cannot be proxied'}; set AMQP_URL to use RabbitMQ`
        : 'broker-outage needs a broker connection to cut: the embedded queue runs on PGlite inside this process. Set AMQP_URL (RabbitMQ) or DATABASE_URL (PostgreSQL) and start the workshop again';
    }
  } catch (error) {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    throw error;
  }
  return {
    ...result,
    describe: routes.length > 0 ? routes.join(', ') : 'no servers to proxy',
    close: () => Promise.all(proxies.map((proxy) => proxy.close())).then(() => undefined),
  };
}
