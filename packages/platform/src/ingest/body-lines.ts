import { isAscii } from 'node:buffer';
import type { ItemError } from './ingest-item.js';

/** One line of a body, without its line break. */
export interface BodyLine {
  /** Its length in bytes. */
  bytes: number;
  /** The line as text; for a line over the caller's byte limit, only its first `LONG_LINE_KEPT` bytes. */
  text: string;
}

/** How much of an over-long line is kept as text, for its error item and dead letter. */
export const LONG_LINE_KEPT = 4096;

/**
 * The lines of an NDJSON body (`\n` or `\r\n` breaks), each decoded on its own. Small strings
 * are made in the young generation; decoding a multi-megabyte body into one string made a
 * large object each time, which cost 3–6 ms a body here (page faults on fresh memory), more
 * than finding and decoding its lines one by one. An ASCII body (nearly every one) is decoded
 * as Latin-1, the same text for less. A line longer than `maxLineBytes` is not decoded whole.
 * A leading byte-order mark is skipped.
 */
export function* bodyLines(body: Buffer, maxLineBytes: number): Generator<BodyLine> {
  const encoding = isAscii(body) ? 'latin1' : 'utf8';
  // A UTF-8 byte-order mark, as Windows editors and PowerShell write it, is not part of the first line.
  let start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (start < body.length) {
    let end = body.indexOf(10, start);
    if (end === -1) end = body.length;
    const stop = end > start && body[end - 1] === 13 ? end - 1 : end;
    const bytes = stop - start;
    yield { bytes, text: body.toString(encoding, start, bytes > maxLineBytes ? start + LONG_LINE_KEPT : stop) };
    start = end + 1;
  }
}

/** The item error of a line over the limit (413). */
export function lineTooLarge(bytes: number, maxLineBytes: number): ItemError {
  return { status: 413, type: 'line_too_large', reason: `line of ${bytes} bytes is over the ${maxLineBytes}-byte limit` };
}
