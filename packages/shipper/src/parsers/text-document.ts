import type { EventSource } from './parser.js';

/** Tags an event gets when the shipper could not read it as its parser expects. */
export const PARSE_FAILURE_TAG = '_parse_failure';

/** The fields every text event carries: where it came from, and the service it is filed under. */
export function textDocument(message: string, source: EventSource, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { message, 'service.name': source.service, ...fields, 'log.file.path': source.path, 'log.offset': source.offset };
}

/** A line the parser could not read, shipped as plain text so it is never lost. */
export function parseFailure(text: string, source: EventSource, reason: string): Record<string, unknown> {
  return textDocument(text, source, { tags: [PARSE_FAILURE_TAG], 'error.message': reason });
}
