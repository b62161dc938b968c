import { LoupeError } from '@loupe/schema';
import { decodeJsonLogs } from './from-json.js';
import { decodeProtobufLogs } from './from-protobuf.js';
import type { OtlpDecodeResult } from './flat-record.js';

export type OtlpContentType = 'json' | 'protobuf';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an OTLP/HTTP logs export (ExportLogsServiceRequest) into flat Loupe records, one
 * per LogRecord. A LogRecord that cannot be stored is listed in `rejected` and the others
 * are still returned; a body that is not an OTLP request at all throws
 * LoupeError('OTLP_DECODE', …, 400) naming what was wrong and where.
 */
export function decodeOtlpLogs(body: Uint8Array | string, contentType: OtlpContentType): OtlpDecodeResult {
  if (contentType === 'protobuf') {
    if (typeof body === 'string') throw new TypeError('decodeOtlpLogs: a protobuf body must be bytes, not a string');
    return decodeProtobufLogs(body);
  }
  return decodeJsonLogs(typeof body === 'string' ? body : jsonText(body));
}

function jsonText(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new LoupeError('OTLP_DECODE', 'Invalid OTLP JSON body: it is not valid UTF-8');
  }
}
