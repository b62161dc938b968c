/**
 * Local TCP forwards (the simulator's proxies, see simulator/tcp-proxy.ts) and the servers
 * they lead to. A workshop whose DATABASE_URL or AMQP_URL was pointed at a proxy still names
 * the real server in its R2, R3, R14 and R15 lines, with the proxy beside it: whoever reads
 * the logs looks for the PostgreSQL or RabbitMQ they know, not for a port of the day.
 */
const forwards = new Map<string, string>();

/** Records that `local` (`127.0.0.1:40123`) forwards to `target` (`db.example:5432`); returns the undo. */
export function registerForward(local: string, target: string): () => void {
  forwards.set(local, target);
  return () => {
    if (forwards.get(local) === target) forwards.delete(local);
  };
}

/** The server at the end of any chain of forwards from `hostPort`, or `hostPort` itself. */
function serverBehind(hostPort: string): string {
  let target = hostPort;
  for (let hops = 0; hops < 8 && forwards.has(target); hops++) target = forwards.get(target)!;
  return target;
}

/**
 * `host:port/path` of a server URL for log lines, without credentials (`defaultPath` when it
 * has none); through a forward: the real server's, then `via proxy 127.0.0.1:port`.
 */
export function describeServerUrl(url: string, defaults: { port: string; path: string }, fallback: string): string {
  try {
    const parsed = new URL(url);
    const hostPort = `${parsed.hostname}:${parsed.port || defaults.port}`;
    const server = serverBehind(hostPort);
    const path = parsed.pathname || defaults.path;
    return server === hostPort ? `${hostPort}${path}` : `${server}${path} via proxy ${hostPort}`;
  } catch {
    return fallback;
  }
}
