// Socket failures: the server is restarting, unreachable for a moment, or dropped us.
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

// SQLSTATEs of a server going away or refusing connections for now: admin / crash
// shutdown, cannot connect now, too many connections. Class 08 is handled below.
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

// pg reports a lost or timed-out connection with a message and no code.
const TRANSIENT_MESSAGES = [
  // SQLSTATE 55000 with this message: the database is closed to connections for now (ALTER DATABASE … ALLOW_CONNECTIONS false, or being created or dropped).
  'is not currently accepting connections',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/**
 * Whether a database error is a connection failure that may pass if the statement is
 * sent again (on a fresh connection), as opposed to a fault in the statement or data.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (TRANSIENT_SOCKET_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return TRANSIENT_MESSAGES.some((text) => message.includes(text));
}

/**
 * Whether PostgreSQL cancelled a statement for running past `statement_timeout` (SQLSTATE
 * 57014): the database is up but the statement waited too long, mostly for a lock. Not sent
 * again: the lock is likely still held, and the caller can try later.
 */
export function isStatementTimeout(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return e?.code === '57014' && typeof e.message === 'string' && e.message.includes('statement timeout');
}
