import type { EventSource, LogParser, ParsedEvent } from './parser.js';
import { parseFailure } from './text-document.js';
import { parseLeadingTimestamp } from './timestamp.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const KEY = Buffer.from('"@timestamp":"');
/** How far into a line `"@timestamp"` is looked for: pino and ECS loggers write it among the first fields. */
const KEY_WINDOW = 256;
/** Other names loggers give the time, as the platform reads them (the first one present wins). */
const timeAliases = ['timestamp', 'time', '@t', 'ts', 'date', 'datetime', 'Timestamp'];

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function digits(line: Buffer, at: number, count: number): boolean {
  for (let i = 0; i < count; i++) if (!isDigit(line[at + i])) return false;
  return true;
}

/** `YYYY-MM-DD[T ]hh:mm:ss[.fraction][Z|±hh:mm|±hhmm]"` at `at`: a value the platform reads as the event's time. */
function isIsoTimestampValue(line: Buffer, at: number, end: number): boolean {
  if (at + 20 > end || !digits(line, at, 4) || line[at + 4] !== 0x2d || !digits(line, at + 5, 2) || line[at + 7] !== 0x2d || !digits(line, at + 8, 2)) return false;
  const separator = line[at + 10];
  if ((separator !== 0x54 && separator !== 0x20) || !digits(line, at + 11, 2) || line[at + 13] !== 0x3a || !digits(line, at + 14, 2) || line[at + 16] !== 0x3a || !digits(line, at + 17, 2)) return false;
  let i = at + 19;
  if (line[i] === 0x2e || line[i] === 0x2c) {
    const start = ++i;
    while (isDigit(line[i]) && i - start < 9) i++;
    if (i === start) return false;
  }
  if (line[i] === 0x5a) i++;
  else if (line[i] === 0x2b || line[i] === 0x2d) {
    if (!digits(line, i + 1, 2)) return false;
    i += 3;
    if (line[i] === 0x3a) i++;
    if (!digits(line, i, 2)) return false;
    i += 2;
  }
  return i < end && line[i] === QUOTE;
}

function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Seconds, milliseconds, microseconds or nanoseconds since the epoch, told apart by size.
    return value < 1e11 ? value * 1000 : value < 1e14 ? value : value < 1e17 ? value / 1e3 : value / 1e6;
  }
  if (typeof value !== 'string') return undefined;
  const leading = parseLeadingTimestamp(value);
  if (leading && leading.length === value.length) return leading.ms;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * The workshop's ECS JSON lines (R20). A line that is a JSON object with an ISO
 * `@timestamp` goes to the platform byte for byte; any other line is parsed here so that
 * its timestamp is fixed by the shipper (the same on every re-send), and a line that is not
 * a JSON object is shipped as plain text tagged `_parse_failure`.
 */
export const jsonLinesParser: LogParser = {
  name: 'json',
  multiline: false,

  createPassThrough() {
    // Where `"@timestamp":"` next occurs in the buffer being split: one search serves every
    // line up to it, so lines without the key cost no rescans.
    let searched: Buffer | undefined;
    let keyAt = -1;
    return (line, start, end) => {
      if (line[start] !== OPEN_BRACE || line[end - 1] !== CLOSE_BRACE) return false;
      if (line !== searched || (keyAt < start && keyAt !== Infinity)) {
        searched = line;
        const found = line.indexOf(KEY, start);
        keyAt = found === -1 ? Infinity : found;
      }
      return keyAt < end && keyAt - start < KEY_WINDOW && isIsoTimestampValue(line, keyAt + KEY.length, end);
    };
  },

  continues() {
    return false;
  },

  parse(text: string, source: EventSource): ParsedEvent {
    let value: unknown;
    try {
      // A byte-order mark at the start of a file is not part of its first line.
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      return { document: parseFailure(text, source, `not JSON: ${(error as Error).message}`) };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { document: parseFailure(text, source, 'not a JSON object') };
    }
    const document = value as Record<string, unknown>;
    const own = timeOf(document['@timestamp']);
    if (own !== undefined) return { document, timestampMs: own };
    for (const alias of timeAliases) {
      const ms = timeOf(document[alias]);
      if (ms === undefined) continue;
      delete document[alias];
      return { document, timestampMs: ms };
    }
    if (document['@timestamp'] !== undefined) {
      document['event.original_timestamp'] = String(document['@timestamp']).slice(0, 64);
      delete document['@timestamp'];
    }
    return { document };
  },
};
