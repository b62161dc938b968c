import { LoupeError } from '@loupe/schema';
import {
  LogRecordFields, MAX_NESTING_DEPTH, OtlpField, completeRecord, copyFields, doubleValue, setAttribute, setField,
  type FlatRecord, type OtlpDecodeResult,
} from './flat-record.js';
import { camelCaseAnyValue, member, severityNumberOf } from './json-names.js';

type JsonObject = Record<string, unknown>;

/** A value of the wrong shape; `path` grows from the inside out as the error unwinds to a catch site. */
class ShapeError extends Error {
  constructor(
    public path: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const HEX_ID = /^[0-9a-fA-F]+$/;
const UNSIGNED_INTEGER = /^\d{1,20}$/;
const SIGNED_INTEGER = /^-?\d{1,19}$/;
const UINT64_MAX = '18446744073709551615';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Decodes an ExportLogsServiceRequest in OTLP/JSON (lowerCamelCase names or proto field names,
 * ids as hex, 64-bit integers as strings or numbers, enums as integers or names); see
 * `decodeOtlpLogs`. Unknown fields are
 * ignored, as the OTLP specification requires of receivers.
 */
export function decodeJsonLogs(text: string): OtlpDecodeResult {
  if (text.trim() === '') throw new LoupeError('OTLP_DECODE', 'Invalid OTLP JSON body: the body is empty; an export of no records is {}');
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    throw new LoupeError('OTLP_DECODE', `Invalid OTLP JSON body: ${(error as Error).message}`);
  }
  const result: OtlpDecodeResult = { records: [], rejected: [] };
  const fields = new LogRecordFields();
  let recordIndex = 0;
  const resourceLogs = requestLevel('', () => listOf(objectOf(request, 'an ExportLogsServiceRequest object'), 'resourceLogs'));
  for (let r = 0; r < resourceLogs.length; r++) {
    const at = `resourceLogs[${r}]`;
    const { resource, scopeLogs } = requestLevel(at, () => {
      const item = objectOf(resourceLogs[r], 'a ResourceLogs object');
      const attributes: FlatRecord = {};
      if (item.resource !== undefined && item.resource !== null) {
        within('.resource', () => attributesInto(attributes, objectOf(item.resource, 'a Resource object')));
      }
      return { resource: attributes, scopeLogs: listOf(item, 'scopeLogs') };
    });
    for (let s = 0; s < scopeLogs.length; s++) {
      const scopeAt = `${at}.scopeLogs[${s}]`;
      const { base, logRecords } = requestLevel(scopeAt, () => scopeOf(scopeLogs[s], resource));
      for (let l = 0; l < logRecords.length; l++) {
        const record: FlatRecord = copyFields(base);
        const index = recordIndex++;
        let problem: string;
        try {
          logRecordInto(record, objectOf(logRecords[l], 'a LogRecord object'), fields);
          problem = completeRecord(record, fields);
        } catch (error) {
          if (!(error instanceof ShapeError)) throw error;
          problem = `${scopeAt}.logRecords[${l}]${error.path}: ${error.problem}`;
        }
        if (problem === '') result.records.push(record);
        else result.rejected.push({ index, reason: problem, raw: recordText(logRecords[l]) });
      }
    }
  }
  return result;
}

/** A refused LogRecord as JSON text for its dead letter; one nested too deeply to write is named, not written. */
function recordText(record: unknown): string {
  try {
    return JSON.stringify(record) ?? '';
  } catch (error) {
    if (error instanceof RangeError) return '(the LogRecord is nested too deeply to keep as JSON)';
    throw error;
  }
}

/** Above the LogRecords a wrong shape spoils every record under it, so the whole request is refused. */
function requestLevel<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    const where = `${path}${error.path}`.replace(/^\./, '') || '(the top level)';
    throw new LoupeError('OTLP_DECODE', `Invalid OTLP JSON body at ${where}: ${error.problem}`);
  }
}

/** Runs `read`, prefixing `segment` to the path of a shape error it throws (request level only: it allocates). */
function within<T>(segment: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw prefixPath(error, segment);
  }
}

function prefixPath(error: unknown, segment: string): unknown {
  if (error instanceof ShapeError) error.path = `${segment}${error.path}`;
  return error;
}

function scopeOf(value: unknown, resource: FlatRecord): { base: FlatRecord; logRecords: unknown[] } {
  const item = objectOf(value, 'a ScopeLogs object');
  const base: FlatRecord = copyFields(resource);
  const scope = item.scope;
  if (scope !== undefined && scope !== null) {
    within('.scope', () => {
      const object = objectOf(scope, 'an InstrumentationScope object');
      const name = optionalString(object, 'name');
      const version = optionalString(object, 'version');
      attributesInto(base, object);
      if (name !== '') base[OtlpField.scopeName] = name;
      if (version !== '') base[OtlpField.scopeVersion] = version;
    });
  }
  return { base, logRecords: listOf(item, 'logRecords') };
}

function logRecordInto(record: FlatRecord, item: JsonObject, fields: LogRecordFields): void {
  fields.reset();
  attributesInto(record, item);
  const time = member(item, 'timeUnixNano');
  if (time !== undefined && time !== null) unixNanos(time, 'timeUnixNano', fields, false);
  const observed = member(item, 'observedTimeUnixNano');
  if (observed !== undefined && observed !== null) unixNanos(observed, 'observedTimeUnixNano', fields, true);
  const severityNumber = member(item, 'severityNumber');
  if (severityNumber !== undefined && severityNumber !== null) {
    const number = typeof severityNumber === 'string' ? severityNumberOf(severityNumber) : severityNumber;
    if (!Number.isInteger(number)) throw new ShapeError('.severityNumber', `expected an integer or a SeverityNumber name, got ${describe(severityNumber)}`);
    fields.severityNumber = number as number;
  }
  fields.severityText = optionalString(item, 'severityText');
  if (item.body !== undefined) {
    try {
      fields.body = anyValue(item.body, 1);
    } catch (error) {
      throw prefixPath(error, '.body');
    }
  }
  fields.traceId = hexId(item, 'traceId', 16);
  fields.spanId = hexId(item, 'spanId', 8);
  fields.eventName = optionalString(item, 'eventName');
}

function attributesInto(target: FlatRecord, item: JsonObject): void {
  const attributes = listOf(item, 'attributes');
  let i = 0;
  try {
    for (; i < attributes.length; i++) {
      const keyValue = objectOf(attributes[i], 'a KeyValue object');
      setAttribute(target, keyOf(keyValue, 'a non-empty string'), valueOf(keyValue, 1));
    }
  } catch (error) {
    throw prefixPath(error, `.attributes[${i}]`);
  }
}

function keyOf(keyValue: JsonObject, expected: 'a string' | 'a non-empty string'): string {
  const key = keyValue.key;
  if (typeof key !== 'string' || (key === '' && expected === 'a non-empty string')) {
    throw new ShapeError('.key', `expected ${expected}, got ${describe(key)}`);
  }
  return key;
}

function valueOf(keyValue: JsonObject, depth: number): unknown {
  try {
    return anyValue(keyValue.value, depth);
  } catch (error) {
    throw prefixPath(error, '.value');
  }
}

/** Converts an AnyValue: the first of its oneof members that is present, or null when it has none. */
function anyValue(value: unknown, depth: number): unknown {
  if (value === undefined || value === null) return null;
  if (depth > MAX_NESTING_DEPTH) throw new ShapeError('', `AnyValue nested more than ${MAX_NESTING_DEPTH} levels deep`);
  const item = objectOf(value, 'an AnyValue object');
  if (item.stringValue != null) return typed(item.stringValue, 'string', 'stringValue');
  if (item.boolValue != null) return typed(item.boolValue, 'boolean', 'boolValue');
  if (item.intValue != null) return int64(item.intValue);
  if (item.doubleValue != null) return double(item.doubleValue);
  if (item.bytesValue != null) return typed(item.bytesValue, 'string', 'bytesValue');
  if (item.arrayValue != null) return arrayValue(item.arrayValue, depth);
  if (item.kvlistValue != null) return kvlistValue(item.kvlistValue, depth);
  const camelCase = camelCaseAnyValue(item);
  return camelCase === undefined ? null : anyValue(camelCase, depth);
}

function arrayValue(value: unknown, depth: number): unknown[] {
  const values = listOf(objectOf(value, 'an ArrayValue object', '.arrayValue'), 'values', '.arrayValue');
  const items = new Array<unknown>(values.length);
  let i = 0;
  try {
    for (; i < values.length; i++) items[i] = anyValue(values[i], depth + 1);
  } catch (error) {
    throw prefixPath(error, `.arrayValue.values[${i}]`);
  }
  return items;
}

function kvlistValue(value: unknown, depth: number): FlatRecord {
  const values = listOf(objectOf(value, 'a KeyValueList object', '.kvlistValue'), 'values', '.kvlistValue');
  const map: FlatRecord = {};
  let i = 0;
  try {
    for (; i < values.length; i++) {
      const keyValue = objectOf(values[i], 'a KeyValue object');
      setField(map, keyOf(keyValue, 'a string'), valueOf(keyValue, depth + 1));
    }
  } catch (error) {
    throw prefixPath(error, `.kvlistValue.values[${i}]`);
  }
  return map;
}

function typed(value: unknown, type: 'string' | 'boolean', name: string): unknown {
  if (typeof value !== type) throw new ShapeError(`.${name}`, `expected a ${type}, got ${describe(value)}`);
  return value;
}

/** int64: a JSON number or a decimal string; a number when exact in a double, else the decimal string. */
function int64(value: unknown): number | string {
  // A JSON number past 2^53 has already been rounded by JSON.parse; as a string it matches the protobuf path.
  if (typeof value === 'number' && Number.isInteger(value)) return Number.isSafeInteger(value) ? value : BigInt(value).toString();
  if (typeof value === 'string' && SIGNED_INTEGER.test(value)) {
    const number = Number(value);
    if (Number.isSafeInteger(number)) return number;
    const exact = BigInt(value);
    if (exact >= INT64_MIN && exact <= INT64_MAX) return exact.toString();
  }
  throw new ShapeError('.intValue', `expected a 64-bit integer as a number or a decimal string, got ${describe(value)}`);
}

/** double: a JSON number, or a string as proto3 JSON allows ("1.5", "NaN", "Infinity", "-Infinity"). */
function double(value: unknown): number | string {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const number = Number(value);
    if (value === 'NaN' || (value.trim() !== '' && !Number.isNaN(number))) return doubleValue(number);
  }
  throw new ShapeError('.doubleValue', `expected a number, got ${describe(value)}`);
}

/** fixed64 nanoseconds since 1970 as a decimal string or a number, split exactly at the millisecond. */
function unixNanos(value: unknown, name: string, fields: LogRecordFields, observed: boolean): void {
  let milliseconds: number;
  let subMillisecondNanos: number;
  if (typeof value === 'string' && UNSIGNED_INTEGER.test(value) && (value.length < 20 || value <= UINT64_MAX)) {
    milliseconds = value.length > 6 ? Number(value.slice(0, -6)) : 0;
    subMillisecondNanos = Number(value.slice(-6));
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    subMillisecondNanos = value % 1_000_000;
    milliseconds = Math.round((value - subMillisecondNanos) / 1_000_000);
  } else {
    throw new ShapeError(`.${name}`, `expected nanoseconds since 1970 as a decimal string or a number, got ${describe(value)}`);
  }
  if (observed) fields.setObservedTime(milliseconds, subMillisecondNanos);
  else fields.setTime(milliseconds, subMillisecondNanos);
}

/** A trace or span id: hex as OTLP/JSON encodes it (not base64), lower-cased; '' when absent or all zeros. */
function hexId(item: JsonObject, name: string, length: number): string {
  const value = member(item, name);
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string' || value.length !== length * 2 || !HEX_ID.test(value)) {
    throw new ShapeError(`.${name}`, `expected ${length * 2} hex digits, got ${describe(value)}`);
  }
  const hex = value.toLowerCase();
  return /^0+$/.test(hex) ? '' : hex;
}

function optionalString(item: JsonObject, name: string): string {
  const value = member(item, name);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ShapeError(`.${name}`, `expected a string, got ${describe(value)}`);
  return value;
}

function objectOf(value: unknown, expected: string, path = ''): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeError(path, `expected ${expected}, got ${describe(value)}`);
  return value as JsonObject;
}

/** A repeated field: absent or null is the empty list, as in proto3 JSON. */
function listOf(item: JsonObject, name: string, path = ''): unknown[] {
  const value = member(item, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${path}.${name}`, `expected an array, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
