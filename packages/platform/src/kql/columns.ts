import { F } from '@loupe/schema';

/**
 * How a column compares: `keyword` exactly (case-sensitive), `keyword-lowercase` exactly
 * but ignoring case (log levels), `text` as a case-insensitive "contains", `number` and
 * `timestamp` with typed values.
 */
export type ColumnType = 'keyword' | 'keyword-lowercase' | 'text' | 'number' | 'timestamp';

export interface Column {
  /** A SQL expression the code (never the query) supplies, e.g. `service`. */
  readonly sql: string;
  readonly type: ColumnType;
}

/** Where each KQL field lives in a table. */
export interface ColumnMap {
  /** Typed columns by KQL field name. A Map, so a field named `constructor` is just a field. */
  readonly columns: ReadonlyMap<string, Column>;
  /**
   * SQL of a JSON column holding every other field as a flat object with dotted keys
   * (`{"http.route":"/orders/:id"}`). Without it, a field not in `columns` is rejected.
   */
  readonly otherFields?: string;
}

/** The log store's table: typed columns for the fields every search uses, `attrs` for the rest. */
export const defaultColumnMap: ColumnMap = {
  columns: new Map<string, Column>([
    // The event's id, as Elasticsearch names it: `_id:"file-1:0"` finds one event.
    ['_id', { sql: 'id', type: 'keyword' }],
    // The index an event is stored in, as Kibana offers it: `_index:logs-mes-api-*`.
    ['_index', { sql: '_index', type: 'keyword' }],
    [F.timestamp, { sql: 'ts', type: 'timestamp' }],
    [F.level, { sql: 'level', type: 'keyword-lowercase' }],
    [F.service, { sql: 'service', type: 'keyword' }],
    [F.message, { sql: 'message', type: 'text' }],
    [F.action, { sql: 'action', type: 'keyword' }],
    [F.traceId, { sql: 'trace_id', type: 'keyword' }],
    [F.spanId, { sql: 'span_id', type: 'keyword' }],
    [F.orderId, { sql: 'order_id', type: 'keyword' }],
    [F.customerId, { sql: 'customer_id', type: 'keyword' }],
    [F.userId, { sql: 'user_id', type: 'keyword' }],
    [F.httpStatus, { sql: 'http_status', type: 'number' }],
    [F.duration, { sql: 'duration_ns', type: 'number' }],
    [F.clientIp, { sql: 'client_ip', type: 'keyword' }],
    [F.errorType, { sql: 'error_type', type: 'keyword' }],
    [F.urlPath, { sql: 'url_path', type: 'keyword' }],
  ]),
  otherFields: 'attrs',
};
