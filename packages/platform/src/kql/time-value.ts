/**
 * A time written in a query, as the span it names: `2026-11-21T10:00:00Z`, `now-1h` and
 * epoch milliseconds name an instant (`start === end`); `2026`, `2026-11`, `2026-11-21` and
 * `now/d` name a whole year, month or day (`end` is the first instant after it), so
 * `<= 2026-11-21` includes the whole day. Date math also starts from a date, as in
 * Elasticsearch: `2026-11-21||+1d`, `2026-11-21T10:00:00Z||-1h/h`.
 * Both are `YYYY-MM-DD HH:MM:SS.ffffff` strings in UTC, ready to cast to TIMESTAMP.
 */
export interface TimeSpan { start: string; end: string }

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const yearMonthPattern = /^(\d{4})(?:-(\d{2}))?$/;
/** Epoch milliseconds, as Elasticsearch's `epoch_millis`: more digits than a year has. */
const epochPattern = /^-?\d{5,15}$/;
const mathPattern = /^(?:now|(.+?)\|\|)((?:[+-]\d+[yMwdhHms])*)(?:\/([yMwdhHms]))?$/;
const unitMs: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, H: 3_600_000, m: 60_000, s: 1000 };

/** Parses ISO 8601 (year, month, date, date-time, with or without offset; UTC if none), epoch milliseconds or date math. */
export function parseTimeSpan(text: string, now: Date): TimeSpan | undefined {
  const value = text.trim();
  return parseIso(value) ?? parseYearMonth(value) ?? parseEpoch(value) ?? parseDateMath(value, now);
}

function parseYearMonth(text: string): TimeSpan | undefined {
  const match = yearMonthPattern.exec(text);
  if (!match) return undefined;
  const month = match[2] === undefined ? undefined : Number(match[2]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  const start = new Date(Date.UTC(Number(match[1]), (month ?? 1) - 1, 1));
  if (Number(match[1]) < 100) start.setUTCFullYear(Number(match[1]));
  const end = new Date(start.getTime());
  shift(end, 1, month === undefined ? 'y' : 'M');
  return span(start, end);
}

function parseEpoch(text: string): TimeSpan | undefined {
  if (!epochPattern.test(text)) return undefined;
  const instant = new Date(Number(text));
  return span(instant, instant);
}

/** The instant a date-math anchor names: the start of the span it names (`2026-11-21||+1d` is the next midnight). */
function anchorOf(text: string): Date | undefined {
  const anchor = parseIso(text) ?? parseYearMonth(text) ?? parseEpoch(text);
  return anchor && new Date(`${anchor.start.replace(' ', 'T').slice(0, 23)}Z`);
}

function parseIso(text: string): TimeSpan | undefined {
  const match = isoPattern.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const fractionDigits = (fraction ?? '').padEnd(6, '0');
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), Number(fractionDigits.slice(0, 3))));
  // Date.UTC moves years 0–99 to the 1900s; put them back where they were written.
  if (Number(year) < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
  const ms = date.getTime();
  // A Date rolls 2026-02-31 over into March; a real date reads back unchanged.
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) {
    return undefined;
  }
  if (hour === undefined) return span(date, new Date(ms + unitMs.d!));
  const instant = new Date(ms - offsetMs(offset));
  return span(instant, instant, fractionDigits.slice(3, 6));
}

function offsetMs(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
  return (offset.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

function parseDateMath(text: string, now: Date): TimeSpan | undefined {
  const match = mathPattern.exec(text);
  if (!match) return undefined;
  const anchor = match[1] === undefined ? now : anchorOf(match[1]);
  if (!anchor) return undefined;
  const date = new Date(anchor.getTime());
  for (const [, sign, amount, unit] of match[2]!.matchAll(/([+-])(\d+)([yMwdhHms])/g)) {
    shift(date, (sign === '-' ? -1 : 1) * Number(amount), unit!);
  }
  const roundTo = match[3];
  if (roundTo === undefined) return span(date, date);
  roundDown(date, roundTo);
  const end = new Date(date.getTime());
  shift(end, 1, roundTo);
  return span(date, end);
}

function shift(date: Date, amount: number, unit: string): void {
  if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() + amount);
  else if (unit === 'M') date.setUTCMonth(date.getUTCMonth() + amount);
  else date.setTime(date.getTime() + amount * unitMs[unit]!);
}

function roundDown(date: Date, unit: string): void {
  if (unit === 'y') date.setUTCMonth(0, 1);
  if (unit === 'M') date.setUTCDate(1);
  if (unit === 'w') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  if (unit === 'y' || unit === 'M' || unit === 'w' || unit === 'd') date.setUTCHours(0, 0, 0, 0);
  else if (unit === 'h' || unit === 'H') date.setUTCMinutes(0, 0, 0);
  else if (unit === 'm') date.setUTCSeconds(0, 0);
  else date.setUTCMilliseconds(0);
}

/** Undefined when date math ran outside the years 0–9999 a TIMESTAMP string can spell. */
function span(start: Date, end: Date, extraMicros = '000'): TimeSpan | undefined {
  const inRange = (date: Date) => !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 0 && date.getUTCFullYear() <= 9999;
  if (!inRange(start) || !inRange(end)) return undefined;
  const first = format(start, extraMicros);
  return { start: first, end: start === end ? first : format(end, '000') };
}

// By hand: toISOString alone took longer than rendering the rest of a typical query.
function format(date: Date, micros: string): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}${micros}`;
}
