/** Zone abbreviations PostgreSQL's `%m` and plain-text loggers print, as minutes east of UTC (ambiguous ones left out). */
const zoneOffsets: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, JST: 540, KST: 540, HKT: 480, SGT: 480,
};

const leading = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?/;
const zoneWord = /^ ([A-Z]{1,5})\b/;

export interface LeadingTimestamp {
  /** Epoch ms. */
  ms: number;
  /** Characters the timestamp (and its zone) take at the start of the text. */
  length: number;
}

function offsetOf(zone: string): number | undefined {
  const named = zoneOffsets[zone];
  if (named !== undefined) return named;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!numeric) return undefined;
  return (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
}

/**
 * The timestamp a log line starts with: `2026-11-21 10:00:00.123 UTC` (PostgreSQL),
 * `2026-11-21 10:00:00.123456+00:00` (RabbitMQ), ISO 8601 with `T` and `Z`, a comma before
 * the fraction (log4j). A time without a zone is UTC, as the platform reads it.
 */
export function parseLeadingTimestamp(text: string): LeadingTimestamp | undefined {
  const match = leading.exec(text);
  if (!match) return undefined;
  let length = match[0].length;
  let zoneMinutes = match[8] ? offsetOf(match[8]) ?? 0 : 0;
  if (!match[8]) {
    const word = zoneWord.exec(text.slice(length, length + 7));
    const offset = word ? zoneOffsets[word[1]!] : undefined;
    if (offset !== undefined) {
      zoneMinutes = offset;
      length += word![0].length;
    }
  }
  const fraction = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]), fraction);
  const ms = utc - zoneMinutes * 60_000;
  return Number.isFinite(ms) ? { ms, length } : undefined;
}
