/**
 * OTLP/HTTP logs (`POST /v1/logs`, JSON or protobuf) decoded into flat Loupe records, one per
 * LogRecord, with dotted ECS keys:
 *
 * - resource attributes, then `otel.scope.name` / `otel.scope.version` and scope attributes,
 *   then log attributes, keys as they are (`service.name` is already ECS); a later one wins.
 *   A kvlist attribute becomes one dotted key per leaf; arrays stay arrays.
 * - `message`: a string body as it is; a kvlist or array body as JSON; other scalars as text.
 *   A kvlist body also lends the record its keys that are Loupe schema fields (`order.id`…).
 * - `@timestamp`: ISO 8601 to the millisecond from timeUnixNano, else observedTimeUnixNano;
 *   `otel.time_unix_nano` keeps timeUnixNano exactly as a decimal string; `event.created` is
 *   the observed time (ECS: when the event was first read). With neither (0 is "unknown" in OTLP),
 *   `@timestamp` is left out and the pipeline stamps the record on arrival.
 * - `log.level`: severityText lower-cased when it names a Loupe level, else from
 *   severityNumber (1–4 trace … 21–24 fatal), else severityText lower-cased.
 * - `trace.id` / `span.id`: lower-case hex, absent when empty or all zeros; `event.name`.
 * - `client.ip`: the `client.address` attribute too when it is an IP address (ECS mapping of the
 *   OTel logs data model appendix).
 * - int64 values: a number when exact in a double, else a decimal string; bytes as base64;
 *   NaN and ±Infinity as their names; an empty AnyValue as null. `event.dataset` is left
 *   to the pipeline.
 *
 * A problem inside one LogRecord rejects that record (`rejected`, with its index across the
 * request and a reason); a body that is not an OTLP request throws OTLP_DECODE (400).
 */
export { decodeOtlpLogs, type OtlpContentType } from './decode.js';
export { MAX_NESTING_DEPTH, OtlpField, type FlatRecord, type OtlpDecodeResult, type OtlpRejection } from './flat-record.js';
export { otlpSuccessResponse, encodeOtlpResponseProtobuf, encodeOtlpStatusProtobuf, otlpStatusJson, summarizeRejections, type OtlpExportLogsResponse } from './response.js';
