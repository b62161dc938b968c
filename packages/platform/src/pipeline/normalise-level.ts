const aliases: Record<string, string> = {
  trace: 'trace', debug: 'debug', info: 'info', information: 'info', informational: 'info', notice: 'info', log: 'info',
  warn: 'warn', warning: 'warn', error: 'error', err: 'error', fatal: 'fatal', critical: 'fatal', crit: 'fatal',
  emerg: 'fatal', emergency: 'fatal', alert: 'fatal', panic: 'fatal', severe: 'error', fine: 'debug', finer: 'trace',
  dbg: 'debug', inf: 'info', wrn: 'warn', eror: 'error', ftl: 'fatal', verbose: 'trace', silly: 'trace',
};

// pino's numeric levels: 10 trace … 60 fatal.
const pinoLevels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
// Syslog severities (RFC 5424), 0 emergency … 7 debug: below pino's lowest level, so never mistaken for one.
const syslogLevels = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

/** A numeric level: pino's (custom ones between its steps take the step below) or a syslog severity. */
function numericLevel(value: number): string {
  if (Number.isInteger(value) && value >= 0 && value <= 7) return syslogLevels[value]!;
  return pinoLevels[value] ?? (value > 60 ? 'fatal' : value >= 50 ? 'error' : value >= 40 ? 'warn' : value >= 30 ? 'info' : value >= 20 ? 'debug' : 'trace');
}

/** A level in Loupe's six names (trace … fatal) from words, abbreviations, pino numbers and syslog severities; unknown words pass through lower-cased. */
export function normaliseLevel(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return numericLevel(value);
  const word = String(value).trim().toLowerCase();
  if (/^\d+$/.test(word)) return normaliseLevel(Number(word));
  return aliases[word] ?? word.slice(0, 20);
}
