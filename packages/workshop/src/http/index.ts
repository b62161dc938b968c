export { createServiceApp, emptyBodyAsObject, type ServiceAppOptions } from './service-app.js';
export { describeRoutes, errorSchema, type OpenApiOptions } from './openapi.js';
export { callService, type ServiceCall } from './call-service.js';
export { acceptUploads, readUpload, rawModelTypes, uploadMediaTypes, type Upload } from './read-upload.js';
export { databaseOutageOf } from './refuse-bad-requests.js';
export { checkSameChange, idempotencyKeyHeader, idempotencyKeyHeaders, logRepeatedChange, requestKeyOf, type KeyedChange } from './idempotency-key.js';
