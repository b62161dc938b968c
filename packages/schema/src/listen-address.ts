/** The http:// address of a host and port, an IPv6 host in brackets. */
export function httpAddress(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * What a failed `listen` should throw: for a port already taken, which port it is, who likely
 * holds it and the setting that moves it, instead of a bare `listen EADDRINUSE`; any other
 * error as it is.
 */
export function listenError(error: unknown, port: { what: string; address: string; likely: string; setting: string }): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
  return new Error(`The ${port.what} ${port.address} is in use (${port.likely}): stop it, or set ${port.setting} to another port (0 picks a free one)`);
}
