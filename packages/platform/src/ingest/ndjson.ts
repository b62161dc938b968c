import type { IngestItem } from './ingest-item.js';

/** Plain NDJSON: one JSON event per line; a bad line is an item with its error, the others go on. */
export function parseNdjson(body: string, maxLineBytes: number): IngestItem[] {
  const items: IngestItem[] = [];
  for (const rawLine of body.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    if (Buffer.byteLength(line) > maxLineBytes) {
      items.push({ raw: line.slice(0, 4096), error: { status: 413, type: 'line_too_large', reason: `line of ${Buffer.byteLength(line)} bytes is over the ${maxLineBytes}-byte limit` } });
      continue;
    }
    try {
      items.push({ raw: line, document: JSON.parse(line) as unknown });
    } catch (error) {
      items.push({ raw: line, error: { status: 400, type: 'mapper_parsing_exception', reason: `not valid JSON: ${(error as Error).message}` } });
    }
  }
  return items;
}
