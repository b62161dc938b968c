export { decodeOtlpLogs, type OtlpContentType } from './decode.js';
export { MAX_NESTING_DEPTH, OtlpField, type FlatRecord, type OtlpDecodeResult, type OtlpRejection } from './flat-record.js';
export { otlpSuccessResponse, encodeOtlpResponseProtobuf, summarizeRejections, type OtlpExportLogsResponse } from './response.js';
