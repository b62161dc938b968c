import { F, unmaskedFields } from '@loupe/schema';
import { errorFields } from '../error-fields.js';
import { isEncryptedValue } from './field-cipher.js';
import { countMaskFailure } from './mask-stats.js';
import { maskText } from './mask-text.js';
import { ANY_NAME, FULL_NAME } from './person-name.js';
import { textToken } from './mask-key-values.js';
import { classifyKey, networkAddressEnd, type KeyKind } from './sensitive-keys.js';
import { isMaskToken, MaskToken } from './tokens.js';

/**
 * Masks a log record (R22): flat with dotted ECS keys, or nested (a message payload). Fields in
 * `unmaskedFields` are kept; a field whose name says what it holds (`*.password`, `*.phone`,
 * `customer.name`, `http.request.headers.authorization`…) is replaced whole by that kind's
 * token; every other string goes through `maskText`. Nested objects and arrays are walked,
 * their keys joined with dots, and everything under a sensitive key takes its token.
 */

// A whole field that holds a secret or a cookie is redacted; other kinds take the same token as in text.
const recordToken: Record<KeyKind, string> = { ...textToken, secret: MaskToken.redacted, cookie: MaskToken.redacted };

/** Deeper than this, a value is replaced rather than walked: log records are not that deep. */
const MAX_DEPTH = 16;
const WHOLE_FULL_NAME = new RegExp(`^${FULL_NAME}$`);
const WHOLE_NAME = new RegExp(`^${ANY_NAME}$`);
const AUTH_SCHEME = /^(Bearer|Basic|Token|ApiKey|Digest|Negotiate|NTLM|OAuth|JWT|AWS4-HMAC-SHA256) /i;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** The value that replaces a primitive under a key of `kind`. */
function maskKeyed(value: unknown, kind: KeyKind): unknown {
  if (value === null || value === undefined || typeof value === 'boolean' || value === '') return value;
  if (typeof value === 'string') {
    if (isMaskToken(value) || isEncryptedValue(value)) return value;
    if (kind === 'address' && networkAddressEnd(value, 0) === value.length) return value;
    if (kind === 'maybeName') return WHOLE_FULL_NAME.test(value.trim()) ? MaskToken.name : maskText(value);
    if (kind === 'nameCue') return WHOLE_NAME.test(value.trim()) ? MaskToken.name : maskText(value);
    if (kind === 'credential') {
      const scheme = AUTH_SCHEME.exec(value);
      return scheme ? `${scheme[1]} ${MaskToken.token}` : MaskToken.token;
    }
  } else if (kind === 'maybeName' || kind === 'nameCue') {
    return value;
  }
  return recordToken[kind];
}

interface Walk {
  /** Objects on the path from the root, to cut cycles. */
  readonly ancestors: object[];
}

function maskValue(value: unknown, path: string, inherited: KeyKind | undefined, walk: Walk): unknown {
  if (unmaskedFields.has(path)) return value;
  const kind = classifyKey(path) ?? inherited;
  if (value === null || typeof value !== 'object') {
    if (kind !== undefined) return maskKeyed(value, kind);
    return typeof value === 'string' && !isEncryptedValue(value) ? maskText(value) : value;
  }
  if (walk.ancestors.includes(value)) return '[Circular]';
  if (walk.ancestors.length >= MAX_DEPTH) return MaskToken.redacted;
  // Everything under `address: {…}` is an address; under `customer: {…}` each key speaks for itself.
  const passedDown = kind === 'maybeName' || kind === 'nameCue' ? undefined : kind;
  walk.ancestors.push(value);
  try {
    if (Array.isArray(value)) return maskArray(value, path, passedDown, walk);
    if (value instanceof Error) return maskError(value, path, passedDown, walk);
    if (isPlainObject(value)) return maskObject(value, path, passedDown, walk);
    return value;
  } finally {
    walk.ancestors.pop();
  }
}

/** Masks one entry; a value that cannot be read (a throwing getter) is not written either. */
function maskEntry(container: Record<string | number, unknown>, key: string | number, path: string, inherited: KeyKind | undefined, walk: Walk): { before: unknown; after: unknown } {
  let before: unknown;
  try {
    before = container[key];
    return { before, after: maskValue(before, path, inherited, walk) };
  } catch {
    countMaskFailure();
    return { before, after: MaskToken.redacted };
  }
}

function maskObject(record: Record<string, unknown>, prefix: string, inherited: KeyKind | undefined, walk: Walk): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const { before, after } = maskEntry(record, key, prefix === '' ? key : `${prefix}.${key}`, inherited, walk);
    if (out === undefined && after === before) continue;
    out ??= copyEntries(record, keys, i);
    setField(out, key, after);
  }
  return out ?? record;
}

/** `out[key] = value`, except that a `__proto__` key parsed from JSON stays a field. */
export function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** The first `count` entries of `record`, already read once without throwing. */
function copyEntries(record: Record<string, unknown>, keys: readonly string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) setField(out, keys[i]!, record[keys[i]!]);
  return out;
}

function maskArray(items: unknown[], path: string, inherited: KeyKind | undefined, walk: Walk): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const { before, after } = maskEntry(items as unknown as Record<number, unknown>, i, path, inherited, walk);
    if (out === undefined && after === before) continue;
    out ??= items.slice(0, i);
    out[i] = after;
  }
  return out ?? items;
}

/**
 * An Error's message and stack are not enumerable and the error is not a plain object, so it is
 * masked as the fields the logger writes for it (`errorFields`): those fields, masked, when any
 * needed it; otherwise the error itself, so the line is written as it would be unmasked.
 */
function maskError(error: Error, path: string, inherited: KeyKind | undefined, walk: Walk): unknown {
  const fields = errorFields(error);
  const masked = maskObject(fields, path, inherited, walk);
  return masked === fields ? error : masked;
}

/**
 * Masks `record` and returns it, or a masked copy: the same object when nothing needed masking.
 * An Error, as the record or inside it, is masked as the plain fields the logger writes for it.
 * Never throws: an unreadable value becomes `[REDACTED]` and is counted in `maskStats()`.
 */
export function maskRecord(record: Record<string, unknown>): Record<string, unknown> {
  if (record === null || typeof record !== 'object') return record;
  try {
    const walk: Walk = { ancestors: [record] };
    if (Array.isArray(record)) return maskArray(record, '', undefined, walk) as unknown as Record<string, unknown>;
    if (record instanceof Error) return maskError(record, '', undefined, walk) as Record<string, unknown>;
    return isPlainObject(record) ? maskObject(record, '', undefined, walk) : record;
  } catch {
    countMaskFailure();
    return { [F.message]: MaskToken.redacted };
  }
}
