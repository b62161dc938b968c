/** Severity words of PostgreSQL, RabbitMQ (Erlang logger) and common plain-text loggers, in Loupe's six levels. */
const levels: Record<string, string> = {
  trace: 'trace', verbose: 'trace', finest: 'trace', finer: 'trace',
  debug: 'debug', debug1: 'debug', debug2: 'debug', debug3: 'debug', debug4: 'debug', debug5: 'debug', dbg: 'debug', fine: 'debug',
  info: 'info', information: 'info', notice: 'info', log: 'info',
  // PostgreSQL's companions of a message: they carry its detail, at its level when joined to it.
  statement: 'info', detail: 'info', hint: 'info', context: 'info', query: 'info', location: 'info',
  warn: 'warn', warning: 'warn',
  error: 'error', err: 'error', severe: 'error',
  fatal: 'fatal', panic: 'fatal', critical: 'fatal', crit: 'fatal', alert: 'fatal', emergency: 'fatal', emerg: 'fatal',
};

/** `info`, `warn`, … for a severity word in any case; undefined for a word that is not one. */
export function ecsLevel(word: string): string | undefined {
  return levels[word.toLowerCase()];
}
