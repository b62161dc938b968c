const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
// 2026-11-21 10:00:00,123 / 2026-11-21T10:00:00.123456+03:00 / 2026-11-21 10:00:00.123 UTC
const isoLike = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
// 21/Nov/2026:10:00:00 +0000 (Apache, nginx)
const clf = /^\[?(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})\s*([+-]\d{4})?\]?$/;

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[^0-9]/g, '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the years an index name and every reader can hold. */
const MIN_TS = -62_135_596_800_000;
const MAX_TS = 253_402_300_799_999;

/** `ms` when it lies in years 1 to 9999, else undefined. */
function inRange(ms: number): number | undefined {
  return ms >= MIN_TS && ms <= MAX_TS ? ms : undefined;
}

/** Epoch ms of a UTC date and time whose parts are each in range (no 31 February); years below 100 stay themselves (`Date.UTC` reads 26 as 1926). */
function utcTime(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(Date.UTC(2000, month, 1, hour, minute, second, ms));
  date.setUTCFullYear(year, month, day);
  // 31 February would roll over into March.
  return date.getUTCDate() === day ? date.getTime() : undefined;
}

/** Epoch ms from a number: seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude. */
export function epochFromNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value < 1e11) return value * 1000;
  if (value < 1e14) return value;
  if (value < 1e17) return value / 1e3;
  return inRange(value / 1e6);
}

/**
 * Epoch ms from the timestamp formats shippers send: ISO 8601 with any precision and
 * offset, "2026-11-21 10:00:00,123" (a zone-less time is UTC), Apache/nginx common log
 * time, RFC 2822, and epoch numbers (as numbers or digit strings). Undefined when unreadable.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return epochFromNumber(value);
  if (typeof value === 'bigint') return epochFromNumber(Number(value));
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return undefined;
  // The common case, what JavaScript loggers write: 2026-11-21T10:00:00.123Z.
  if (value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(10) === 84) {
    const fast = Date.parse(value);
    if (Number.isFinite(fast)) return fast;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return epochFromNumber(Number(text));
  const iso = isoLike.exec(text);
  if (iso) {
    const fraction = (iso[7] ?? '0').padEnd(3, '0').slice(0, 3);
    const utc = utcTime(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6]), Number(fraction));
    return utc === undefined ? undefined : inRange(utc - offsetMinutes(iso[8]) * 60_000);
  }
  const common = clf.exec(text);
  if (common) {
    const month = MONTHS[common[2]!.toLowerCase()];
    if (month === undefined) return undefined;
    const utc = utcTime(Number(common[3]), month, Number(common[1]), Number(common[4]), Number(common[5]), Number(common[6]), 0);
    return utc === undefined ? undefined : inRange(utc - offsetMinutes(common[7]) * 60_000);
  }
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? inRange(parsed) : undefined;
}
