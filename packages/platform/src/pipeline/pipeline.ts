import { createHash } from 'node:crypto';
import { F } from '@loupe/schema';
import { maskRecord, setField, type FieldCipher } from '@loupe/log';
import { indexFor, defaultIndexLayout, type IndexLayout } from '../store/index-names.js';
import { typedColumns, type StoredEvent } from '../store/stored-event.js';
import { applyAliases } from './field-aliases.js';
import { flattened, nestedDeeperThan } from './flatten.js';
import { normaliseLevel } from './normalise-level.js';
import { parseTimestamp } from './parse-timestamp.js';

export interface PipelineOptions {
  /** Index layout (R26): per service per day by default, or one shared index. */
  layout?: IndexLayout;
  /** Mask personal data again, with the logger's code (R22; default true). */
  mask?: boolean;
  /** Fields stored encrypted instead of masked; needs `cipher`. */
  encryptFields?: readonly string[];
  cipher?: FieldCipher;
  /** Longest message kept; longer ones are cut with a marker (default 64 KiB). */
  maxMessageLength?: number;
}

export interface PipelineInput {
  /** A parsed JSON object: an ECS document, a pino line, an OTLP record …; the pipeline may change it. */
  document: unknown;
  /** The shipper's `_id`; a content hash of `raw` (or of the document) when absent. */
  id?: string;
  /** The line as received, for the content hash. */
  raw?: string;
  /** When the platform received it (epoch ms): the timestamp of a line that has none. */
  receivedAt: number;
}

export type PipelineResult = { ok: true; event: StoredEvent } | { ok: false; reason: string };

/** The tag of an event whose message was cut to `maxMessageLength`. */
export const MESSAGE_TRUNCATED_TAG = '_message_truncated';

/** How deep arrays in a field may nest when nothing masks them (masking keeps 16 levels). */
const MAX_VALUE_DEPTH = 100;

const typedFieldSet = new Set(typedColumns.map((c) => c.field));
/** The whole numbers each numeric column's type holds: from -limit to limit - 1. */
const integerLimits: Readonly<Record<string, number>> = { INTEGER: 2 ** 31, BIGINT: 2 ** 63 };
const numericFields = typedColumns.filter(({ kind }) => kind === 'number').map(({ field, sqlType }) => ({ field, limit: integerLimits[sqlType]! }));

/** Builds the processing step of R25 once: parse → normalise → encrypt → mask → route. */
export function createPipeline(options: PipelineOptions = {}): (input: PipelineInput) => PipelineResult {
  const layout = options.layout ?? defaultIndexLayout;
  const masking = options.mask ?? true;
  const encrypted = new Set(options.encryptFields ?? []);
  const maxMessage = options.maxMessageLength ?? 65_536;
  if (encrypted.size > 0 && !options.cipher) throw new Error('encryptFields needs a cipher');

  return (input) => {
    const document = input.document;
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      return { ok: false, reason: 'expected a JSON object per event' };
    }
    let record = flattened(document as Record<string, unknown>);
    applyAliases(record);

    const ts = parseTimestamp(record[F.timestamp]);
    if (record[F.timestamp] !== undefined && ts === undefined) {
      record['event.original_timestamp'] = String(record[F.timestamp]).slice(0, 64);
    }
    const level = normaliseLevel(record[F.level]);
    for (const { field, limit } of numericFields) {
      let value = record[field];
      if (typeof value === 'string' && value !== '' && Number.isFinite(Number(value))) value = record[field] = Number(value);
      else if (value !== undefined && value !== null && typeof value !== 'number') return { ok: false, reason: `${field} must be a number, got ${JSON.stringify(value).slice(0, 40)}` };
      // As Elasticsearch refuses a number its field's type cannot hold, rather than storing something else.
      if (typeof value === 'number' && !(Math.trunc(value) >= -limit && Math.trunc(value) < limit)) {
        return { ok: false, reason: `${field} must be a whole number from -${BigInt(limit)} to ${BigInt(limit) - 1n}, got ${value}` };
      }
    }
    let message = record[F.message];
    if (message !== undefined && message !== null && typeof message !== 'string') message = JSON.stringify(message);
    if (typeof message === 'string' && message.length > maxMessage) {
      message = `${message.slice(0, maxMessage)}… [truncated ${message.length - maxMessage} characters]`;
      // Tagged as the shipper tags a line it cut, so `tags:_message_truncated` finds every such event.
      const tags = record.tags;
      record.tags = [...(Array.isArray(tags) ? tags : tags === undefined || tags === null ? [] : [tags]), MESSAGE_TRUNCATED_TAG];
    }
    if (message !== undefined) record[F.message] = message;

    const kept: Record<string, unknown> = {};
    if (encrypted.size > 0) {
      for (const field of encrypted) {
        const value = record[field];
        if (value === undefined || value === null) continue;
        kept[field] = options.cipher!.encrypt(String(value));
        delete record[field];
      }
    }
    // The message is one of the record's fields, so it is masked with them, once.
    if (masking) record = maskRecord(record);
    message = record[F.message];
    Object.assign(record, kept);

    const service = typeof record[F.service] === 'string' ? (record[F.service] as string) : null;
    if (record['event.dataset'] === undefined && service) record['event.dataset'] = service;
    const eventTs = ts ?? input.receivedAt;
    const attrs: Record<string, unknown> = {};
    for (const key in record) {
      if (typedFieldSet.has(key) || key === F.timestamp) continue;
      const value = record[key];
      // Masking cuts values at 16 levels; unmasked, an array nested past the store's JSON depth is refused here.
      if (!masking && Array.isArray(value) && nestedDeeperThan(value, MAX_VALUE_DEPTH)) return { ok: false, reason: `${key} nests arrays more than ${MAX_VALUE_DEPTH} levels deep` };
      setField(attrs, key, value);
    }
    // One object literal of a fixed shape: far cheaper than adding columns one by one.
    const event: StoredEvent = {
      id: input.id ?? contentId(input.raw ?? JSON.stringify(document)),
      index: indexFor(layout, service, eventTs),
      ts: eventTs,
      arrival: ts === undefined,
      level,
      service,
      message: typeof message === 'string' ? message : null,
      action: text(record[F.action]),
      trace_id: text(record[F.traceId]),
      span_id: text(record[F.spanId]),
      order_id: text(record[F.orderId]),
      customer_id: text(record[F.customerId]),
      user_id: text(record[F.userId]),
      http_status: whole(record[F.httpStatus]),
      duration_ns: whole(record[F.duration]),
      client_ip: text(record[F.clientIp]),
      error_type: text(record[F.errorType]),
      url_path: text(record[F.urlPath]),
      attrs,
    };
    return { ok: true, event };
  };
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function whole(value: unknown): number | null {
  return typeof value === 'number' ? Math.trunc(value) : null;
}

/** A stable id for an event sent without one, so a re-sent line is recognised (R23). */
export function contentId(raw: string): string {
  return createHash('sha1').update(raw).digest('base64url').slice(0, 22);
}
