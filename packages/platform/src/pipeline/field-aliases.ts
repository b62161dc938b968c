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

const aliasTarget = new Map<string, { ecs: string; rank: number }>();
for (const [ecs, aliases] of fieldAliases) aliases.forEach((alias, rank) => aliasTarget.set(alias, { ecs, rank }));

/**
 * Moves aliased fields to their ECS names, in place: one look-up per key of the record
 * rather than one per known alias. A field already under its ECS name wins; among aliases,
 * the one listed first.
 */
export function applyAliases(record: Record<string, unknown>): void {
  let chosen: Map<string, { alias: string; rank: number }> | undefined;
  for (const key in record) {
    const target = aliasTarget.get(key);
    if (!target || record[target.ecs] !== undefined) continue;
    const value = record[key];
    if (value === undefined || (typeof value === 'object' && value !== null)) continue;
    chosen ??= new Map();
    const current = chosen.get(target.ecs);
    if (!current || target.rank < current.rank) chosen.set(target.ecs, { alias: key, rank: target.rank });
  }
  if (!chosen) return;
  for (const [ecs, { alias }] of chosen) {
    record[ecs] = record[alias];
    delete record[alias];
  }
}
