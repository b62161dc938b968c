import { F } from './fields.js';
import type { LogLevel } from './levels.js';

export type FieldType = 'string' | 'number' | 'boolean';

export interface FieldSpec {
  /** The ECS (or Loupe extension) name the value is written under. */
  readonly ecs: string;
  readonly type: FieldType;
  readonly required: boolean;
}

export interface EventSpec {
  /** Requirement id in DESIGN.md. */
  readonly requirement: string;
  /** Written as `event.action`. */
  readonly action: string;
  /** Default level; `levels` lists the others a caller may choose. */
  readonly level: LogLevel;
  readonly levels?: readonly LogLevel[];
  /** The `message`, with `{param}` placeholders filled from the event's parameters. */
  readonly message: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

const required = <E extends string, T extends FieldType>(ecs: E, type: T) => ({ ecs, type, required: true as const });
const optional = <E extends string, T extends FieldType>(ecs: E, type: T) => ({ ecs, type, required: false as const });

const callFields = {
  target: required(F.callTarget, 'string'),
  method: required(F.callMethod, 'string'),
  endpoint: required(F.callEndpoint, 'string'),
  statusCode: optional(F.callStatus, 'number'),
  errorCode: optional(F.errorCode, 'string'),
  errorMessage: optional(F.errorMessage, 'string'),
};

const userFields = {
  userId: optional(F.userId, 'string'),
  login: optional(F.userName, 'string'),
  clientIp: optional(F.clientIp, 'string'),
  outcome: required(F.outcome, 'string'),
};

/**
 * The event catalogue (R1–R19): every event a Loupe service writes, its level, its
 * `event.action` and its fields. The logger's typed helpers, the platform's dashboards
 * and the tests all read this table; no event's field list is written down twice.
 */
export const eventCatalogue = {
  httpRequestServed: {
    requirement: 'R1', action: 'http-request', level: 'info', levels: ['debug'],
    message: '{method} {path} {statusCode}',
    fields: {
      method: required(F.httpMethod, 'string'),
      path: required(F.urlPath, 'string'),
      route: required(F.httpRoute, 'string'),
      statusCode: required(F.httpStatus, 'number'),
      durationNs: required(F.duration, 'number'),
      clientIp: required(F.clientIp, 'string'),
      userId: optional(F.userId, 'string'),
      requestId: optional(F.httpRequestId, 'string'),
    },
  },
  callRetried: {
    requirement: 'R2', action: 'call-retried', level: 'warn',
    message: 'Retrying {target} {method} {endpoint}: attempt {attempt} failed, {attemptsLeft} left',
    fields: { ...callFields, attempt: required(F.callAttempt, 'number'), attemptsLeft: required(F.callAttemptsLeft, 'number') },
  },
  callFailed: {
    requirement: 'R3', action: 'call-failed', level: 'error',
    message: '{target} {method} {endpoint} failed after {attempts} attempts',
    fields: { ...callFields, attempts: required(F.callAttempt, 'number') },
  },
  orderCreated: {
    requirement: 'R4', action: 'order-created', level: 'info',
    message: 'Order {orderId} created with status {status}',
    fields: {
      orderId: required(F.orderId, 'string'),
      customerId: required(F.customerId, 'string'),
      status: required(F.orderStatus, 'string'),
    },
  },
  orderStatusChanged: {
    requirement: 'R5', action: 'order-status-changed', level: 'info',
    message: 'Order {orderId} status changed from {from} to {to}',
    fields: {
      orderId: required(F.orderId, 'string'),
      customerId: required(F.customerId, 'string'),
      from: required(F.orderPreviousStatus, 'string'),
      to: required(F.orderStatus, 'string'),
    },
  },
  modelUploaded: {
    requirement: 'R6', action: 'model-uploaded', level: 'info',
    message: 'Model {fileId} uploaded ({sizeBytes} bytes)',
    fields: {
      orderId: optional(F.orderId, 'string'),
      customerId: required(F.customerId, 'string'),
      fileId: required(F.modelFileId, 'string'),
      sizeBytes: required(F.modelSizeBytes, 'number'),
    },
  },
  modelProcessed: {
    requirement: 'R7', action: 'model-processed', level: 'info', levels: ['error'],
    message: 'Model {fileId} processed: {result}',
    fields: {
      fileId: required(F.modelFileId, 'string'),
      start: required(F.start, 'string'),
      end: required(F.end, 'string'),
      durationNs: required(F.duration, 'number'),
      result: required(F.outcome, 'string'),
      polygonCount: optional(F.modelPolygonCount, 'number'),
      orderId: optional(F.orderId, 'string'),
      errorMessage: optional(F.errorMessage, 'string'),
    },
  },
  priceCalculationStarted: {
    requirement: 'R8', action: 'price-calculation-started', level: 'info',
    message: 'Price calculation for order {orderId} started',
    fields: {
      orderId: required(F.orderId, 'string'),
      customerId: required(F.customerId, 'string'),
      polygonCount: optional(F.modelPolygonCount, 'number'),
    },
  },
  priceCalculationFinished: {
    requirement: 'R8', action: 'price-calculation-finished', level: 'info',
    message: 'Price calculation for order {orderId} finished: {status}',
    fields: {
      orderId: required(F.orderId, 'string'),
      customerId: required(F.customerId, 'string'),
      polygonCount: required(F.modelPolygonCount, 'number'),
      durationNs: required(F.duration, 'number'),
      status: required(F.pricingStatus, 'string'),
      cost: optional(F.pricingCost, 'number'),
      currency: optional(F.pricingCurrency, 'string'),
    },
  },
  priceCalculationStatusChanged: {
    requirement: 'R9', action: 'price-calculation-status-changed', level: 'info',
    message: 'Price calculation for order {orderId} moved from {from} to {to}',
    fields: {
      orderId: required(F.orderId, 'string'),
      from: required(F.pricingPreviousStatus, 'string'),
      to: required(F.pricingStatus, 'string'),
    },
  },
  operatorAssigned: {
    requirement: 'R10', action: 'operator-assigned', level: 'info',
    message: 'Operator {operatorId} assigned to order {orderId}',
    fields: { orderId: required(F.orderId, 'string'), operatorId: required(F.operatorId, 'string') },
  },
  messagePublished: {
    requirement: 'R11', action: 'message-published', level: 'info',
    message: 'Message {messageId} published to {routingKey}',
    fields: {
      messageId: required(F.messageId, 'string'),
      orderId: optional(F.orderId, 'string'),
      routingKey: required(F.messageRoutingKey, 'string'),
      outcome: required(F.outcome, 'string'),
      payload: optional(F.messagePayload, 'string'),
    },
  },
  messageConsumed: {
    requirement: 'R11', action: 'message-consumed', level: 'info',
    message: 'Message {messageId} from {routingKey} consumed: {outcome}',
    fields: {
      messageId: required(F.messageId, 'string'),
      orderId: optional(F.orderId, 'string'),
      routingKey: required(F.messageRoutingKey, 'string'),
      queue: optional(F.messageQueue, 'string'),
      outcome: required(F.outcome, 'string'),
      payload: optional(F.messagePayload, 'string'),
    },
  },
  messageDeadLettered: {
    requirement: 'R12', action: 'message-dead-lettered', level: 'warn',
    message: 'Message {messageId} dead-lettered: {reason}',
    fields: {
      messageId: required(F.messageId, 'string'),
      orderId: optional(F.orderId, 'string'),
      reason: required(F.messageDeadLetterReason, 'string'),
      routingKey: optional(F.messageRoutingKey, 'string'),
      payload: optional(F.messagePayload, 'string'),
    },
  },
  messageFailed: {
    requirement: 'R13', action: 'message-failed', level: 'error',
    message: 'Failed to {operation} message {messageId}: {errorMessage}',
    fields: {
      operation: required(F.messageOperation, 'string'),
      messageId: required(F.messageId, 'string'),
      orderId: optional(F.orderId, 'string'),
      routingKey: optional(F.messageRoutingKey, 'string'),
      errorCode: required(F.errorCode, 'string'),
      errorMessage: required(F.errorMessage, 'string'),
      /** A consumed message's delivery, and the deliveries left before it is dead-lettered. */
      attempt: optional(F.callAttempt, 'number'),
      attemptsLeft: optional(F.callAttemptsLeft, 'number'),
    },
  },
  dbQueryExecuted: {
    requirement: 'R14', action: 'db-query', level: 'info', levels: ['debug'],
    message: '{queryType} {table} {outcome}',
    fields: {
      queryType: required(F.dbOperation, 'string'),
      table: required(F.dbTable, 'string'),
      orderId: optional(F.orderId, 'string'),
      durationNs: required(F.duration, 'number'),
      outcome: required(F.outcome, 'string'),
    },
  },
  dbError: {
    requirement: 'R15', action: 'db-error', level: 'error',
    message: 'Database {queryType} failed: {errorMessage}',
    fields: {
      queryType: required(F.dbOperation, 'string'),
      table: optional(F.dbTable, 'string'),
      orderId: optional(F.orderId, 'string'),
      errorCode: required(F.errorCode, 'string'),
      errorMessage: required(F.errorMessage, 'string'),
    },
  },
  userCreated: { requirement: 'R16', action: 'user-created', level: 'info', message: 'User created', fields: userFields },
  userUpdated: { requirement: 'R16', action: 'user-updated', level: 'info', message: 'User updated', fields: userFields },
  userLoggedIn: { requirement: 'R16', action: 'user-logged-in', level: 'info', message: 'User logged in', fields: userFields },
  userLoginFailed: {
    requirement: 'R16', action: 'user-login-failed', level: 'info', levels: ['warn'],
    message: 'Login failed ({failuresInWindow} failures in window)',
    fields: { ...userFields, failuresInWindow: required(F.userFailedLogins, 'number') },
  },
  unhandledError: {
    requirement: 'R17', action: 'unhandled-error', level: 'error',
    message: 'Unhandled {errorType}: {errorMessage}',
    fields: {
      errorType: required(F.errorType, 'string'),
      errorMessage: required(F.errorMessage, 'string'),
      stack: required(F.errorStack, 'string'),
      errorCode: optional(F.errorCode, 'string'),
      method: optional(F.httpMethod, 'string'),
      path: optional(F.urlPath, 'string'),
      route: optional(F.httpRoute, 'string'),
      requestId: optional(F.httpRequestId, 'string'),
      userId: optional(F.userId, 'string'),
    },
  },
  debugDetail: {
    requirement: 'R18', action: 'debug', level: 'debug',
    message: '{detail}',
    fields: { detail: required(F.message, 'string') },
  },
  heartbeat: {
    requirement: 'R19', action: 'heartbeat', level: 'info',
    message: 'Heartbeat',
    fields: {
      cpuPercent: required(F.processCpuPercent, 'number'),
      rssBytes: required(F.processRssBytes, 'number'),
      heapUsedBytes: required(F.processHeapUsedBytes, 'number'),
      heapTotalBytes: required(F.processHeapTotalBytes, 'number'),
      eventLoopDelayMs: required(F.processEventLoopDelayMs, 'number'),
      uptimeSeconds: required(F.processUptimeSeconds, 'number'),
    },
  },
} as const satisfies Record<string, EventSpec>;

export type EventCatalogue = typeof eventCatalogue;
export type EventName = keyof EventCatalogue;

type ValueOf<S> = S extends { type: 'string' } ? string : S extends { type: 'number' } ? number : boolean;
type Fields<E extends EventName> = EventCatalogue[E]['fields'];
type LevelChoice<E extends EventName> = EventCatalogue[E] extends { levels: readonly (infer L)[] }
  ? { level?: EventCatalogue[E]['level'] | L }
  : unknown;

/** The parameters of an event helper: required fields are required, optional ones optional. */
export type EventParams<E extends EventName> = {
  -readonly [K in keyof Fields<E> as Fields<E>[K] extends { required: true } ? K : never]: ValueOf<Fields<E>[K]>;
} & {
  -readonly [K in keyof Fields<E> as Fields<E>[K] extends { required: true } ? never : K]?: ValueOf<Fields<E>[K]>;
} & LevelChoice<E>;

export const eventNames = Object.keys(eventCatalogue) as EventName[];
