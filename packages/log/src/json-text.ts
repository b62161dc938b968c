import { configure } from 'safe-stable-stringify';
import { errorFields } from './error-fields.js';

/**
 * JSON text written by hand for the hot paths (log lines, the platform's staging lines).
 * `JSON.stringify` reads every character of a string through the engine's escape table, which
 * costs more than the rest of a log line; one regex test says whether a string needs escaping
 * at all, and nearly none does.
 */

/** A character JSON must escape: quote, backslash, control characters and UTF-16 surrogates (lone ones are escaped, pairs kept). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `text` as a JSON string, exactly as `JSON.stringify` writes it. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * `text` as a JSON string every JSON reader takes: a lone UTF-16 surrogate, which
 * `JSON.stringify` writes as a `\ud83d` escape that strict readers (DuckDB's) reject, becomes
 * U+FFFD, as a UTF-8 decoder would make of it.
 */
export function wellFormedJsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text.toWellFormed()) : `"${text}"`;
}

/**
 * A lone surrogate's escape in `JSON.stringify`'s output: `\udXXX` after an even number of
 * backslashes (an odd one escapes the backslash). It writes no other surrogate escapes, as a
 * pair is written as it is.
 */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** JSON text with every lone surrogate's escape made U+FFFD's. */
function wellFormedJson(json: string): string {
  return json.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd');
}

/** Objects that `JSON.stringify` cannot take (cycles, BigInt), with pino's limits on depth and breadth. */
const safeStringify = configure({ maximumDepth: 5, maximumBreadth: 100 });

function jsonObject(value: object, wellFormed: boolean): string {
  const json = objectJson(value);
  return wellFormed ? wellFormedJson(json) : json;
}

function objectJson(value: object): string {
  const plain = value instanceof Error ? errorFields(value) : value;
  try {
    return JSON.stringify(plain);
  } catch {
    return safeStringify(plain) ?? 'null';
  }
}

/** A number as JSON writes it: `null` when it is not finite. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** A field's value as JSON, or undefined for what a line leaves out (undefined, functions, symbols) as pino does. */
export function jsonValue(value: unknown, wellFormed = false): string | undefined {
  switch (typeof value) {
    case 'string':
      return wellFormed ? wellFormedJsonString(value) : jsonString(value);
    case 'number':
      return jsonNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return String(value);
    default:
      return value === null ? 'null' : jsonObject(value as object, wellFormed);
  }
}

/**
 * `,"key":value` for each field, skipping undefined values and functions as pino does; with
 * `wellFormed`, strings are written as `wellFormedJsonString` writes them.
 */
export function jsonFields(fields: Record<string, unknown>, wellFormed = false): string {
  const string = wellFormed ? wellFormedJsonString : jsonString;
  let out = '';
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const json = jsonValue(fields[key], wellFormed);
    if (json !== undefined) out += `,${string(key)}:${json}`;
  }
  return out;
}
