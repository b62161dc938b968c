import { LoupeError } from '@loupe/schema';

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure). */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

/** Field number → [field name, expected wire type] of one message, for skipping and for error messages. */
export interface MessageSpec {
  readonly name: string;
  readonly fields: Readonly<Record<number, readonly [string, number]>>;
}

/** OTLP_DECODE for bytes that are not the protobuf wire format; `problem` is the message without its prefix. */
export class WireFormatError extends LoupeError {
  constructor(readonly problem: string) {
    super('OTLP_DECODE', `Invalid OTLP protobuf body: ${problem}`);
  }
}

const TWO_POW_32 = 4294967296;
const WIRE_TYPE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', 'invalid (6)', 'invalid (7)'];

/**
 * Reads the protobuf wire format from one buffer, never past `end`: the end of the
 * message being read, narrowed by `enter` and restored by `leave`. Every malformed
 * input (a length or varint running past `end`, a varint longer than 10 bytes, a group,
 * a known field with the wrong wire type) throws OTLP_DECODE with the byte offset.
 */
export class WireReader {
  pos = 0;
  end: number;
  /** Set by `fixed64Nanos`. */
  milliseconds = 0;
  subMillisecondNanos = 0;
  private tagStart = 0;
  private readonly buffer: Buffer;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length;
    // Buffer's native UTF-8, hex and base64 slicing beats TextDecoder on short strings.
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string, offset = this.pos): never {
    throw new WireFormatError(`${problem} at byte offset ${offset}`);
  }

  /** Reads a field's tag, (field number << 3) | wire type, remembering where it starts for error messages. */
  tag(): number {
    this.tagStart = this.pos;
    return this.uint32();
  }

  /** A tag, a length or a uint32 field: a varint that must fit in 32 bits. */
  uint32(): number {
    const bytes = this.bytes;
    const start = this.pos;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) this.fail('truncated varint', start);
      const byte = bytes[this.pos++]!;
      if (shift === 28 && byte > 0x0f) this.fail('varint does not fit in 32 bits', start);
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return this.fail('truncated varint', start);
  }

  /** An int64 varint as a number when it is exact in a double, else as its decimal string. */
  int64(): number | string {
    const bytes = this.bytes;
    const start = this.pos;
    let low = 0;
    let high = 0;
    for (let index = 0; index < 10; index++) {
      if (this.pos >= this.end) this.fail('truncated varint', start);
      const bits = bytes[this.pos++]! & 0x7f;
      if (index < 4) low |= bits << (index * 7);
      else if (index === 4) {
        low |= bits << 28;
        high = bits >>> 4;
      } else high |= bits << (index * 7 - 32);
      if (bytes[this.pos - 1]! < 0x80) {
        if (index === 9 && bits > 1) this.fail('varint overflows 64 bits', start);
        return int64Value(low >>> 0, high >>> 0);
      }
    }
    return this.fail('varint longer than 10 bytes', start);
  }

  /** A bool or enum varint, read as int64 so negative enums (10 bytes) are accepted. */
  int32(): number {
    const value = this.int64();
    return typeof value === 'number' ? value : Number(BigInt.asIntN(32, BigInt(value)));
  }

  /**
   * A fixed64 count of nanoseconds, split exactly into `milliseconds` and `subMillisecondNanos`
   * (a double alone would round nanoseconds since 1970, which are past 2^53).
   */
  fixed64Nanos(): void {
    this.need(8, 'fixed64');
    const low = this.view.getUint32(this.pos, true);
    const high = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    // high·2^32 = high·4294·10^6 + high·967296, and high·967296 + low < 2^53, so every step is exact.
    const rest = high * 967296 + low;
    this.subMillisecondNanos = rest % 1_000_000;
    this.milliseconds = high * 4294 + (rest - this.subMillisecondNanos) / 1_000_000;
  }

  double(): number {
    this.need(8, 'double');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Reads a length and returns the end of the field it prefixes, checked against the enclosing message. */
  lengthEnd(what: string): number {
    const lengthAt = this.pos;
    const length = this.uint32();
    if (length > this.end - this.pos) {
      this.fail(`${what} is ${length} bytes long but only ${this.end - this.pos} bytes remain in its enclosing message`, lengthAt);
    }
    return this.pos + length;
  }

  /** Narrows the reader to the length-delimited field starting here; returns the outer end for `leave`. */
  enter(what: string): number {
    const end = this.lengthEnd(what);
    const outer = this.end;
    this.end = end;
    return outer;
  }

  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  string(what: string): string {
    const end = this.lengthEnd(what);
    const start = this.pos;
    this.pos = end;
    return end - start <= SHORT_STRING_BYTES ? shortString(this.bytes, this.buffer, start, end) : this.buffer.toString('utf8', start, end);
  }

  /** A trace or span id as lower-case hex; '' when it is empty or all zeros, which OTLP uses for "no id". */
  idHex(what: string): string {
    const end = this.lengthEnd(what);
    const start = this.pos;
    this.pos = end;
    for (let i = start; i < end; i++) if (this.bytes[i] !== 0) return this.buffer.toString('hex', start, end);
    return '';
  }

  base64(what: string): string {
    const end = this.lengthEnd(what);
    const start = this.pos;
    this.pos = end;
    return this.buffer.toString('base64', start, end);
  }

  /** Skips a field this decoder does not read; a known field with the wrong wire type is an error. */
  skip(tag: number, spec: MessageSpec): void {
    const field = tag >>> 3;
    const wireType = tag & 7;
    const tagAt = this.tagStart;
    if (field === 0) this.fail(`${spec.name} has a field number 0`, tagAt);
    const known = spec.fields[field];
    if (known !== undefined && known[1] !== wireType) {
      this.fail(`${spec.name}.${known[0]} (field ${field}) has wire type ${WIRE_TYPE_NAMES[wireType]}, expected ${WIRE_TYPE_NAMES[known[1]]}`, tagAt);
    }
    if (wireType === WireType.varint) this.int64();
    else if (wireType === WireType.fixed64) this.advance(8, 'fixed64');
    else if (wireType === WireType.lengthDelimited) this.pos = this.lengthEnd(`${spec.name} field ${field}`);
    else if (wireType === WireType.fixed32) this.advance(4, 'fixed32');
    else if (wireType === WireType.startGroup || wireType === WireType.endGroup) {
      this.fail(`${spec.name} field ${field} is a group, which OTLP never uses`, tagAt);
    } else this.fail(`${spec.name} field ${field} has the invalid wire type ${wireType}`, tagAt);
  }

  private advance(length: number, what: string): void {
    this.need(length, what);
    this.pos += length;
  }

  private need(length: number, what: string): void {
    if (this.end - this.pos < length) this.fail(`truncated ${what}: ${length} bytes needed, ${this.end - this.pos} remain`);
  }
}

function int64Value(low: number, high: number): number | string {
  if (high < 0x200000) return high * TWO_POW_32 + low;
  if (high >= 0x80000000) {
    const magnitude = (~high >>> 0) * TWO_POW_32 + (TWO_POW_32 - low);
    if (magnitude <= Number.MAX_SAFE_INTEGER) return -magnitude;
  }
  return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low)).toString();
}

// Attribute keys and many values ('GET', 'mes-api', 'PRICE_QUOTED') repeat in every record: a short ASCII
// string seen before is returned as the same string object, already hashed and internalized as a property key,
// instead of being decoded again. The cache is a fixed-size table, so hostile input can only evict entries.
const SHORT_STRING_BYTES = 32;
const STRING_CACHE_SLOTS = 4096;
const stringCache: string[] = new Array<string>(STRING_CACHE_SLOTS).fill('');

function shortString(bytes: Uint8Array, buffer: Buffer, start: number, end: number): string {
  let hash = 0x811c9dc5;
  let allBits = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    allBits |= byte;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  if (allBits >= 0x80) return buffer.toString('utf8', start, end);
  const slot = (hash >>> 0) & (STRING_CACHE_SLOTS - 1);
  const cached = stringCache[slot]!;
  const length = end - start;
  if (cached.length === length) {
    let same = 0;
    while (same < length && cached.charCodeAt(same) === bytes[start + same]) same++;
    if (same === length) return cached;
  }
  const text = buffer.toString('latin1', start, end);
  stringCache[slot] = text;
  return text;
}
