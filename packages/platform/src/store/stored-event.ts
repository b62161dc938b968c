import { F } from '@loupe/schema';
import { setField } from '@loupe/log';

/**
 * One event as the store keeps it: typed columns for the fields every search touches,
 * every other field in `attrs` (a flat JSON object with dotted keys).
 */
export interface StoredEvent {
  /** `_id`: the shipper's id, or a content hash; the store keeps one event per id (R23). */
  id: string;
  /** Target index, e.g. `logs-mes-api-2026.11.21` (R26). */
  index: string;
  /**
   * Set when the event came without a readable timestamp and was stamped on arrival: its id
   * may come again (a re-send) with another time, so the store looks for it on every day.
   */
  arrival?: boolean;
  /** `@timestamp` in epoch milliseconds. */
  ts: number;
  level: string | null;
  service: string | null;
  message: string | null;
  action: string | null;
  trace_id: string | null;
  span_id: string | null;
  order_id: string | null;
  customer_id: string | null;
  user_id: string | null;
  http_status: number | null;
  duration_ns: number | null;
  client_ip: string | null;
  error_type: string | null;
  url_path: string | null;
  /** The remaining fields, flat with dotted keys. */
  attrs: Record<string, unknown>;
}

export type StoredColumn = Exclude<keyof StoredEvent, 'index' | 'attrs' | 'id' | 'ts'>;

/** Typed columns: the ECS field each holds and its kind. The pipeline, the store and KQL read this one list. */
export const typedColumns: ReadonlyArray<{ column: StoredColumn; field: string; kind: 'keyword' | 'text' | 'number' | 'level'; sqlType: string }> = [
  { column: 'level', field: F.level, kind: 'level', sqlType: 'VARCHAR' },
  { column: 'service', field: F.service, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'message', field: F.message, kind: 'text', sqlType: 'VARCHAR' },
  { column: 'action', field: F.action, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'trace_id', field: F.traceId, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'span_id', field: F.spanId, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'order_id', field: F.orderId, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'customer_id', field: F.customerId, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'user_id', field: F.userId, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'http_status', field: F.httpStatus, kind: 'number', sqlType: 'INTEGER' },
  { column: 'duration_ns', field: F.duration, kind: 'number', sqlType: 'BIGINT' },
  { column: 'client_ip', field: F.clientIp, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'error_type', field: F.errorType, kind: 'keyword', sqlType: 'VARCHAR' },
  { column: 'url_path', field: F.urlPath, kind: 'keyword', sqlType: 'VARCHAR' },
];

/** A stored event turned back into the flat ECS record a user sees, with `_id` and `_index`. */
export function toRecord(event: Omit<StoredEvent, 'attrs'> & { attrs: string | Record<string, unknown> | null }): Record<string, unknown> {
  const record: Record<string, unknown> = { '@timestamp': new Date(event.ts).toISOString() };
  for (const { column, field } of typedColumns) {
    const value = event[column];
    if (value !== null && value !== undefined) record[field] = value;
  }
  const attrs = typeof event.attrs === 'string' ? (JSON.parse(event.attrs) as Record<string, unknown>) : event.attrs;
  // Field by field: `Object.assign` would make a `__proto__` field the record's prototype.
  if (attrs) for (const key of Object.keys(attrs)) setField(record, key, attrs[key]);
  record._id = event.id;
  record._index = event.index;
  return record;
}
