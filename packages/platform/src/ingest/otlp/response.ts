import type { OtlpRejection } from './flat-record.js';

/** The ExportLogsServiceResponse body in OTLP/JSON. */
export interface OtlpExportLogsResponse {
  partialSuccess?: { rejectedLogRecords: number; errorMessage: string };
}

/**
 * The body of a 200 answer to an OTLP/JSON export. With rejections it reports a partial
 * success (the client must not retry those records); with none it is `{}`, unless a
 * `message` is given, which OTLP lets a server send as a warning with 0 rejected.
 */
export function otlpSuccessResponse(rejected: number, message?: string): OtlpExportLogsResponse {
  checkCount(rejected);
  if (rejected === 0 && !message) return {};
  return { partialSuccess: { rejectedLogRecords: rejected, errorMessage: message || defaultMessage(rejected) } };
}

/** The same response as `otlpSuccessResponse`, as ExportLogsServiceResponse protobuf bytes (empty when it is `{}`). */
export function encodeOtlpResponseProtobuf(rejected: number, message?: string): Uint8Array {
  const { partialSuccess } = otlpSuccessResponse(rejected, message);
  if (partialSuccess === undefined) return new Uint8Array(0);
  const errorMessage = Buffer.from(partialSuccess.errorMessage, 'utf8');
  // ExportLogsPartialSuccess: rejected_log_records = 1 (int64 varint), error_message = 2 (string).
  const inner = [...field(1, 0, varint(partialSuccess.rejectedLogRecords)), ...field(2, 2, [...varint(errorMessage.length), ...errorMessage])];
  // ExportLogsServiceResponse: partial_success = 1.
  return Uint8Array.from(field(1, 2, [...varint(inner.length), ...inner]));
}

/** gRPC status codes for the HTTP statuses ingest answers with (OTLP/HTTP's Status.code). */
function grpcCode(httpStatus: number): number {
  if (httpStatus === 429 || httpStatus === 413) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 503 || httpStatus === 502 || httpStatus === 504) return 14; // UNAVAILABLE
  if (httpStatus >= 400 && httpStatus < 500) return 3; // INVALID_ARGUMENT
  return 13; // INTERNAL
}

/**
 * The body of a failed OTLP/JSON export: a google.rpc.Status (`code`, `message`), as OTLP/HTTP
 * requires for every 4xx and 5xx, with Loupe's own `{error: {code, message}}` beside it.
 */
export function otlpStatusJson(httpStatus: number, code: string, message: string): { code: number; message: string; error: { code: string; message: string } } {
  return { code: grpcCode(httpStatus), message, error: { code, message } };
}

/** The same Status as protobuf bytes: code = 1 (int32), message = 2 (string). */
export function encodeOtlpStatusProtobuf(httpStatus: number, message: string): Uint8Array {
  const text = Buffer.from(message, 'utf8');
  return Uint8Array.from([...field(1, 0, varint(grpcCode(httpStatus))), ...field(2, 2, [...varint(text.length), ...text])]);
}

/** One line naming the first `limit` rejections, for `errorMessage`: what was wrong and where. */
export function summarizeRejections(rejected: readonly OtlpRejection[], limit = 3): string {
  const shown = rejected.slice(0, limit).map(({ index, reason }) => `log record ${index}: ${reason}`);
  const more = rejected.length > limit ? `; and ${rejected.length - limit} more` : '';
  return `${defaultMessage(rejected.length)} (${shown.join('; ')}${more})`;
}

function defaultMessage(rejected: number): string {
  return rejected === 1 ? '1 log record was rejected' : `${rejected} log records were rejected`;
}

function checkCount(rejected: number): void {
  if (!Number.isSafeInteger(rejected) || rejected < 0) throw new RangeError(`rejected must be a count of log records, got ${rejected}`);
}

function field(fieldNumber: number, wireType: number, payload: number[] | Buffer): number[] {
  return [...varint((fieldNumber << 3) | wireType), ...payload];
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}
