// Hand-built ExportLogsServiceRequest bytes for tests: exactly the bytes written, hostile ones included.
// Field numbers as in opentelemetry-proto; see MessageSpec tables in from-protobuf.ts.

export type Bytes = number[];

export function varint(value: number | bigint): Bytes {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: Bytes = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

export const tag = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);
export const message = (field: number, ...parts: Bytes[]): Bytes => {
  const payload = parts.flat();
  return [...tag(field, 2), ...varint(payload.length), ...payload];
};
export const text = (field: number, value: string): Bytes => message(field, [...Buffer.from(value, 'utf8')]);
export const raw = (field: number, bytes: Bytes): Bytes => message(field, bytes);
export const int = (field: number, value: number | bigint): Bytes => [...tag(field, 0), ...varint(value)];
export function fixed64(field: number, value: bigint): Bytes {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return [...tag(field, 1), ...bytes];
}
export function double(field: number, value: number): Bytes {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...tag(field, 1), ...bytes];
}

/** AnyValue builders: string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7. */
export const anyString = (value: string): Bytes => text(1, value);
export const anyInt = (value: number | bigint): Bytes => int(3, value);
export const anyArray = (...values: Bytes[]): Bytes => message(5, ...values.map((value) => message(1, value)));
export const anyKvlist = (...pairs: Bytes[]): Bytes => message(6, ...pairs.map((pair) => message(1, pair)));
export const keyValue = (key: string, value: Bytes): Bytes => [...text(1, key), ...message(2, value)];

/** LogRecord fields. */
export const time = (nanos: bigint): Bytes => fixed64(1, nanos);
export const observedTime = (nanos: bigint): Bytes => fixed64(11, nanos);
export const severity = (number: number, text_?: string): Bytes => [...int(2, number), ...(text_ === undefined ? [] : text(3, text_))];
export const body = (value: Bytes): Bytes => message(5, value);
export const attribute = (key: string, value: Bytes): Bytes => message(6, keyValue(key, value));
export const traceId = (hex: string): Bytes => raw(9, [...Buffer.from(hex, 'hex')]);
export const spanId = (hex: string): Bytes => raw(10, [...Buffer.from(hex, 'hex')]);

/** A request of one ResourceLogs (service.name = `service`) with one ScopeLogs holding `logRecords`. */
export function request(service: string, ...logRecords: Bytes[]): Uint8Array {
  const resource = message(1, message(1, keyValue('service.name', anyString(service))));
  const scopeLogs = message(2, ...logRecords.map((logRecord) => message(2, logRecord)));
  return Uint8Array.from(message(1, resource, scopeLogs));
}
