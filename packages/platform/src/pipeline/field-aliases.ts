import { F } from '@loupe/schema';

/**
 * Field names common shippers and loggers use for ECS fields (pino, bunyan, winston,
 * Serilog/Seq, logfmt-style JSON, OpenTelemetry). The first one present wins; the alias
 * is removed so the field is not stored twice.
 */
export const fieldAliases: ReadonlyArray<[ecs: string, aliases: readonly string[]]> = [
  [F.timestamp, ['timestamp', 'time', '@t', 'ts', 'date', 'datetime', 'Timestamp']],
  [F.message, ['msg', '@m', '@mt', 'Message', 'log', 'body']],
  [F.level, ['level', 'severity', '@l', 'lvl', 'loglevel', 'Level', 'severity_text']],
  [F.service, ['service', 'app', 'application', 'service_name', 'serviceName', 'name']],
  [F.traceId, ['trace_id', 'traceId', 'traceid', '@tr']],
  [F.spanId, ['span_id', 'spanId', '@sp']],
  [F.orderId, ['order_id', 'orderId']],
  [F.customerId, ['customer_id', 'customerId']],
  [F.userId, ['user_id', 'userId']],
  [F.errorType, ['err.type', 'error.kind', 'exception.type', '@x.type']],
  [F.errorMessage, ['err.message', 'exception.message']],
  [F.errorStack, ['err.stack', 'error.stack', 'exception.stacktrace', '@x']],
  [F.httpStatus, ['statusCode', 'status_code', 'res.statusCode', 'http.status_code']],
  [F.httpMethod, ['method', 'req.method', 'http.method']],
  [F.urlPath, ['path', 'req.url', 'url', 'http.target']],
  [F.clientIp, ['ip', 'remote_addr', 'remoteAddress', 'req.remoteAddress', 'client_ip']],
  ['host.name', ['hostname', 'host']],
  ['process.pid', ['pid']],
];

/** Moves aliased fields to their ECS names in place. */
export function applyAliases(record: Record<string, unknown>): void {
  for (const [ecs, aliases] of fieldAliases) {
    if (record[ecs] !== undefined) continue;
    for (const alias of aliases) {
      const value = record[alias];
      if (value === undefined || (typeof value === 'object' && value !== null)) continue;
      record[ecs] = value;
      delete record[alias];
      break;
    }
  }
}
