import type { DestinationStream } from 'pino';
import { configure } from 'safe-stable-stringify';
import { F, logLevels, type LogLevel } from '@loupe/schema';

/**
 * Builds the ECS JSON lines (R20) the logger writes, in the order pino writes them: level,
 * timestamp, `service.name`, the fields, the message. pino's transports carry the lines to
 * stdout and files. Building the line here rather than in pino's generic serialiser lets a
 * string that needs no escaping, nearly every message, skip `JSON.stringify`, which reads
 * every character through the engine's escape table and costs more than a whole line's other
 * work.
 */

/** A character JSON must escape: quote, backslash, control characters and UTF-16 surrogates (lone ones are escaped, pairs kept). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `text` as a JSON string, exactly as `JSON.stringify` writes it. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Objects that `JSON.stringify` cannot take (cycles, BigInt), with pino's limits on depth and breadth. */
const safeStringify = configure({ maximumDepth: 5, maximumBreadth: 100 });

/** An Error's ECS fields; `JSON.stringify` would write `{}`. */
function errorFields(error: Error): Record<string, unknown> {
  return { type: error.name, message: error.message, stack_trace: error.stack };
}

function jsonObject(value: object): string {
  if (value instanceof Error) return JSON.stringify(errorFields(value));
  try {
    return JSON.stringify(value);
  } catch {
    return safeStringify(value) ?? 'null';
  }
}

/** `,"key":value` for each field, skipping undefined values and functions as pino does. */
function jsonFields(fields: Record<string, unknown>): string {
  let out = '';
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const value = fields[key];
    let json: string;
    switch (typeof value) {
      case 'string':
        json = jsonString(value);
        break;
      case 'number':
        json = Number.isFinite(value) ? String(value) : 'null';
        break;
      case 'boolean':
        json = value ? 'true' : 'false';
        break;
      case 'undefined':
      case 'function':
      case 'symbol':
        continue;
      case 'bigint':
        json = String(value);
        break;
      default:
        json = value === null ? 'null' : jsonObject(value as object);
    }
    out += `,${jsonString(key)}:${json}`;
  }
  return out;
}

// Formatting a date costs more than the rest of a line; within one millisecond it is the same text.
let lastMs = 0;
let lastTimestamp = '';
function timestamp(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTimestamp = `,"@timestamp":"${new Date(now).toISOString()}"`;
  }
  return lastTimestamp;
}

/** pino's level numbers, so tools that read pino's levels read ours. */
export const levelNumber: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const levelPrefix = Object.fromEntries(logLevels.map((level) => [level, `{${jsonString(F.level)}:${jsonString(level)}`])) as Record<LogLevel, string>;

/** Writes one service's lines to a pino destination. */
export class EcsLineWriter {
  private readonly bindings: string;
  private readonly messageKey = `,${jsonString(F.message)}:`;

  constructor(service: string, private readonly destination: DestinationStream) {
    this.bindings = `,${jsonString(F.service)}:${jsonString(service)}`;
  }

  write(level: LogLevel, fields: Record<string, unknown> | undefined, message: string): void {
    const body = fields === undefined ? '' : jsonFields(fields);
    this.destination.write(`${levelPrefix[level]}${timestamp()}${this.bindings}${body}${this.messageKey}${jsonString(message)}}\n`);
  }
}
