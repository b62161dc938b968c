import type { DestinationStream } from 'pino';
import { F, logLevels, type LogLevel } from '@loupe/schema';
import { jsonFields, jsonString } from './json-text.js';

/**
 * Builds the ECS JSON lines (R20) the logger writes, in the order pino writes them: level,
 * timestamp, `service.name`, the fields, the message. pino's transports carry the lines to
 * stdout and files. Building the line here rather than in pino's generic serialiser lets a
 * string that needs no escaping, nearly every message, skip `JSON.stringify` (json-text.ts).
 */

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
    this.writeJson(level, fields === undefined ? '' : jsonFields(fields), message);
  }

  /** A line whose fields are already JSON text: `,"key":value` for each (see `jsonFields`). */
  writeJson(level: LogLevel, fieldsJson: string, message: string): void {
    this.destination.write(`${levelPrefix[level]}${timestamp()}${this.bindings}${fieldsJson}${this.messageKey}${jsonString(message)}}\n`);
  }
}
