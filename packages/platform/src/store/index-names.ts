import { LoupeError } from '@loupe/schema';

/** How events are spread over indices (R26). */
export type IndexLayout = { kind: 'per-service-day'; prefix: string } | { kind: 'shared'; name: string };

export const defaultIndexLayout: IndexLayout = { kind: 'per-service-day', prefix: 'logs' };

const indexNamePattern = /^[a-z0-9][a-z0-9._-]{0,199}$/;
const servicePattern = /[^a-z0-9_-]+/g;
const dayPattern = /-(\d{4})\.(\d{2})\.(\d{2})$/;

/** A service name as it may appear in an index name: lower case, `[a-z0-9_-]`, `unknown` when empty. */
export function indexSafeService(service: string | null | undefined): string {
  const safe = (service ?? '').toLowerCase().replace(servicePattern, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return safe || 'unknown';
}

function dayStamp(ts: number): string {
  const date = new Date(ts);
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${date.getUTCFullYear()}.${month}.${day}`;
}

const DAY_MS = 86_400_000;
/** Per prefix and service, the last day's index name: most events go where the one before went. */
const recentIndices = new Map<string, Map<string | null, { day: number; name: string }>>();
const MAX_RECENT = 10_000;

/** The index an event belongs to: `logs-mes-api-2026.11.21` by default. */
export function indexFor(layout: IndexLayout, service: string | null, ts: number): string {
  if (layout.kind === 'shared') return layout.name;
  const day = Math.floor(ts / DAY_MS);
  let services = recentIndices.get(layout.prefix);
  if (!services) recentIndices.set(layout.prefix, (services = new Map()));
  const recent = services.get(service);
  // The same string each time, too: maps keyed by index name find it by its cached hash.
  if (recent && recent.day === day) return recent.name;
  const name = `${layout.prefix}-${indexSafeService(service)}-${dayStamp(ts)}`;
  if (services.size >= MAX_RECENT) services.clear();
  services.set(service, { day, name });
  return name;
}

export const DEAD_LETTER_PREFIX = 'dead-letter-';

/** The dead-letter index of a day: malformed input is kept there with its reason (R24). */
export function deadLetterIndexFor(ts: number): string {
  return `${DEAD_LETTER_PREFIX}${dayStamp(ts)}`;
}

const scopePattern = /^(.+?)-.+-(\d{4}\.\d{2}\.\d{2})$/;

/**
 * The indices of every service on an index's day (`logs-*-2026.11.21` for
 * `logs-mes-api-2026.11.21`); an index without a day is its own scope.
 */
export function dayScope(index: string): string {
  const match = scopePattern.exec(index);
  return match ? `${match[1]}-*-${match[2]}` : index;
}

/**
 * The indices of `index`'s series among `names`, itself first: the same prefix and service on
 * any day (`logs-mes-api-*` for `logs-mes-api-2026.11.21`, every `dead-letter-*`); an index
 * without a day is a series of its own.
 */
export function seriesIndices(index: string, names: readonly string[]): string[] {
  if (!dayPattern.test(index)) return [index];
  const series = index.replace(dayPattern, '');
  return [index, ...names.filter((name) => name !== index && dayPattern.test(name) && name.replace(dayPattern, '') === series)];
}

/** Start of the day an index covers (epoch ms, UTC), or null for an index without a date. */
export function indexDay(name: string): number | null {
  const match = dayPattern.exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

export function isValidIndexName(name: string): boolean {
  return indexNamePattern.test(name);
}

export function assertIndexName(name: string): string {
  if (!isValidIndexName(name)) {
    throw new LoupeError('INDEX_BAD_NAME', `Index name "${name.slice(0, 80)}" must be lower case letters, digits, ".", "_" or "-", at most 200 characters`);
  }
  return name;
}

/** Parsed patterns: every search tests each index name against its pattern. */
const parsedPatterns = new Map<string, string[]>();
const MAX_PARSED_PATTERNS = 1_000;

function patternParts(pattern: string): string[] {
  let parts = parsedPatterns.get(pattern);
  if (parts) return parts;
  // Runs of `*` are one `*`: the same set of names, and fewer steps in `globMatches`.
  parts = pattern.split(',').map((part) => part.trim().replace(/\*+/g, '*'));
  if (parsedPatterns.size >= MAX_PARSED_PATTERNS) parsedPatterns.clear();
  parsedPatterns.set(pattern, parts);
  return parts;
}

/**
 * Whether `name` matches `glob`, where `*` is any run of characters and everything else
 * itself. Greedy with one backtrack point, so at most length × length steps: a regular
 * expression of many `.*` backtracks for minutes on a name it cannot match.
 */
function globMatches(name: string, glob: string): boolean {
  let n = 0;
  let g = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = n;
    } else if (g < glob.length && glob[g] === name[n]) {
      g++;
      n++;
    } else if (star >= 0) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

/** Whether a name matches a comma-separated list of globs, such as `logs-mes-api-*,dead-letter-*` or `order.*,message`. */
export function matchesPattern(name: string, pattern: string): boolean {
  return patternParts(pattern).some((part) => globMatches(name, part));
}

/** Whether an index name matches a pattern such as `logs-*` or `logs-mes-api-*,dead-letter-*`. */
export const matchesIndexPattern = matchesPattern;

/** Whether an index can hold events of [from, to): its day overlaps the range, or it has no day. */
export function indexOverlaps(name: string, from?: number, to?: number): boolean {
  const day = indexDay(name);
  if (day === null) return true;
  const dayEnd = day + 86_400_000;
  return (from === undefined || dayEnd > from) && (to === undefined || day < to);
}
