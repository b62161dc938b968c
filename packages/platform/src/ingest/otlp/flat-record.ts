import { isIP } from 'node:net';
import { F, isLogLevel } from '@loupe/schema';

/** One decoded LogRecord: a flat object with dotted keys, ECS names where ECS has one. */
export type FlatRecord = Record<string, unknown>;

/** A LogRecord that could not be decoded: `index` counts LogRecords across the whole request, from 0. */
export interface OtlpRejection {
  index: number;
  reason: string;
  /** The LogRecord as it came, for the dead-letter index: its JSON, or its protobuf bytes in base64. */
  raw?: string;
}

export interface OtlpDecodeResult {
  records: FlatRecord[];
  rejected: OtlpRejection[];
}

/** AnyValue arrays and kvlists nested deeper than this are refused, so hostile input cannot exhaust the stack. */
export const MAX_NESTING_DEPTH = 32;

/** Keys for the OTLP fields Loupe's schema (`F`) has no name for: OTel's own names, and ECS `event.created`. */
export const OtlpField = {
  scopeName: 'otel.scope.name',
  scopeVersion: 'otel.scope.version',
  timeUnixNano: 'otel.time_unix_nano',
  eventName: 'event.name',
  observedTime: 'event.created',
  clientAddress: 'client.address',
} as const;

const LEVEL_BY_SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
// A kvlist body lends the record only the keys Loupe's schema knows, so a free-form body cannot invent columns.
const BODY_FIELDS: ReadonlySet<string> = new Set(Object.values(F).filter((field) => field !== F.message));

/**
 * What a LogRecord states outside its attributes. One instance is reset and reused for
 * every LogRecord of a request, so no object is allocated per record to carry these.
 */
export class LogRecordFields {
  /** -1 when absent or 0, as OTLP means "unknown" by 0. */
  timeMilliseconds = -1;
  timeSubMillisecondNanos = 0;
  observedMilliseconds = -1;
  observedSubMillisecondNanos = 0;
  severityNumber = 0;
  severityText = '';
  /** undefined: no body; null: an empty AnyValue; otherwise the converted value. */
  body: unknown = undefined;
  traceId = '';
  spanId = '';
  eventName = '';
  /** Why the record cannot be stored, found while reading it; '' when nothing is wrong. */
  problem = '';

  reset(): void {
    this.timeMilliseconds = -1;
    this.timeSubMillisecondNanos = 0;
    this.observedMilliseconds = -1;
    this.observedSubMillisecondNanos = 0;
    this.severityNumber = 0;
    this.severityText = '';
    this.body = undefined;
    this.traceId = '';
    this.spanId = '';
    this.eventName = '';
    this.problem = '';
  }

  setTime(milliseconds: number, subMillisecondNanos: number): void {
    if (milliseconds === 0 && subMillisecondNanos === 0) return;
    this.timeMilliseconds = milliseconds;
    this.timeSubMillisecondNanos = subMillisecondNanos;
  }

  setObservedTime(milliseconds: number, subMillisecondNanos: number): void {
    if (milliseconds === 0 && subMillisecondNanos === 0) return;
    this.observedMilliseconds = milliseconds;
    this.observedSubMillisecondNanos = subMillisecondNanos;
  }
}

/**
 * Adds the LogRecord's own fields to `record`, which already holds the resource, scope and
 * log attributes (in that order of precedence, lowest first). Then, each winning over what
 * came before: the Loupe schema fields of a kvlist body, and the fields OTLP states itself
 * (time, severity, body as message, trace and span ids, event name). Returns why the record
 * must be rejected, or '' when it is complete.
 */
export function completeRecord(record: FlatRecord, fields: LogRecordFields): string {
  if (fields.problem !== '') return fields.problem;
  const hasTime = fields.timeMilliseconds >= 0;
  const hasObservedTime = fields.observedMilliseconds >= 0;

  const body = fields.body;
  if (isKeyValueMap(body)) copySchemaFields(record, '', body);
  if (body !== undefined && body !== null) record[F.message] = typeof body === 'string' ? body : messageOf(body);
  // OTLP's 0 means "unknown", not a bad record: with neither time the pipeline stamps it on arrival, as any timeless line.
  if (hasTime || hasObservedTime) record[F.timestamp] = timestampFormat.format(hasTime ? fields.timeMilliseconds : fields.observedMilliseconds);
  if (hasTime) record[OtlpField.timeUnixNano] = nanosString(fields.timeMilliseconds, fields.timeSubMillisecondNanos);
  if (hasObservedTime) record[OtlpField.observedTime] = observedTimeFormat.format(fields.observedMilliseconds);
  const level = levelOf(fields.severityText, fields.severityNumber);
  if (level !== '') record[F.level] = level;
  if (fields.traceId !== '') record[F.traceId] = fields.traceId;
  if (fields.spanId !== '') record[F.spanId] = fields.spanId;
  if (fields.eventName !== '') record[OtlpField.eventName] = fields.eventName;
  // The data model appendix maps ECS client.ip to OTel's client.address, which may also hold a host name.
  const clientAddress = record[OtlpField.clientAddress];
  if (typeof clientAddress === 'string' && record[F.clientIp] === undefined && isIP(clientAddress) !== 0) record[F.clientIp] = clientAddress;
  return '';
}

/**
 * `log.level`: the severity text lower-cased when it names a Loupe level, else the level of
 * the severity number (1–4 trace … 21–24 fatal), else the text lower-cased as it is.
 */
export function levelOf(severityText: string, severityNumber: number): string {
  // Consecutive records mostly share their severity: remember the last answer rather than lower-case again.
  if (severityText === lastSeverity.text && severityNumber === lastSeverity.number) return lastSeverity.level;
  const text = severityText.toLowerCase();
  let level = text;
  if (!isLogLevel(text) && severityNumber >= 1 && severityNumber <= 24) level = LEVEL_BY_SEVERITY[(severityNumber - 1) >> 2]!;
  lastSeverity.text = severityText;
  lastSeverity.number = severityNumber;
  lastSeverity.level = level;
  return level;
}

const lastSeverity = { text: '', number: 0, level: '' };

/** Stores an attribute: a kvlist value becomes one dotted key per leaf, anything else is stored as it is. */
export function setAttribute(target: FlatRecord, key: string, value: unknown): void {
  if (isKeyValueMap(value)) {
    for (const subKey of Object.keys(value)) setAttribute(target, `${key}.${subKey}`, value[subKey]);
  } else setField(target, key, value);
}

/**
 * A new record holding `base`'s fields. Object.assign, not spread: V8 clones a spread object
 * into a map that every key added afterwards rebuilds (about 10x slower here). Object.assign
 * would call the `__proto__` setter, so a base holding that key is copied field by field.
 */
export function copyFields(base: FlatRecord): FlatRecord {
  if (!Object.hasOwn(base, '__proto__')) return Object.assign({}, base);
  const copy: FlatRecord = {};
  for (const key of Object.keys(base)) setField(copy, key, base[key]);
  return copy;
}

/** Assigns own data properties only: a `__proto__` key from the wire must not replace a prototype. */
export function setField(target: FlatRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A converted kvlistValue: a plain object (arrays and scalars are the other AnyValue shapes). */
export function isKeyValueMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A double that JSON cannot carry (NaN, ±Infinity) is kept as its name rather than turned into null. */
export function doubleValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

function messageOf(body: unknown): string {
  return typeof body === 'object' ? JSON.stringify(body) : String(body);
}

function copySchemaFields(record: FlatRecord, prefix: string, map: Record<string, unknown>): void {
  for (const key of Object.keys(map)) {
    const value = map[key];
    const field = prefix + key;
    if (isKeyValueMap(value)) copySchemaFields(record, `${field}.`, value);
    else if (BODY_FIELDS.has(field)) record[field] = value;
  }
}

/**
 * `new Date(milliseconds).toISOString()` at a fraction of its cost (it cost more than all the
 * other fields of a record): the 'YYYY-MM-DDTHH:MM:' prefix is rebuilt only when the minute
 * changes, and the seconds and milliseconds come from tables. One instance per field, as a
 * record's time and observed time may be minutes apart.
 */
export class IsoTimestampFormat {
  private minute = Number.NaN;
  private minutePrefix = '';

  format(milliseconds: number): string {
    const minute = Math.floor(milliseconds / 60_000);
    if (minute !== this.minute) {
      this.minutePrefix = new Date(minute * 60_000).toISOString().slice(0, -'SS.mmmZ'.length);
      this.minute = minute;
    }
    const inMinute = milliseconds - minute * 60_000;
    const second = Math.floor(inMinute / 1000);
    return this.minutePrefix + SECONDS[second]! + MILLISECONDS[inMinute - second * 1000]!;
  }
}

const SECONDS = Array.from({ length: 60 }, (_, second) => `${String(second).padStart(2, '0')}.`);
const MILLISECONDS = Array.from({ length: 1000 }, (_, millisecond) => `${String(millisecond).padStart(3, '0')}Z`);
const timestampFormat = new IsoTimestampFormat();
const observedTimeFormat = new IsoTimestampFormat();

function nanosString(milliseconds: number, subMillisecondNanos: number): string {
  return milliseconds === 0 ? String(subMillisecondNanos) : `${milliseconds}${String(subMillisecondNanos).padStart(6, '0')}`;
}
