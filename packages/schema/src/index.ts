export { F, baseFields, unmaskedFields, type FieldName } from './fields.js';
export { logLevels, isLogLevel, type LogLevel } from './levels.js';
export {
  eventCatalogue, eventNames, type EventCatalogue, type EventName, type EventParams, type EventSpec, type FieldSpec, type FieldType,
} from './events.js';
export { LoupeError, type ErrorBody } from './errors.js';
export { booleanSetting, integerSetting, MAX_TIMER_MS } from './settings.js';
export { freePort, takenPort } from './free-port.js';
export { httpAddress, listenError } from './listen-address.js';
export { utf8Text } from './utf8-text.js';
