import { bodyLines, lineTooLarge } from './body-lines.js';
import type { IngestItem } from './ingest-item.js';

/** Plain NDJSON, item by item: one JSON event per line; a bad line is an item with its error, the others go on. */
export function* ndjsonItems(body: Buffer, maxLineBytes: number): Generator<IngestItem> {
  for (const { bytes, text: line } of bodyLines(body, maxLineBytes)) {
    if (line.trim() === '') continue;
    if (bytes > maxLineBytes) {
      yield { raw: line, error: lineTooLarge(bytes, maxLineBytes) };
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch (error) {
      yield { raw: line, error: { status: 400, type: 'mapper_parsing_exception', reason: `not valid JSON: ${(error as Error).message}` } };
      continue;
    }
    yield { raw: line, document };
  }
}
