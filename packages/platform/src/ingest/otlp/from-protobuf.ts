import { WireFormatError, WireReader, WireType, type MessageSpec } from './wire-reader.js';
import {
  LogRecordFields, MAX_NESTING_DEPTH, OtlpField, completeRecord, copyFields, doubleValue, setAttribute, setField,
  type FlatRecord, type OtlpDecodeResult,
} from './flat-record.js';

const { varint, fixed64, lengthDelimited, fixed32 } = WireType;

// Field numbers from opentelemetry-proto (collector/logs/v1, logs/v1, resource/v1, common/v1).
const EXPORT_REQUEST: MessageSpec = { name: 'ExportLogsServiceRequest', fields: { 1: ['resource_logs', lengthDelimited] } };
const RESOURCE_LOGS: MessageSpec = {
  name: 'ResourceLogs',
  fields: { 1: ['resource', lengthDelimited], 2: ['scope_logs', lengthDelimited], 3: ['schema_url', lengthDelimited] },
};
const RESOURCE: MessageSpec = { name: 'Resource', fields: { 1: ['attributes', lengthDelimited], 2: ['dropped_attributes_count', varint] } };
const SCOPE_LOGS: MessageSpec = {
  name: 'ScopeLogs',
  fields: { 1: ['scope', lengthDelimited], 2: ['log_records', lengthDelimited], 3: ['schema_url', lengthDelimited] },
};
const SCOPE: MessageSpec = {
  name: 'InstrumentationScope',
  fields: { 1: ['name', lengthDelimited], 2: ['version', lengthDelimited], 3: ['attributes', lengthDelimited], 4: ['dropped_attributes_count', varint] },
};
const LOG_RECORD: MessageSpec = {
  name: 'LogRecord',
  fields: {
    1: ['time_unix_nano', fixed64], 2: ['severity_number', varint], 3: ['severity_text', lengthDelimited], 5: ['body', lengthDelimited],
    6: ['attributes', lengthDelimited], 7: ['dropped_attributes_count', varint], 8: ['flags', fixed32], 9: ['trace_id', lengthDelimited],
    10: ['span_id', lengthDelimited], 11: ['observed_time_unix_nano', fixed64], 12: ['event_name', lengthDelimited],
  },
};
const KEY_VALUE: MessageSpec = { name: 'KeyValue', fields: { 1: ['key', lengthDelimited], 2: ['value', lengthDelimited] } };
const ANY_VALUE: MessageSpec = {
  name: 'AnyValue',
  fields: {
    1: ['string_value', lengthDelimited], 2: ['bool_value', varint], 3: ['int_value', varint], 4: ['double_value', fixed64],
    5: ['array_value', lengthDelimited], 6: ['kvlist_value', lengthDelimited], 7: ['bytes_value', lengthDelimited],
  },
};
const VALUES_LIST: MessageSpec = { name: 'ArrayValue', fields: { 1: ['values', lengthDelimited] } };
const KEY_VALUE_LIST: MessageSpec = { name: 'KeyValueList', fields: { 1: ['values', lengthDelimited] } };

// A tag is (field number << 3) | wire type: comparing whole tags checks the wire type for free, and
// a tag with the right field number but the wrong wire type falls to `skip`, which reports it.
const FIELD_1_BYTES = 0x0a;
const FIELD_2_BYTES = 0x12;
const FIELD_3_BYTES = 0x1a;

/** Decodes an ExportLogsServiceRequest in the protobuf wire format; see `decodeOtlpLogs`. */
export function decodeProtobufLogs(body: Uint8Array): OtlpDecodeResult {
  return new ProtobufLogsDecoder(body).decode();
}

class ProtobufLogsDecoder {
  private readonly reader: WireReader;
  private readonly fields = new LogRecordFields();
  private readonly result: OtlpDecodeResult = { records: [], rejected: [] };
  private recordIndex = 0;

  constructor(body: Uint8Array) {
    this.reader = new WireReader(body);
  }

  decode(): OtlpDecodeResult {
    const reader = this.reader;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag !== FIELD_1_BYTES) reader.skip(fieldTag, EXPORT_REQUEST);
      else this.within('ExportLogsServiceRequest.resource_logs', () => this.resourceLogs());
    }
    return this.result;
  }

  private within(what: string, read: () => void): void {
    const outer = this.reader.enter(what);
    read();
    this.reader.leave(outer);
  }

  private resourceLogs(): void {
    const reader = this.reader;
    const start = reader.pos;
    const resource: FlatRecord = {};
    // The resource is read first wherever it sits, so that every record under it gets its attributes.
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag === FIELD_1_BYTES) this.within('ResourceLogs.resource', () => this.attributesOf(RESOURCE, resource));
      else reader.skip(fieldTag, RESOURCE_LOGS);
    }
    reader.pos = start;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag === FIELD_2_BYTES) this.within('ResourceLogs.scope_logs', () => this.scopeLogs(resource));
      else reader.skip(fieldTag, RESOURCE_LOGS);
    }
  }

  /** Resource (attributes = 1) or InstrumentationScope (name = 1, version = 2, attributes = 3) into `target`. */
  private attributesOf(spec: MessageSpec, target: FlatRecord): void {
    const reader = this.reader;
    const attributesTag = spec === RESOURCE ? FIELD_1_BYTES : FIELD_3_BYTES;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag === attributesTag) {
        const at = reader.pos;
        const problem = this.keyValueInto(target, `${spec.name}.attributes`);
        if (problem !== '') reader.fail(problem, at);
      } else if (spec === SCOPE && fieldTag === FIELD_1_BYTES) {
        const name = reader.string('InstrumentationScope.name');
        if (name !== '') target[OtlpField.scopeName] = name;
      } else if (spec === SCOPE && fieldTag === FIELD_2_BYTES) {
        const version = reader.string('InstrumentationScope.version');
        if (version !== '') target[OtlpField.scopeVersion] = version;
      } else reader.skip(fieldTag, spec);
    }
  }

  private scopeLogs(resource: FlatRecord): void {
    const reader = this.reader;
    const start = reader.pos;
    const base: FlatRecord = copyFields(resource);
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag === FIELD_1_BYTES) this.within('ScopeLogs.scope', () => this.attributesOf(SCOPE, base));
      else reader.skip(fieldTag, SCOPE_LOGS);
    }
    reader.pos = start;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag !== FIELD_2_BYTES) reader.skip(fieldTag, SCOPE_LOGS);
      else {
        const outer = reader.enter('ScopeLogs.log_records');
        this.logRecord(base, reader.end);
        reader.leave(outer);
      }
    }
  }

  /**
   * A LogRecord's length was checked against its ScopeLogs, so bytes inside it that are not
   * the wire format spoil only this record: it is rejected and decoding resumes at `end`.
   */
  private logRecord(base: FlatRecord, end: number): void {
    const index = this.recordIndex++;
    const start = this.reader.pos;
    let problem: string;
    const record: FlatRecord = copyFields(base);
    try {
      this.logRecordFields(record);
      problem = completeRecord(record, this.fields);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      problem = error.problem;
      this.reader.end = end;
    }
    if (problem === '') this.result.records.push(record);
    else this.result.rejected.push({ index, reason: problem, raw: `base64:${Buffer.from(this.reader.bytes.subarray(start, end)).toString('base64')}` });
  }

  private logRecordFields(record: FlatRecord): void {
    const reader = this.reader;
    const fields = this.fields;
    fields.reset();
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      // Each case is the tag of the LogRecord field named in the string it reads (see LOG_RECORD).
      switch (fieldTag) {
        case 0x09: // time_unix_nano: field 1, fixed64
          reader.fixed64Nanos();
          fields.setTime(reader.milliseconds, reader.subMillisecondNanos);
          break;
        case 0x10: fields.severityNumber = reader.int32(); break;
        case 0x1a: fields.severityText = reader.string('LogRecord.severity_text'); break;
        case 0x2a: { // body: field 5, length-delimited
          const outer = reader.enter('LogRecord.body');
          fields.body = this.anyValue(1);
          reader.leave(outer);
          break;
        }
        case 0x32: this.noteProblem(this.keyValueInto(record, 'LogRecord.attributes')); break;
        case 0x4a: fields.traceId = this.id('LogRecord.trace_id', 16); break;
        case 0x52: fields.spanId = this.id('LogRecord.span_id', 8); break;
        case 0x59: // observed_time_unix_nano: field 11, fixed64
          reader.fixed64Nanos();
          fields.setObservedTime(reader.milliseconds, reader.subMillisecondNanos);
          break;
        case 0x62: fields.eventName = reader.string('LogRecord.event_name'); break;
        default: reader.skip(fieldTag, LOG_RECORD);
      }
    }
  }

  private noteProblem(problem: string): void {
    if (problem !== '' && this.fields.problem === '') this.fields.problem = problem;
  }

  private id(what: string, length: number): string {
    const hex = this.reader.idHex(what);
    if (hex !== '' && hex.length !== length * 2) this.noteProblem(`${what} is ${hex.length / 2} bytes, expected ${length}`);
    return hex.length === length * 2 ? hex : '';
  }

  /** Reads one KeyValue into `target`; returns what is wrong with it, or ''. */
  private keyValueInto(target: FlatRecord, what: string): string {
    const reader = this.reader;
    const outer = reader.enter(what);
    let key = '';
    let valueStart = -1;
    let valueEnd = -1;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag === FIELD_1_BYTES) key = reader.string('KeyValue.key');
      else if (fieldTag === FIELD_2_BYTES) {
        valueEnd = reader.lengthEnd('KeyValue.value');
        valueStart = reader.pos;
        reader.pos = valueEnd;
      } else reader.skip(fieldTag, KEY_VALUE);
    }
    let value: unknown = null;
    if (valueStart >= 0) {
      // The value is read once the key is known, whichever order the two came in.
      const keyValueEnd = reader.end;
      reader.pos = valueStart;
      reader.end = valueEnd;
      value = this.anyValue(1);
      reader.end = keyValueEnd;
    }
    reader.leave(outer);
    if (key === '') return `${what} has an attribute with an empty key`;
    setAttribute(target, key, value);
    return '';
  }

  /** The AnyValue filling the reader's current range, converted (kvlist → object, int64 → number or string). */
  private anyValue(depth: number): unknown {
    const reader = this.reader;
    if (depth > MAX_NESTING_DEPTH) reader.fail(`AnyValue nested more than ${MAX_NESTING_DEPTH} levels deep`);
    let value: unknown = null;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      // string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7 (see ANY_VALUE).
      switch (fieldTag) {
        case 0x0a: value = reader.string('AnyValue.string_value'); break;
        case 0x10: value = reader.int64() !== 0; break;
        case 0x18: value = reader.int64(); break;
        case 0x21: value = doubleValue(reader.double()); break;
        case 0x2a: value = this.list(depth, 'AnyValue.array_value', VALUES_LIST); break;
        case 0x32: value = this.list(depth, 'AnyValue.kvlist_value', KEY_VALUE_LIST); break;
        case 0x3a: value = reader.base64('AnyValue.bytes_value'); break;
        default: reader.skip(fieldTag, ANY_VALUE);
      }
    }
    return value;
  }

  /** ArrayValue → unknown[]; KeyValueList → a plain object (flattened later for attributes). */
  private list(depth: number, what: string, spec: MessageSpec): unknown[] | FlatRecord {
    const reader = this.reader;
    const outer = reader.enter(what);
    const items: unknown[] = [];
    const map: FlatRecord = {};
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag !== FIELD_1_BYTES) reader.skip(fieldTag, spec);
      else if (spec === VALUES_LIST) {
        const itemOuter = reader.enter('ArrayValue.values');
        items.push(this.anyValue(depth + 1));
        reader.leave(itemOuter);
      } else this.nestedKeyValue(map, depth + 1);
    }
    reader.leave(outer);
    return spec === VALUES_LIST ? items : map;
  }

  private nestedKeyValue(map: FlatRecord, depth: number): void {
    const reader = this.reader;
    const outer = reader.enter('KeyValueList.values');
    let key = '';
    let value: unknown = null;
    while (reader.pos < reader.end) {
      const fieldTag = reader.tag();
      if (fieldTag === FIELD_1_BYTES) key = reader.string('KeyValue.key');
      else if (fieldTag === FIELD_2_BYTES) {
        const valueOuter = reader.enter('KeyValue.value');
        value = this.anyValue(depth);
        reader.leave(valueOuter);
      } else reader.skip(fieldTag, KEY_VALUE);
    }
    reader.leave(outer);
    setField(map, key, value);
  }
}
