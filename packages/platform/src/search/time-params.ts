import { LoupeError } from '@loupe/schema';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const relative = /^(?:now(-|\+))?(\d+)([smhdw])$/;
const isoTime = /^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/i;

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the instants a search range, a cursor and the store can hold. */
const MIN_TIME_MS = -62_135_596_800_000;
const MAX_TIME_MS = 253_402_300_799_999;

function inTimeRange(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;
}

/**
 * A time parameter as users write it: `15m`, `1h`, `7d` or `now-1h` (that long before now), `now+1h`,
 * `now`, an ISO 8601 instant, or epoch seconds (up to 11 digits, as `date +%s` prints them) or
 * milliseconds (more, as JavaScript and Kibana write them). Undefined when absent.
 */
export function parseTimeParam(value: unknown, name: string, now = Date.now()): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  const time = readTime(text, now);
  if (time === undefined) {
    // A + left unencoded in a query string arrives as a space: "now+1h" as "now 1h".
    const plusAsSpace = text.includes(' ') && readTime(text.replaceAll(' ', '+'), now) !== undefined;
    throw new LoupeError('SEARCH_BAD_TIME', `${name}="${text.slice(0, 40)}" is not a time: ${plusAsSpace
      ? `a + in a URL's query reads as a space, so write ${text.replaceAll(' ', '%2B').slice(0, 40)}`
      : 'use 15m, 1h, 7d, now-1h, now+1h, now, an ISO 8601 time, or epoch seconds or milliseconds'}`);
  }
  // A Date beyond these years has no ISO form, and the store compares times as ISO text.
  if (!inTimeRange(time)) throw new LoupeError('SEARCH_BAD_TIME', `${name}="${text.slice(0, 40)}" lies outside the years 1 to 9999`);
  return time;
}

function readTime(text: string, now: number): number | undefined {
  if (text === 'now') return now;
  const match = relative.exec(text);
  if (match) return now + (match[1] === '+' ? 1 : -1) * Number(match[2]) * UNITS[match[3]!]!;
  // Epoch seconds reach 11 digits in the year 5138; epoch milliseconds have 13 from 2001 on.
  if (/^\d{5,}$/.test(text)) return text.length <= 11 ? Number(text) * 1000 : Number(text);
  // ISO 8601 only: Date.parse also reads "1" as the year 2001 and "May 3" as a date in 2001.
  if (!isoTime.test(text)) return undefined;
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A histogram interval that gives about 60 buckets over the range, rounded to a readable step. */
export function autoInterval(from: number, to: number): number {
  const steps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400, 604800].map((s) => s * 1000);
  const wanted = (to - from) / 60;
  return steps.find((step) => step >= wanted) ?? steps.at(-1)!;
}

/** The longest histogram interval: 100 years is one bucket for any range worth drawing, and the store's interval type holds it. */
const MAX_INTERVAL_MS = 36_500 * 86_400_000;

/** The most buckets a histogram's range and interval may make, as Elasticsearch's `search.max_buckets` (65,536). */
export const MAX_BUCKETS = 65_536;

export function parseInterval(value: unknown, from: number, to: number): number {
  if (value === undefined || value === '' || value === 'auto') return autoInterval(from, to);
  const match = /^(\d+)([smhdw])$/.exec(String(value));
  if (!match) throw new LoupeError('SEARCH_BAD_INTERVAL', `interval="${String(value).slice(0, 20)}" must look like 30s, 5m, 1h or 1d, or be "auto"`);
  const intervalMs = Number(match[1]) * UNITS[match[2]!]!;
  if (intervalMs > MAX_INTERVAL_MS) throw new LoupeError('SEARCH_BAD_INTERVAL', `interval="${String(value).slice(0, 20)}" is longer than ${MAX_INTERVAL_MS / UNITS.d!} days; use a shorter one`);
  const buckets = Math.ceil((to - from) / intervalMs);
  if (buckets > MAX_BUCKETS) {
    throw new LoupeError('SEARCH_TOO_MANY_BUCKETS', `interval=${String(value)} makes ${buckets.toLocaleString('en')} buckets of this range, more than ${MAX_BUCKETS.toLocaleString('en')}: use a longer interval (or "auto") or a shorter range`);
  }
  return intervalMs;
}

/** A search-after cursor as an opaque URL-safe string, and back. */
export function encodeCursor(key: { ts: number; id: string }): string {
  return Buffer.from(JSON.stringify([key.ts, key.id])).toString('base64url');
}

export function decodeCursor(cursor: unknown): { ts: number; id: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const [ts, id] = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof ts === 'number' && inTimeRange(ts) && typeof id === 'string') return { ts, id };
  } catch {
    // Falls through to the error below.
  }
  throw new LoupeError('SEARCH_BAD_CURSOR', 'after= must be the `next` value of a previous page');
}
