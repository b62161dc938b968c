/**
 * OTLP/JSON names members in lowerCamelCase and writes enums as integers. A proto3 JSON parser
 * (the OpenTelemetry Collector's among them) also accepts the original proto field names and enum
 * value names, which hand-written senders use; so does Loupe, rather than lose their records.
 * The lowerCamelCase name is looked up first: a sender that follows OTLP pays only a miss on
 * absent optional members.
 */
const CAMEL_NAMES = [
  'resourceLogs', 'scopeLogs', 'logRecords', 'timeUnixNano', 'observedTimeUnixNano', 'severityNumber', 'severityText',
  'traceId', 'spanId', 'eventName',
] as const;
const ANY_VALUE_NAMES = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'arrayValue', 'kvlistValue'] as const;

const protoName = (camel: string): string => camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const PROTO_NAMES: ReadonlyMap<string, string> = new Map([...CAMEL_NAMES, ...ANY_VALUE_NAMES].map((name) => [name, protoName(name)]));
const ANY_VALUE_PROTO_NAMES = ANY_VALUE_NAMES.map((name) => [name, protoName(name)] as const);

/** `item[name]`, or the member under the proto field name (`time_unix_nano`) when the lowerCamelCase one is absent. */
export function member(item: Record<string, unknown>, name: string): unknown {
  const value = item[name];
  if (value !== undefined) return value;
  const proto = PROTO_NAMES.get(name);
  return proto === undefined ? undefined : item[proto];
}

/** An AnyValue written with proto field names (`{"string_value": "x"}`) as its lowerCamelCase form, or undefined. */
export function camelCaseAnyValue(item: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const [camel, proto] of ANY_VALUE_PROTO_NAMES) {
    if (item[proto] !== undefined && item[proto] !== null) return { [camel]: item[proto] };
  }
  return undefined;
}

const SEVERITY_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const SEVERITY_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  ...SEVERITY_LEVELS.flatMap((level, index) => ['', '2', '3', '4'].map((step, offset) => [`SEVERITY_NUMBER_${level}${step}`, index * 4 + offset + 1] as const)),
]);

/** A SeverityNumber enum value name (`SEVERITY_NUMBER_ERROR`) as its number, or undefined when it names none. */
export function severityNumberOf(name: string): number | undefined {
  return SEVERITY_NUMBERS.get(name);
}
