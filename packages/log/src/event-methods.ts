import { eventCatalogue, unmaskedFields, type EventName, type EventParams, type EventSpec, type LogLevel } from '@loupe/schema';
import { MaskToken } from './mask/tokens.js';

/** One typed method per catalogue event: `log.orderStatusChanged({ orderId, customerId, from, to })`. */
export type EventMethods = { [E in EventName]: (params: EventParams<E>) => void };

/** What a compiled event writes through: the logger's level check, masking and output. */
export interface EventSink {
  isLevelEnabled(level: LogLevel): boolean;
  maskValue(value: string): string;
  /** How a field kept encrypted (R22) is encrypted, or undefined when the field is not. */
  encrypterFor(field: string): ((value: string) => string) | undefined;
  write(level: LogLevel, record: Record<string, unknown>, message: string): void;
  /** The active trace context, written first on each line (R21). */
  traceIds(): { traceId: string; spanId: string } | undefined;
}

interface CompiledField {
  param: string;
  ecs: string;
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
  const values: unknown[] = new Array(fields.length);

  return (params) => {
    const level = (params.level as LogLevel | undefined) ?? defaultLevel;
    if (!sink.isLevelEnabled(level)) return;
    const ids = sink.traceIds();
    const record: Record<string, unknown> = ids ? { 'trace.id': ids.traceId, 'span.id': ids.spanId, 'event.action': action } : { 'event.action': action };
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      let value = params[field.param];
      if (field.encrypt && value !== undefined && value !== null) {
        const encrypted = field.encrypt(String(value));
        // The message never carries a kept field in clear; a debug detail's message is the field itself.
        if (field.ecs === 'message') values[i] = encrypted;
        else {
          record[field.ecs] = encrypted;
          values[i] = MaskToken.redacted;
        }
        continue;
      }
      if (field.scan && typeof value === 'string') value = sink.maskValue(value);
      values[i] = value;
      // The free-text `message` of a debug detail is the line's message, not a field.
      if (value !== undefined && value !== null && field.ecs !== 'message') record[field.ecs] = value;
    }
    let message = '';
    for (const part of parts) message += typeof part === 'string' ? part : (values[part] ?? '');
    sink.write(level, record, message);
  };
}

/** Builds every event method once, at logger construction. */
export function compileEventMethods(sink: EventSink): EventMethods {
  const methods: Record<string, (params: Record<string, unknown>) => void> = {};
  for (const [name, spec] of Object.entries(eventCatalogue)) methods[name] = compileEvent(spec, sink);
  return methods as unknown as EventMethods;
}
