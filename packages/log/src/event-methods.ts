import { eventCatalogue, F, unmaskedFields, type EventName, type EventParams, type EventSpec, type LogLevel } from '@loupe/schema';
import { jsonString, jsonValue } from './json-text.js';
import { MaskToken } from './mask/tokens.js';

const TRACE_KEY = `,${jsonString(F.traceId)}:`;
const SPAN_KEY = `,${jsonString(F.spanId)}:`;

/** One typed method per catalogue event: `log.orderStatusChanged({ orderId, customerId, from, to })`. */
export type EventMethods = { [E in EventName]: (params: EventParams<E>) => void };

/** What a compiled event writes through: the logger's level check, masking and output. */
export interface EventSink {
  isLevelEnabled(level: LogLevel): boolean;
  maskValue(value: string): string;
  /** How a field kept encrypted (R22) is encrypted, or undefined when the field is not. */
  encrypterFor(field: string): ((value: string) => string) | undefined;
  /** Writes a line whose fields are JSON text already: `,"key":value` for each. */
  writeJson(level: LogLevel, fieldsJson: string, message: string): void;
  /** The active trace context, written first on each line (R21). */
  traceIds(): { traceId: string; spanId: string } | undefined;
}

interface CompiledField {
  param: string;
  ecs: string;
  /** `,"<ecs>":`, written once here rather than on every line. */
  key: string;
  /** Free-text fields are scanned for personal data; ids, times and numbers never are. */
  scan: boolean;
  /** Set for a field the logger keeps encrypted: the line carries it encrypted, the message `[REDACTED]`. */
  encrypt: ((value: string) => string) | undefined;
}

/** A template piece: literal text, or the index of the parameter whose (masked) value goes there. */
type MessagePart = string | number;

function compileEvent(spec: EventSpec, sink: EventSink): (params: Record<string, unknown>) => void {
  const fields: CompiledField[] = Object.entries(spec.fields).map(([param, field]) => ({
    param,
    ecs: field.ecs,
    key: `,${jsonString(field.ecs)}:`,
    scan: field.type === 'string' && !unmaskedFields.has(field.ecs),
    encrypt: sink.encrypterFor(field.ecs),
  }));
  const parts: MessagePart[] = spec.message.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    if (!part.startsWith('{')) return part;
    const index = fields.findIndex((field) => field.param === part.slice(1, -1));
    if (index === -1) throw new Error(`Event ${spec.action}: message names unknown field ${part}`);
    return index;
  });
  const { action, level: defaultLevel } = spec;
  const actionJson = `,${jsonString(F.action)}:${jsonString(action)}`;
  const values: unknown[] = new Array(fields.length);

  return (params) => {
    const level = (params.level as LogLevel | undefined) ?? defaultLevel;
    if (!sink.isLevelEnabled(level)) return;
    const ids = sink.traceIds();
    // The line's fields as JSON text, built here: the event's field names are known now.
    let json = ids ? `${TRACE_KEY}${jsonString(ids.traceId)}${SPAN_KEY}${jsonString(ids.spanId)}${actionJson}` : actionJson;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      let value = params[field.param];
      if (field.encrypt && value !== undefined && value !== null) {
        const encrypted = field.encrypt(String(value));
        // The message never carries a kept field in clear; a debug detail's message is the field itself.
        if (field.ecs === 'message') values[i] = encrypted;
        else {
          json += field.key + jsonString(encrypted);
          values[i] = MaskToken.redacted;
        }
        continue;
      }
      if (field.scan && typeof value === 'string') value = sink.maskValue(value);
      values[i] = value;
      // The free-text `message` of a debug detail is the line's message, not a field.
      if (value !== undefined && value !== null && field.ecs !== 'message') {
        const valueJson = jsonValue(value);
        if (valueJson !== undefined) json += field.key + valueJson;
      }
    }
    let message = '';
    for (const part of parts) message += typeof part === 'string' ? part : (values[part] ?? '');
    sink.writeJson(level, json, message);
  };
}

/** Builds every event method once, at logger construction. */
export function compileEventMethods(sink: EventSink): EventMethods {
  const methods: Record<string, (params: Record<string, unknown>) => void> = {};
  for (const [name, spec] of Object.entries(eventCatalogue)) methods[name] = compileEvent(spec, sink);
  return methods as unknown as EventMethods;
}
