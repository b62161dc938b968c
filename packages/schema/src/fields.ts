/**
 * Field names of a Loupe log line (R20). Elastic Common Schema names where ECS has one;
 * `order.*`, `customer.*`, `operator.*`, `model.*`, `pricing.*`, `call.*` and `message.*`
 * are Loupe's domain extensions. Lines are flat objects with dotted keys.
 */
export const F = {
  timestamp: '@timestamp',
  level: 'log.level',
  service: 'service.name',
  message: 'message',
  action: 'event.action',
  eventId: 'event.id',
  dataset: 'event.dataset',
  duration: 'event.duration',
  outcome: 'event.outcome',
  start: 'event.start',
  end: 'event.end',
  traceId: 'trace.id',
  spanId: 'span.id',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
  httpRequestId: 'http.request.id',
  urlPath: 'url.path',
  urlQuery: 'url.query',
  clientIp: 'client.ip',
  userId: 'user.id',
  userName: 'user.name',
  userRoles: 'user.roles',
  userFailedLogins: 'user.failed_logins',
  errorType: 'error.type',
  errorCode: 'error.code',
  errorMessage: 'error.message',
  errorStack: 'error.stack_trace',
  orderId: 'order.id',
  orderStatus: 'order.status',
  orderPreviousStatus: 'order.previous_status',
  customerId: 'customer.id',
  operatorId: 'operator.id',
  modelFileId: 'model.file_id',
  modelSizeBytes: 'model.size_bytes',
  modelPolygonCount: 'model.polygon_count',
  pricingStatus: 'pricing.status',
  pricingPreviousStatus: 'pricing.previous_status',
  pricingCost: 'pricing.cost',
  pricingCurrency: 'pricing.currency',
  callTarget: 'call.target',
  callMethod: 'call.method',
  callEndpoint: 'call.endpoint',
  callStatus: 'call.status_code',
  callAttempt: 'call.attempt',
  callAttemptsLeft: 'call.attempts_left',
  messageId: 'message.id',
  messageRoutingKey: 'message.routing_key',
  messageQueue: 'message.queue',
  messageOperation: 'message.operation',
  messagePayload: 'message.payload',
  messageDeadLetterReason: 'message.dead_letter_reason',
  dbOperation: 'db.operation',
  dbTable: 'db.sql.table',
  processCpuPercent: 'process.cpu.pct',
  processRssBytes: 'process.memory.rss',
  processHeapUsedBytes: 'process.memory.heap_used',
  processHeapTotalBytes: 'process.memory.heap_total',
  processEventLoopDelayMs: 'process.event_loop.delay_ms',
  processUptimeSeconds: 'process.uptime',
} as const;

export type FieldName = (typeof F)[keyof typeof F];

/** Fields every line carries, whatever its event. */
export const baseFields = [F.timestamp, F.level, F.service, F.message] as const;

/**
 * Fields whose values are identifiers, times or numbers by construction: masking skips
 * them, so an order id or a trace id is never mistaken for a phone or a card number.
 */
export const unmaskedFields: ReadonlySet<string> = new Set([
  F.timestamp, F.level, F.service, F.action, F.eventId, F.dataset, F.duration, F.outcome, F.start, F.end,
  F.traceId, F.spanId, F.httpMethod, F.httpRoute, F.httpStatus, F.httpRequestId, F.clientIp, F.userId,
  F.userRoles, F.userFailedLogins, F.errorType, F.errorCode, F.orderId, F.orderStatus, F.orderPreviousStatus,
  F.customerId, F.operatorId, F.modelFileId, F.modelSizeBytes, F.modelPolygonCount, F.pricingStatus,
  F.pricingPreviousStatus, F.pricingCost, F.pricingCurrency, F.callTarget, F.callMethod, F.callStatus,
  F.callAttempt, F.callAttemptsLeft, F.messageId, F.messageRoutingKey, F.messageQueue, F.messageOperation,
  F.dbOperation, F.dbTable, F.processCpuPercent, F.processRssBytes, F.processHeapUsedBytes,
  F.processHeapTotalBytes, F.processEventLoopDelayMs, F.processUptimeSeconds,
]);
