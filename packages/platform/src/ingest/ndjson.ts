import type { IngestItem } from './ingest-item.js';

/** Plain NDJSON, item by item: one JSON event per line; a bad line is an item with its error, the others go on. */
export function* ndjsonItems(body: string, maxLineBytes: number): Generator<IngestItem> {
  for (const rawLine of body.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    if (Buffer.byteLength(line) > maxLineBytes) {
      yield { raw: line.slice(0, 4096), error: { status: 413, type: 'line_too_large', reason: `line of ${Buffer.byteLength(line)} bytes is over the ${maxLineBytes}-byte limit` } };
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
