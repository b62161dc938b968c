const aliases: Record<string, string> = {
  trace: 'trace', debug: 'debug', info: 'info', information: 'info', informational: 'info', notice: 'info', log: 'info',
  warn: 'warn', warning: 'warn', error: 'error', err: 'error', fatal: 'fatal', critical: 'fatal', crit: 'fatal',
  emerg: 'fatal', emergency: 'fatal', alert: 'fatal', panic: 'fatal', severe: 'error', fine: 'debug', finer: 'trace',
  dbg: 'debug', inf: 'info', wrn: 'warn', eror: 'error', ftl: 'fatal', verbose: 'trace', silly: 'trace',
};

// pino's numeric levels: 10 trace … 60 fatal.
const pinoLevels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A level in Loupe's six names (trace … fatal) from words, abbreviations and pino numbers; unknown words pass through lower-cased. */
export function normaliseLevel(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return pinoLevels[value] ?? (value >= 50 ? 'error' : value >= 40 ? 'warn' : value >= 30 ? 'info' : 'debug');
  const word = String(value).trim().toLowerCase();
  if (/^\d+$/.test(word)) return normaliseLevel(Number(word));
  return aliases[word] ?? word.slice(0, 20);
}
